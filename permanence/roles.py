"""The roles of SPEC §1, held as Django groups, and the model permissions each one carries.

Object access (which children) is decided by `permanence.access`; these permissions decide
which kinds of action a role may take at all.
"""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    CPS_DUTY = "cps_duty", "CPS duty / permanence coordinator"
    FORUM_CHAIR = "forum_chair", "Forum chair"
    IRO = "iro", "Independent reviewing officer"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    ADMINISTRATOR = "administrator", "Administrator"
    # Jointly responsible for tracking every looked-after child's plan (002 §12): they read
    # the service's plans and tracker, and change nothing on a child's record.
    ADOPTION_MANAGER = "adoption_manager", "Adoption manager"
    FOSTERING_MANAGER = "fostering_manager", "Fostering services manager"
    IRO_MANAGER = "iro_manager", "IRO manager"
    # Sent each PPN1 with the review's minutes; books the Permanency Planning Meeting (002 §8).
    ADMIN_OFFICER = "admin_officer", "Designated admin officer"
    # The adoption or fostering family finder (permanency worker, home finder) allocated to a
    # ratified plan (003 "Outcomes from meeting"; 000 "Progressing the plan"): sees the children
    # allocated to them, runs the search and the matching, and coordinates the panel's bundle.
    FAMILY_FINDER = "family_finder", "Family finder"


MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
# Those who track all the plans of the service they oversee, read-only (002 §12).
TRACKING_ROLES = frozenset({Role.ADOPTION_MANAGER, Role.FOSTERING_MANAGER, Role.IRO_MANAGER})

# app_label.codename for each role. Other apps add theirs in their own data migrations.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SOCIAL_WORKER: [
        "permanence.view_child",
        "permanence.add_child",
        "permanence.change_child",
        "permanence.view_episode",
        "permanence.add_episode",
        "permanence.change_episode",
    ],
    Role.CPS_DUTY: ["permanence.view_child", "permanence.view_episode"],
    Role.FAMILY_FINDER: ["permanence.view_child", "permanence.view_episode"],
    Role.FORUM_CHAIR: ["permanence.view_child", "permanence.view_episode"],
    Role.IRO: ["permanence.view_child", "permanence.view_episode"],
    Role.TEAM_MANAGER: [
        "permanence.view_child",
        "permanence.add_child",
        "permanence.change_child",
        "permanence.view_episode",
        "permanence.add_episode",
        "permanence.change_episode",
    ],
    Role.HEAD_OF_SERVICE: [
        "permanence.view_child",
        "permanence.change_child",
        "permanence.view_episode",
    ],
    Role.ADMINISTRATOR: [
        "permanence.view_team",
        "permanence.add_team",
        "permanence.change_team",
        "permanence.view_service",
        "permanence.add_service",
        "permanence.change_service",
        "permanence.view_user",
        "permanence.add_user",
        "permanence.change_user",
        "permanence.view_code",
        "permanence.add_code",
        "permanence.change_code",
        "auth.view_group",
    ],
}


def sync_role_groups(group_model, permission_model, role_permissions=None) -> None:
    """Make one group per role and give it its listed permissions (idempotent, additive)."""
    role_permissions = role_permissions or ROLE_PERMISSIONS
    for role, names in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=Role(role).label)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*wanted)
