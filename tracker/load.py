"""Who signs in for `manage.py bench_load` (issue 19, item 4) and which pages each one walks.

The people are the synthetic authority's own (`seed_scale`: bench_sw…, bench_tm…, bench_iro…,
bench_hos…, bench_cps), with those of the roles it does not make added as bench_load_<role>_<k>,
spread so that every role signs in once before any role signs in twice. Each walks their own
journey: their landing page, the tracker (first page, filtered, page 50), the measures, the
deadlines, a child they may open and its chronology, and their role's own pages (the forum desk
and the agenda, the IRO's reviews, a manager's children list…).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Count
from django.urls import reverse

from permanence.access import child_visibility_q
from permanence.models import Child, Service, User
from permanence.roles import Role

# Who signs in, in this order: every role once, then the weights of a real service's staff
# (most people at once are social workers and IROs).
FIRST = (
    Role.SOCIAL_WORKER,
    Role.IRO,
    Role.TEAM_MANAGER,
    Role.CPS_DUTY,
    Role.FORUM_CHAIR,
    Role.HEAD_OF_SERVICE,
    Role.ADOPTION_MANAGER,
    Role.FOSTERING_MANAGER,
    Role.IRO_MANAGER,
    Role.ADMIN_OFFICER,
    Role.FAMILY_FINDER,
)
THEN = (
    [Role.SOCIAL_WORKER] * 6
    + [Role.IRO] * 3
    + [Role.TEAM_MANAGER] * 2
    + [Role.CPS_DUTY, Role.FORUM_CHAIR, Role.HEAD_OF_SERVICE, Role.ADMIN_OFFICER]
)
# The names seed_scale gives the people of each role it makes.
SEEDED_PREFIX = {
    Role.SOCIAL_WORKER: "bench_sw",
    Role.TEAM_MANAGER: "bench_tm",
    Role.IRO: "bench_iro",
    Role.HEAD_OF_SERVICE: "bench_hos",
    Role.CPS_DUTY: "bench_cps",
}
# A child with this many recorded changes or more is one of seed_scale's busy children.
BUSY_CHANGES = 100

# The tracker's pages, each walked by those whose role lets them open it.
TRACKER = [
    ("Tracker: first page", "tracker:dashboard", "", "tracker.view_trackerrow"),
    (
        "Tracker: filtered",
        "tracker:dashboard",
        "?rag=red&route=adoption&sort=deadline",
        "tracker.view_trackerrow",
    ),
    ("Tracker: page 50", "tracker:dashboard", "?page=50", "tracker.view_trackerrow"),
    ("Measures", "tracker:measures", "", "tracker.view_measures"),
    ("Deadlines", "tracker:deadline-list", "", "tracker.view_deadline"),
]
OWN_PAGES = {
    Role.SOCIAL_WORKER: [
        ("My caseload", "tracker:dashboard-mine", ""),
        ("Children list (social worker)", "permanence:child-list", ""),
    ],
    Role.TEAM_MANAGER: [("Children list (manager)", "permanence:child-list", "")],
    Role.HEAD_OF_SERVICE: [("Children list (manager)", "permanence:child-list", "")],
    Role.IRO: [("IRO's reviews", "reviews:iro-dashboard", "")],
    Role.IRO_MANAGER: [("IROs' reviews (manager)", "tracker:iro-reviews", "")],
    Role.CPS_DUTY: [("Forum desk", "forums:home", ""), ("Agenda", "forums:next-agenda", "")],
    Role.FORUM_CHAIR: [("Forum desk", "forums:home", ""), ("Agenda", "forums:next-agenda", "")],
    Role.ADOPTION_MANAGER: [("Plans", "permanence:plan-list", "")],
    Role.FOSTERING_MANAGER: [("Plans", "permanence:plan-list", "")],
    Role.ADMIN_OFFICER: [("PPN1 list", "reviews:ppn1-list", "")],
    Role.FAMILY_FINDER: [("Family finding", "tracker:family-finding", "")],
}


@dataclass
class Walker:
    username: str
    role: str
    pages: list[tuple[str, str]] = field(default_factory=list)


def roles_for(n: int) -> list[str]:
    """The role of each of N people signing in: every role once, then by the staff's weights."""
    order = itertools.chain(FIRST, itertools.cycle(THEN))
    return [str(role) for role in itertools.islice(order, n)]


def prepare(n: int, password: str) -> list[Walker]:
    """N people of every role, each with `password` and the pages they will walk."""
    roles = roles_for(n)
    wanted = {role: roles.count(role) for role in set(roles)}
    people: dict[str, list[User]] = {}
    for role, count in wanted.items():
        people[role] = _people(role, count)
    chosen = [u for us in people.values() for u in us]
    # One hash for all of them: hashing 50 passwords (by design slow) would cost a minute.
    User.objects.filter(pk__in=[u.pk for u in chosen]).update(
        password=make_password(password), is_active=True
    )
    busy = _busy_child_ids()
    walkers, taken = [], {role: iter(us) for role, us in people.items()}
    for index, role in enumerate(roles):
        user = next(taken[role])
        walkers.append(Walker(user.username, role, journey(user, role, busy, index)))
    return walkers


def journey(user: User, role: str, busy: list[int] | None = None, index: int = 0):
    """The pages `user` walks, as (label, path): the labels are the same for every role, so the
    figures of one page add up across the people who open it."""
    pages = [("Landing page", reverse("home"))]
    pages += [
        (label, reverse(name) + query)
        for label, name, query, permission in TRACKER
        if user.has_perm(permission)
    ]
    pages += [(label, reverse(name) + query) for label, name, query in OWN_PAGES[Role(role)]]
    child = _child_for(user, busy or [], index)
    if child is not None:
        # A child with hundreds of recorded changes is its own line: its history is the cost.
        busy_child = " (hundreds of changes)" if child in (busy or []) else ""
        pages += [
            (f"Child page{busy_child}", reverse("permanence:child-detail", args=[child])),
            (f"Chronology{busy_child}", reverse("tracker:chronology", args=[child])),
        ]
    return pages


def _people(role: str, count: int) -> list[User]:
    group = Group.objects.get(name=Role(role).label)
    prefix = SEEDED_PREFIX.get(Role(role))
    found = (
        list(
            User.objects.filter(username__startswith=prefix, groups=group)
            .exclude(username__startswith="bench_load_")
            .order_by("pk")[:count]
        )
        if prefix
        else []
    )
    service = Service.objects.filter(name="Bench service").first()
    for k in range(len(found), count):
        user, created = User.objects.get_or_create(
            username=f"bench_load_{role}_{k}",
            defaults={
                "first_name": Role(role).label,
                "last_name": f"Load {k}",
                "email": f"bench_load_{role}_{k}@bench.invalid",
                "service": service,
            },
        )
        if created:
            user.groups.add(group)
        found.append(user)
    return found


def _busy_child_ids() -> list[int]:
    """The children with hundreds of recorded changes (seed_scale makes one in 200)."""
    return list(
        Child.history.values("id")
        .annotate(changes=Count("history_id"))
        .filter(changes__gte=BUSY_CHANGES)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _child_for(user: User, busy: list[int], index: int) -> int | None:
    """A child `user` may open: every other person one with hundreds of recorded changes, when
    they may open one; else one of theirs, a different one for each person."""
    q = child_visibility_q(user)
    if q is None:
        return None
    visible = Child.objects.filter(q).order_by("pk")
    if busy and index % 2 == 0:
        pk = visible.filter(pk__in=busy).values_list("pk", flat=True).first()
        if pk is not None:
            return pk
    count = visible.count()
    if not count:
        return None
    return visible.values_list("pk", flat=True)[index % count]
