"""Onboarding an authority in one go (issue 18): its services and teams, its staff, its last
SSDA903 returns, who works with which child, and the date it goes live.

Each step is a service the command (manage.py onboard) calls in one transaction; a problem in a
CSV row is named by file, row and column and leaves that row out, as the SSDA903 import does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from permanence.history import save_with_history
from permanence.models import Child, Service, Team, User
from permanence.roles import Role
from tracker.models import DeadlineRule
from tracker.ssda903.reader import Problem

ONBOARDING_REASON = "Onboarding"
# Deadlines counted from facts every return carries: the reviews held. Every other rule counts
# from events the authority recorded elsewhere before going live, so it is tracked from then.
FROM_THE_RETURN = frozenset({"first_review", "second_review", "later_review"})
STAFF_COLUMNS = ("name", "email", "role", "team")
ALLOCATION_COLUMNS = ("child", "social_worker", "iro")
# Who may be allocated as a child's social worker (a manager may hold a case) and as its IRO.
SOCIAL_WORKER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
IRO_ROLES = frozenset({Role.IRO, Role.IRO_MANAGER})


@dataclass
class Onboarding:
    """What onboarding did, to print."""

    services_created: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    staff_created: list[str] = field(default_factory=list)
    staff_updated: list[str] = field(default_factory=list)
    allocated: int = 0
    allocations_unchanged: int = 0
    rules_tracked_from: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _role(value: str) -> Role | None:
    wanted = value.strip().lower().replace("-", " ").replace("_", " ")
    for role in Role:
        if wanted in {role.value.replace("_", " "), role.label.lower()}:
            return role
    return None


def read_csv(name: str, content: bytes, columns: tuple[str, ...], problems: list[Problem]):
    """The rows of a CSV with the headings given (in any order, any case), numbered as a
    spreadsheet numbers them; a missing heading is a problem and no row is read."""
    text = content.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        problems.append(Problem(name, None, None, "The file is empty"))
        return []
    headings = [h.strip().lower() for h in rows[0]]
    missing = [c for c in columns if c not in headings]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                ", ".join(missing),
                f"The columns {', '.join(columns)} are needed; missing: {', '.join(missing)}",
            )
        )
        return []
    found = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headings)}
        found.append((number, values))
    return found


@transaction.atomic
def services_and_teams_setup(*, teams: list[tuple[str, str]], result: Onboarding) -> None:
    """Create each service and team named (service, team) that does not exist yet."""
    for service_name, team_name in teams:
        service, created = Service.objects.get_or_create(name=service_name)
        if created:
            result.services_created.append(service_name)
        team = Team.objects.filter(name=team_name).first()
        if team is None:
            Team.objects.create(name=team_name, service=service)
            result.teams_created.append(team_name)


@transaction.atomic
def staff_load(*, name: str, content: bytes, by: User, result: Onboarding) -> None:
    """Create or update each member of staff (name, e-mail, role, team); the e-mail is their
    user name. New accounts have no password: they set one with "Forgotten your password?"."""
    teams = {t.name.lower(): t for t in Team.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    for number, row in read_csv(name, content, STAFF_COLUMNS, result.problems):

        def problem(column: str, message: str, number=number) -> None:
            result.problems.append(Problem(name, number, column, message))

        email = row["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            problem("email", f"“{row['email']}” is not an e-mail address")
            continue
        role = _role(row["role"])
        if role is None:
            problem(
                "role",
                f"“{row['role']}” is not a role: use one of " + ", ".join(r.label for r in Role),
            )
            continue
        team = teams.get(row["team"].lower()) if row["team"] else None
        if row["team"] and team is None:
            problem("team", f"There is no team called “{row['team']}”: add it with --team")
            continue
        first, _, last = row["name"].rpartition(" ")
        if not row["name"]:
            problem("name", "Enter the person's name")
            continue
        user = User.objects.filter(username=email).first()
        created = user is None
        if created:
            user = User(username=email, email=email)
            user.set_unusable_password()
        user.first_name, user.last_name = (first, last) if first else (last, "")
        if team is not None:
            user.team = team
        user.is_staff = user.is_staff or role == Role.ADMINISTRATOR
        save_with_history(user, by=by, reason=ONBOARDING_REASON, exclude=["password"])
        user.groups.add(groups[role.label])
        (result.staff_created if created else result.staff_updated).append(email)


@transaction.atomic
def allocations_load(*, name: str, content: bytes, by: User, result: Onboarding) -> None:
    """Allocate each child's social worker and IRO (child, social_worker, iro: e-mails)."""
    rows = read_csv(name, content, ALLOCATION_COLUMNS, result.problems)
    children = Child.objects.in_bulk([r["child"] for _, r in rows], field_name="child_id")
    people = {u.username: u for u in User.objects.prefetch_related("groups")}
    labels = {r.label: r for r in Role}
    changed = []
    for number, row in rows:
        child = children.get(row["child"])
        if child is None:
            result.problems.append(
                Problem(name, number, "child", f"No child {row['child']}: import its return first")
            )
            continue
        wanted = {}
        bad = False
        for column, attr, roles in (
            ("social_worker", "social_worker", SOCIAL_WORKER_ROLES),
            ("iro", "iro", IRO_ROLES),
        ):
            email = row[column].lower()
            if not email:
                continue
            person = people.get(email)
            held = (
                {labels[g.name] for g in person.groups.all() if g.name in labels}
                if person
                else set()
            )
            if person is None or not held & roles:
                what = "a social worker or team manager" if attr == "social_worker" else "an IRO"
                result.problems.append(
                    Problem(
                        name,
                        number,
                        column,
                        f"“{row[column]}” is not {what} in the staff list",
                        row["child"],
                    )
                )
                bad = True
                continue
            wanted[attr] = person
        if bad:
            continue
        if any(getattr(child, k) != v for k, v in wanted.items()):
            for attr, person in wanted.items():
                setattr(child, attr, person)
            changed.append(child)
        else:
            result.allocations_unchanged += 1
    if changed:
        bulk_update_with_history(
            changed,
            Child,
            ["social_worker", "iro"],
            default_user=by,
            default_change_reason=ONBOARDING_REASON,
        )
        from tracker import signals

        signals.mark_changed([c.pk for c in changed])
    result.allocated = len(changed)


@transaction.atomic
def go_live_set(*, on: dt.date, by: User, result: Onboarding) -> None:
    """Track every deadline the returns cannot show from the go-live date, so that events nobody
    could have recorded here (a panel in 2019) do not flood the dashboard. A date an
    administrator has already set is kept."""
    from tracker.services import deadline_rule_update

    if not by.has_perm("tracker.change_deadlinerule"):
        # Run from the shell as the system account: the change is the authority's first
        # administrator's, from the staff list.
        by = (
            User.objects.filter(groups__name=Role.ADMINISTRATOR.label, is_active=True)
            .order_by("pk")
            .first()
        )
        if by is None:
            result.problems.append(
                Problem(
                    "",
                    None,
                    None,
                    "No administrator: add one to the staff list so the go-live date can be set",
                )
            )
            return
    for rule in DeadlineRule.objects.filter(applies_from__isnull=True).exclude(
        code__in=FROM_THE_RETURN
    ):
        deadline_rule_update(rule=rule, by=by, reason="Went live", applies_from=on)
        result.rules_tracked_from.append(rule.code)
