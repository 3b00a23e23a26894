from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "permanence"
    verbose_name = "Children and permanence"

    def ready(self) -> None:
        self._forget_cached_permissions_on_change()
        # Registers the check that Notify's settings are whole when Notify is chosen.
        from permanence import email_backends  # noqa: F401
        from permanence.finding import rules as finding_rules  # noqa: F401

        # The plan's object rules, its navigation link and its section on the child's page.
        from permanence.navigation import NavItem, register_nav_item
        from permanence.panels import ChildPanel, register_child_panel
        from permanence.plans import rules  # noqa: F401
        from permanence.plans.child_actions import plan_actions
        from permanence.plans.selectors import child_plan_panel
        from permanence.roles import TRACKING_ROLES, Role

        register_nav_item(
            NavItem(
                "Plans",
                "permanence:plan-list",
                frozenset(
                    {
                        Role.SOCIAL_WORKER,
                        Role.TEAM_MANAGER,
                        Role.HEAD_OF_SERVICE,
                        Role.CPS_DUTY,
                        Role.FORUM_CHAIR,
                        *TRACKING_ROLES,
                    }
                ),
            )
        )
        # The carers' register, for those who keep or oversee it (issue 14).
        register_nav_item(
            NavItem(
                "Carers",
                "permanence:household-list",
                frozenset({Role.CPS_DUTY, Role.ADOPTION_MANAGER, Role.FOSTERING_MANAGER}),
            )
        )
        register_child_panel(
            ChildPanel(
                template="permanence/partials/_plan_panel.html",
                context=child_plan_panel,
                order=10,
                actions=plan_actions,
            )
        )

    @staticmethod
    def _forget_cached_permissions_on_change() -> None:
        """Any change to who has which role or permission reaches every web process at once
        (permanence/authcache.py)."""
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from permanence.authcache import forget_everyone
        from permanence.models import User

        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(
                forget_everyone, sender=through, dispatch_uid=f"authcache-{through}"
            )
        m2m_changed.connect(
            forget_everyone, sender=Group.permissions.through, dispatch_uid="authcache-group-perms"
        )
        for model in (Group, Permission):
            for signal in (post_save, post_delete):
                signal.connect(forget_everyone, sender=model, dispatch_uid=f"authcache-{model}")
