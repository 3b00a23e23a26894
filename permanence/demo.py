"""The synthetic demo authority: teams, one user or more per role, ~40 children at every stage.

Everything is dated relative to the day it is first loaded and keyed by fixed identifiers, so
loading it again changes nothing. Other apps add their own demo records by registering a seeder.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from permanence import dates
from permanence.approvals import latest_connected_placement
from permanence.history import save_with_history
from permanence.models import (
    Child,
    ConnectedPersonApproval,
    Episode,
    Service,
    SiblingGroup,
    Team,
    User,
)
from permanence.models.children import temporary_approval_ends
from permanence.roles import Role
from permanence.services import system_user

DEMO_PASSWORD = "demo-password"  # noqa: S105 (published in the README; refused in production)

TEAMS = ("North Children in Care Team", "South Children in Care Team", "Family Safeguarding Team")

# username, first, last, role, team index (None: central), job title
USERS = [
    ("sw1", "Sam", "Patel", Role.SOCIAL_WORKER, 0, "Social worker"),
    ("sw2", "Aisha", "Khan", Role.SOCIAL_WORKER, 1, "Social worker"),
    ("sw3", "Tom", "Evans", Role.SOCIAL_WORKER, 2, "Social worker"),
    ("tm1", "Rachel", "Green", Role.TEAM_MANAGER, 0, "Team manager"),
    ("tm2", "Daniel", "Hughes", Role.TEAM_MANAGER, 1, "Team manager"),
    ("tm3", "Fiona", "Clarke", Role.TEAM_MANAGER, 2, "Team manager"),
    ("hos1", "Helen", "Morris", Role.HEAD_OF_SERVICE, None, "Head of Service, Children in Care"),
    ("cps1", "Priya", "Shah", Role.CPS_DUTY, None, "Permanence coordinator (CPS duty)"),
    ("chair1", "David", "Brown", Role.FORUM_CHAIR, None, "Group manager, forum chair"),
    ("iro1", "Grace", "Wilson", Role.IRO, None, "Independent reviewing officer"),
    ("iro2", "Michael", "Owen", Role.IRO, None, "Independent reviewing officer"),
    ("am1", "Ruth", "Bennett", Role.ADOPTION_MANAGER, None, "Adoption team manager"),
    ("fsm1", "Karen", "Lloyd", Role.FOSTERING_MANAGER, None, "Fostering services manager"),
    ("ff1", "Leah", "Turner", Role.FAMILY_FINDER, None, "Family finder (permanency worker)"),
    ("irom1", "Peter", "Walsh", Role.IRO_MANAGER, None, "IRO manager"),
    ("ao1", "Nadia", "Ali", Role.ADMIN_OFFICER, None, "Designated admin officer (permanence)"),
    ("admin", "Alex", "Morgan", Role.ADMINISTRATOR, None, "System administrator"),
]

FIRST_NAMES = [
    "Amelia",
    "Oliver",
    "Isla",
    "Noah",
    "Ava",
    "Leo",
    "Mia",
    "Arthur",
    "Ivy",
    "Muhammad",
    "Freya",
    "Harry",
    "Lily",
    "Oscar",
    "Sophia",
    "George",
    "Grace",
    "Theo",
    "Ella",
    "Jack",
    "Evie",
    "Alfie",
    "Rosie",
    "Charlie",
    "Ruby",
    "Henry",
    "Poppy",
    "Finley",
    "Willow",
    "Archie",
    "Daisy",
    "Jacob",
    "Maya",
    "Reuben",
    "Zara",
    "Kai",
    "Esme",
    "Ezra",
    "Layla",
    "Rory",
    "Nia",
]
LAST_NAMES = [
    "Abbott",
    "Bailey",
    "Carter",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Gill",
    "Hart",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lloyd",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Price",
    "Quinn",
    "Reid",
    "Singh",
    "Turner",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zielinski",
    "Baker",
    "Chowdhury",
    "Doyle",
    "Edwards",
    "Foster",
    "Griffiths",
    "Hall",
    "Ince",
    "Jackson",
    "Kelly",
    "Lewis",
    "Morgan",
    "Noble",
    "Okafor",
    "Patel",
    "Rahman",
]
ETHNICITIES = ["WBRI"] * 6 + [
    "WOTH",
    "MWBC",
    "MWBA",
    "AIND",
    "APKN",
    "BAFR",
    "BCRB",
    "WIRT",
    "OOTH",
]


def _newly_looked_after(days_ago: int, ls: str, r: random.Random) -> list:
    """An emergency protection order lasts 8 days at most, then an interim care order follows
    (SSDA903 rule 362: an L2 episode longer than 21 days is an error)."""
    place = r.choice(["U6", "U3"])
    if ls != "L2":
        return [(days_ago, "S", ls, place)]
    return [(days_ago, "S", "L2", place), (days_ago - min(8, days_ago - 1), "L", "C1", place)]


# SSDA903 details every episode needs to pass the DfE validator (csc-validator-be-903): the
# demo's placements are in Shropshire (LA code E06000051), the county of seeds 000 and 001.
DEMO_LA_CODE = "E06000051"
DEMO_POSTCODES = [
    "SY1 1AG",
    "SY2 5AF",
    "SY3 0AG",
    "SY11 1AG",
    "SY13 1AG",
    "SY8 1AG",
    "TF9 1AG",
    "WV16 4AG",
    "SY1 1EB",
    "SY2 5DA",
]
# Ofsted URNs (fictional): the authority's fostering service, a children's home; XXXXXXX is
# the DfE's code for a regional adoption agency (rule 242).
DEMO_URNS = {"U": "SC900001", "K": "SC900123", "A": "XXXXXXX"}
DEMO_PROVIDERS = {"U": "PR1", "A": "PR1", "K": "PR4", "P": "PR0"}
_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _demo_upn(number: int) -> str:
    """A well-formed unique pupil number: DfE check letter, then 12 digits."""
    digits = f"9{number:011d}"
    total = sum(int(d) * weight for d, weight in zip(digits, range(2, 14), strict=True))
    return _UPN_CHECK_LETTERS[total % 23] + digits


@dataclass(frozen=True)
class Stage:
    """A kind of case in the demo: how many, how old, and the episodes that got them there."""

    name: str
    count: int
    team: int
    age_years: tuple[int, int]
    # Each step: (days ago it started, RNE, LS, PLACE).
    steps: Callable[[random.Random], list[tuple[int, str, str, str]]]
    court_stage: str = Child.CourtStage.NONE
    issued_days_ago: tuple[int, int] | None = None
    unborn: bool = False
    iro: bool = True


STAGES = [
    Stage("unborn", 3, 2, (0, 0), lambda r: [], unborn=True, iro=False),
    Stage(
        "newly looked after",
        6,
        0,
        (0, 12),
        lambda r: _newly_looked_after(r.randint(2, 25), r.choice(["V2", "C1", "L2"]), r),
        iro=False,
    ),
    Stage(
        "section 20",
        5,
        1,
        (3, 15),
        lambda r: [(r.randint(60, 240), "S", "V2", r.choice(["U6", "U3", "U4"]))],
    ),
    Stage(
        "pre-proceedings",
        4,
        2,
        (0, 10),
        lambda r: [(r.randint(30, 150), "S", "V2", "U6")],
        court_stage=Child.CourtStage.PRE_PROCEEDINGS,
    ),
    Stage(
        "in proceedings",
        7,
        0,
        (0, 9),
        lambda r: [(r.randint(120, 200), "S", "V2", "U6"), (r.randint(14, 110), "L", "C1", "U6")],
        court_stage=Child.CourtStage.ISSUED,
        issued_days_ago=(14, 110),
    ),
    Stage(
        "with a connected person",
        5,
        1,
        (1, 12),
        lambda r: [(r.randint(300, 420), "S", "C1", "U3"), (r.randint(90, 280), "L", "C2", "U3")],
        court_stage=Child.CourtStage.CONCLUDED,
        issued_days_ago=(300, 420),
    ),
    Stage(
        "long-term fostering",
        5,
        0,
        (6, 14),
        lambda r: [
            (r.randint(900, 1400), "S", "C1", "U6"),
            (r.randint(600, 880), "L", "C2", "U6"),
            (r.randint(100, 580), "T", "C2", "U4"),
        ],
        court_stage=Child.CourtStage.CONCLUDED,
        issued_days_ago=(900, 1400),
    ),
    Stage(
        "placed for adoption",
        4,
        1,
        (1, 4),
        lambda r: [
            (r.randint(500, 700), "S", "C1", "U5"),
            (r.randint(200, 480), "L", "E1", "U5"),
            (r.randint(20, 180), "T", "E1", "A5"),
        ],
        court_stage=Child.CourtStage.CONCLUDED,
        issued_days_ago=(500, 700),
    ),
    Stage(
        "16 and over",
        2,
        1,
        (16, 17),
        lambda r: [(r.randint(700, 1500), "S", "C2", "U4"), (r.randint(30, 600), "P", "C2", "K2")],
        court_stage=Child.CourtStage.CONCLUDED,
        issued_days_ago=(700, 1500),
    ),
]

_seeders: list[Callable[[dict], None]] = []


def register_seeder(seeder: Callable[[dict], None]) -> None:
    """Let another app add its demo records after the children exist (called from ready())."""
    if seeder not in _seeders:
        _seeders.append(seeder)


@transaction.atomic
def seed_demo(*, today: dt.date | None = None) -> dict:
    """Load the demo authority (idempotent: a second run changes nothing)."""
    if not getattr(settings, "DEMO_PASSWORDS_ALLOWED", False):
        raise ImproperlyConfigured(
            "The demo authority and its published passwords are refused here."
        )
    today = today or timezone.localdate()
    by = system_user()
    service, _ = Service.objects.get_or_create(name="Children's Services")
    teams = [Team.objects.get_or_create(name=n, defaults={"service": service})[0] for n in TEAMS]
    users = {}
    hashed = ""
    for username, first, last, role, team_index, title in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                job_title=title,
                team=teams[team_index] if team_index is not None else None,
                service=service if team_index is None else None,
                is_staff=role == Role.ADMINISTRATOR,
            )
            # Hashed once for every demo user: each hash takes a deliberate fraction of a
            # second, and the password is published anyway.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            save_with_history(user, by=by, reason="Demo authority", exclude=["password"])
        user.groups.add(Group.objects.get(name=Role(role).label))
        users[username] = user
    children = _seed_children(today=today, teams=teams, users=users, by=by)
    _seed_connected_approvals(children, today=today, users=users, by=by)
    # The carers' register (issue 14), before the plans that match children to its households.
    from permanence.finding.demo import seed_carers

    seed_carers(today=today, service=service, users=users, by=by)
    context = {
        "today": today,
        "service": service,
        "teams": teams,
        "users": users,
        "children": children,
        "by": by,
    }
    for seeder in _seeders:
        seeder(context)
    return context


def _seed_children(*, today, teams, users, by) -> list[Child]:
    rng = random.Random(903)  # noqa: S311 (synthetic data, not security: the same every run)
    workers = [users["sw1"], users["sw2"], users["sw3"]]
    iros = [users["iro1"], users["iro2"]]
    children = []
    number = 0
    siblings = {}
    for stage in STAGES:
        for i in range(stage.count):
            number += 1
            child_id = f"DEMO{number:04d}"
            first = FIRST_NAMES[(number * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(number * 11) % len(LAST_NAMES)]
            steps = stage.steps(rng)
            age = rng.randint(*stage.age_years)
            oldest_step = max((s[0] for s in steps), default=0)
            born = (
                None
                if stage.unborn
                else min(
                    dates.add_days(today, -(age * 365 + rng.randint(0, 300))),
                    dates.add_days(today, -oldest_step - rng.randint(0, 30)),
                )
            )
            existing = Child.objects.filter(child_id=child_id).first()
            if existing is not None:
                children.append(existing)
                continue
            team = teams[stage.team]
            child = Child(
                child_id=child_id,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                expected_date_of_birth=dates.add_weeks(today, rng.randint(2, 14))
                if stage.unborn
                else None,
                sex="" if stage.unborn else rng.choice([Child.Sex.MALE, Child.Sex.FEMALE]),
                ethnicity="" if stage.unborn else rng.choice(ETHNICITIES),
                team=team,
                social_worker=workers[stage.team],
                iro=rng.choice(iros) if stage.iro else None,
                court_stage=stage.court_stage,
            )
            if born is not None:
                child.upn = _demo_upn(number)
                child.is_mother = False if child.sex == Child.Sex.FEMALE else None
            if stage.issued_days_ago:
                child.proceedings_issued_on = dates.add_days(
                    today, -rng.randint(*stage.issued_days_ago)
                )
                if stage.court_stage == Child.CourtStage.CONCLUDED:
                    child.proceedings_concluded_on = dates.add_days(
                        child.proceedings_issued_on, 182
                    )
                    child.proceedings_concluded_on = min(child.proceedings_concluded_on, today)
            # Two pairs of brothers and sisters among the children in proceedings (001).
            if stage.name == "in proceedings" and i < 4:
                key = i // 2
                if key not in siblings:
                    siblings[key] = save_with_history(
                        SiblingGroup(name=f"{last} siblings"), by=by, reason="Demo authority"
                    )
                else:
                    child.last_name = siblings[key].name.removesuffix(" siblings")
                child.sibling_group = siblings[key]
            save_with_history(child, by=by, reason="Demo authority")
            _seed_episodes(child, sorted(steps, key=lambda s: -s[0]), today=today, by=by)
            children.append(child)
    return children


def _seed_episodes(child: Child, steps, *, today, by) -> None:
    previous = None
    number = int(child.child_id.removeprefix("DEMO"))
    home_post = DEMO_POSTCODES[number % len(DEMO_POSTCODES)]
    for step, (days_ago, rne, ls, place) in enumerate(steps):
        start = dates.add_days(today, -days_ago)
        if previous is not None:
            previous.dec, previous.rec = start, "X1"
            if rne in {"P", "T", "B", "U"}:
                previous.reason_place_change = "CARPL"  # the care plan (SSDA903 rule 225)
            save_with_history(previous, by=by, reason="Demo authority")
        placement_moves = previous is None or rne != "L"
        previous = save_with_history(
            Episode(
                child=child,
                decom=start,
                rne=rne,
                legal_status=ls,
                place=place,
                place_provider=DEMO_PROVIDERS[place[0]],
                cin="N1",
                home_post=home_post,
                pl_post=DEMO_POSTCODES[(number + 3 + step) % len(DEMO_POSTCODES)]
                if placement_moves
                else previous.pl_post,
                urn=DEMO_URNS[place[0]],
            ),
            by=by,
            reason="Demo authority",
        )


def _seed_connected_approvals(children, *, today, users, by) -> None:
    """Temporary approvals of the connected people the demo's children live with (CPPCR 2010
    regs 24-25): of those placed more than 16 weeks ago, one approved after a 6-week extension,
    the others approved in time but the last, not recorded (overdue); of those placed lately,
    one still temporary and the rest not recorded yet."""
    settled, recent = [], []
    for child in sorted(children, key=lambda c: c.child_id):
        run = None if child.is_unborn else latest_connected_placement(child=child)
        if run is not None and run.end is None:
            ended = temporary_approval_ends(run.start) < today
            (settled if ended else recent).append((child, run.start))
    approved = ConnectedPersonApproval.Outcome.APPROVED
    records = [
        (child, start, 6 if i == 0 else None, approved)
        for i, (child, start) in enumerate(settled[:-1] if len(settled) > 2 else settled)
    ]
    if recent:
        records.append((*recent[0], None, ""))
    officer = users["hos1"]
    agreed_by = f"{officer.get_full_name()}, {officer.job_title} (nominated officer)"
    for child, placed_on, weeks, outcome in records:
        if ConnectedPersonApproval.objects.filter(child=child, placed_on=placed_on).exists():
            continue
        number = int(child.child_id.removeprefix("DEMO"))
        approval = ConnectedPersonApproval(
            child=child,
            placed_on=placed_on,
            carers=DEMO_CARERS[number % len(DEMO_CARERS)].format(last=child.last_name),
            recorded_by=child.social_worker or by,
        )
        if weeks:
            approval.extended_on = dates.add_weeks(temporary_approval_ends(placed_on), -1)
            approval.extension_weeks = weeks
            approval.extension_agreed_by = agreed_by
        if outcome:
            # The fostering panel approves them two weeks before the approval would end.
            ends = temporary_approval_ends(placed_on, weeks)
            approval.outcome = outcome
            approval.resolved_on = min(dates.add_weeks(ends, -2), today)
        save_with_history(approval, by=by, reason="Demo authority")


DEMO_CARERS = (
    "Margaret and John {last} (grandparents)",
    "Sandra {last} (aunt)",
    "Paul and Denise {last} (uncle and aunt)",
    "Carol Whitfield (family friend)",
    "Angela {last} (grandmother)",
)
