"""Scope never slips (SPEC §1 "nobody sees a child they have no reason to"): every page of the URL
map, as every role, with one child inside the role's scope and one outside it.

The outside child is called "Zebedee Outsider", identifier OUT999, in a team of another service,
with another worker, IRO and chair. Each of their records that a URL needs is made; a URL filled
with the outside child's records must answer 403, 404 or 405 and show nothing of them, and no
page filled with the inside child's records (or with none) may show them.

Scope is written here from the roles of SPEC §1, not read from the code under test. For CPS duty,
a child with any forum booking is in scope (permanence.access, forums.access): its outside child
has no booking, but does have a disruption and a matching panel in another service, which CPS
duty must not see.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from forums.models import (
    Booking,
    MeetingAction,
    MeetingAssessment,
    PanelSitting,
    Part1Attachment,
    Part2Task,
)
from forums.services.calendar import calendar_feed_renew
from permanence.models import (
    Child,
    ContactArrangement,
    FamilyFindingAllocation,
    Notification,
    SiblingGroup,
    SupervisionOrder,
)
from permanence.roles import Role
from reviews.models import Ppn1
from tests.factories.forums import (
    BookingFactory,
    DisruptionFactory,
    ForumSessionFactory,
    MeetingFactory,
    Part1Factory,
    Part2Factory,
    meeting_type,
)
from tests.factories.permanence import (
    ChildFactory,
    ConnectedPersonApprovalFactory,
    EpisodeFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories.plans import PlanActionFactory, PlanFactory
from tests.factories.reviews import ReviewFactory
from tests.test_every_page_needs_login import _walk
from tracker.dashboard.services import tracker_rows_refresh
from tracker.dashboard.timeliness import MEASURES as TIMELINESS_MEASURES
from tracker.deadlines.facts import ChildScope
from tracker.models import Alert, Deadline, DeadlineRule, Ssda903Import, TrackerRow

pytestmark = pytest.mark.django_db

OUT_FIRST, OUT_LAST, OUT_ID = "Zebedee", "Outsider", "OUT999"
# Names no name generator gives a member of staff: the admin pages greet the user by first name.
IN_FIRST, IN_LAST, IN_ID = "Ixora", "Insider", "IN001"
ROLES = [
    "social_worker",
    "iro",
    "cps_duty",
    "chair",
    "team_manager",
    "head_of_service",
    "adoption_manager",
    "fostering_manager",
    "iro_manager",
    "admin_officer",
    "family_finder",
    "administrator",
]


@dataclass
class Side:
    """One child and the records of it that the URL map's arguments name."""

    child: object
    episode: object
    approval: object
    plan: object
    action: object
    review: object
    ppn1: object
    session: object
    booking: object | None
    meeting: object
    meeting_action: object
    disruption: object
    notification: object
    contact: object = None
    order: object = None
    alert: object = None


def _side(child, *, worker, iro, chair, manager, recipient, booked: bool) -> Side:
    episode = EpisodeFactory(child=child)
    approval = ConnectedPersonApprovalFactory(child=child, recorded_by=worker)
    plan = PlanFactory(child=child, created_by=worker)
    action = PlanActionFactory(plan=plan, owner=worker, created_by=worker)
    review = ReviewFactory(child=child, created_by=iro)
    ppn1 = Ppn1.objects.create(
        review=review,
        child=child,
        plan=plan,
        route=plan.route,
        plan_summary="Return home with support.",
        family_finding=Ppn1.FamilyFinding.NONE,
        recommendations="Hold the planning meeting.",
        adoption_manager=manager,
        fostering_manager=manager,
        # The designated admin officer it was sent to opens this child (002 §8).
        admin_officer=recipient if recipient.has_role(Role.ADMIN_OFFICER) else None,
        completed_by=iro,
        completed_on=timezone.localdate(),
    )
    session = ForumSessionFactory(chair=chair)
    booking = None
    if booked:
        booking = BookingFactory(
            session=session,
            child=child,
            requested_by=worker,
            status=Booking.Status.PRESENTED,
        )
        Part1Factory(booking=booking, submitted_at=timezone.now(), submitted_by=worker)
        Part2Factory(booking=booking)
    meeting = MeetingFactory(
        child=child, created_by=worker, meeting_type=meeting_type("matching-panel")
    )
    meeting_action = MeetingAction.objects.create(
        meeting=meeting, what="Find carers", owner=worker, due_on=timezone.localdate()
    )
    disruption = DisruptionFactory(child=child, recorded_by=worker)
    rule = DeadlineRule.objects.order_by("order").first()
    today = timezone.localdate()
    Deadline.objects.create(
        child=child, rule=rule, due=today, status=Deadline.Status.OVERDUE, updated_at=timezone.now()
    )
    # Already overdue at go-live, so it is on the managers' backlog page too.
    alert = Alert.objects.create(
        child=child,
        rule=rule,
        due=today,
        level=Alert.Level.OVERDUE,
        raised_at=timezone.now(),
        backlog=True,
    )
    notification = Notification.objects.create(
        recipient=recipient,
        subject=f"About {child.first_name} {child.last_name} ({child.child_id})",
        link=child.get_absolute_url(),
    )
    contact = ContactArrangement.objects.create(
        child=child,
        relationship=ContactArrangement.With.MOTHER,
        person_name=f"Mother of {child.first_name}",
        frequency="Monthly",
        kind=ContactArrangement.Kind.IN_PERSON,
        supervision=ContactArrangement.Supervision.SUPERVISED,
        recorded_by=worker,
    )
    order = SupervisionOrder.objects.create(
        child=child, made_on=timezone.localdate(), recorded_by=worker
    )
    return Side(
        child,
        episode,
        approval,
        plan,
        action,
        review,
        ppn1,
        session,
        booking,
        meeting,
        meeting_action,
        disruption,
        notification,
        contact,
        order,
        alert,
    )


@dataclass
class World:
    user: object
    inside: Side | None
    outside: Side


def _build(role: str, people: dict) -> World:
    """The role's user, a child inside its scope and one outside (both outside for the
    administrator, who sees no child)."""
    user = people[role]
    far_team = TeamFactory(name="Far team", service=ServiceFactory(name="Elsewhere"))
    far_sw = UserFactory(team=far_team, role=Role.SOCIAL_WORKER)
    far_iro = UserFactory(team=None, service=far_team.service, role=Role.IRO)
    far_chair = UserFactory(team=None, service=far_team.service, role=Role.FORUM_CHAIR)
    far_manager = UserFactory(team=far_team, role=Role.TEAM_MANAGER)
    inside_child = ChildFactory(
        first_name=IN_FIRST,
        last_name=IN_LAST,
        child_id=IN_ID,
        team=people["social_worker"].team,
        social_worker=people["social_worker"],
        iro=people["iro"],
    )
    inside = _side(
        inside_child,
        worker=people["social_worker"],
        iro=people["iro"],
        chair=people["chair"],
        manager=people["team_manager"],
        recipient=user,
        booked=True,
    )
    outside_child = ChildFactory(
        first_name=OUT_FIRST,
        last_name=OUT_LAST,
        child_id=OUT_ID,
        team=far_team,
        social_worker=far_sw,
        iro=far_iro,
    )
    outside = _side(
        outside_child,
        worker=far_sw,
        iro=far_iro,
        chair=far_chair,
        manager=far_manager,
        recipient=far_sw,
        # A booked child is in CPS duty's scope: its outside child has none.
        booked=role != "cps_duty",
    )
    Ssda903Import.objects.create(
        team=far_team,
        started_by=people["administrator"],
        status=Ssda903Import.Status.DONE,
        rejections=[
            {
                "file": "header.csv",
                "row": 2,
                "column": "DOB",
                "child": OUT_ID,
                "message": "Enter a date",
            }
        ],
    )
    # Brothers and sisters across the scope line: the inside child's pages count the outside
    # one, never name them.
    group = SiblingGroup.objects.create(name="Across the line")
    for child in (inside_child, outside_child):
        child.sibling_group = group
        child.save()
    if role == "family_finder":
        FamilyFindingAllocation.objects.create(
            plan=inside.plan,
            kind=FamilyFindingAllocation.Kind.FAMILY_FINDER,
            worker=user,
            allocated_on=timezone.localdate(),
            by=people["cps_duty"],
        )
    return World(user, None if role == "administrator" else inside, outside)


@pytest.fixture
def people(
    social_worker,
    iro,
    cps_duty,
    chair,
    team_manager,
    head_of_service,
    administrator,
    adoption_manager,
    fostering_manager,
    iro_manager,
    admin_officer,
    service,
):
    return {
        # Sees the children they are allocated to as family finder (issue 14): the inside one.
        "family_finder": UserFactory(team=None, service=service, role=Role.FAMILY_FINDER),
        "admin_officer": admin_officer,
        "adoption_manager": adoption_manager,
        "fostering_manager": fostering_manager,
        "iro_manager": iro_manager,
        "social_worker": social_worker,
        "iro": iro,
        "cps_duty": cps_duty,
        "chair": chair,
        "team_manager": team_manager,
        "head_of_service": head_of_service,
        "administrator": administrator,
    }


@pytest.fixture
def admin_officer(service):
    return UserFactory(username="ao", team=None, service=service, role=Role.ADMIN_OFFICER)


def _booking(s: Side):
    return [s.booking.pk] if s.booking else None


def _assessment(s: Side):
    """An assessment of the side's meeting, made the first time a URL asks for it."""
    return MeetingAssessment.objects.filter(meeting=s.meeting).first() or (
        MeetingAssessment.objects.create(
            meeting=s.meeting,
            kind=MeetingAssessment.Kind.PARENTING,
            owner=s.meeting.created_by,
            due_on=timezone.localdate(),
        )
    )


def _sitting(s: Side):
    """A Permanence Panel sitting with the side's meeting on its agenda, made the first time a
    URL asks for it (the meeting's kind is kept, so no role's scope changes)."""
    if s.meeting.sitting_id is None:
        s.meeting.sitting = PanelSitting.objects.create(
            sits_on=timezone.localdate(),
            chair=s.meeting.created_by,
            created_by=s.meeting.created_by,
        )
        s.meeting.save(update_fields=["sitting"])
    return s.meeting.sitting


def _paper(s: Side):
    """A paper attached to the side's Part 1 (content naming nobody), made the first time."""
    if s.booking is None:
        return None
    part1 = s.booking.part1
    paper = part1.attachments.first()
    if paper is None:
        paper = Part1Attachment(
            part1=part1,
            kind=Part1Attachment.Kind.GENOGRAM,
            original_name="genogram.pdf",
            size=12,
            uploaded_by=s.booking.requested_by,
        )
        paper.file.save("genogram.pdf", ContentFile(b"%PDF-1.4 tree"), save=False)
        paper.save()
    return [s.booking.pk, paper.pk]


def _part2_task(s: Side):
    """A task on the side's Part 2, made the first time a URL asks for it."""
    if s.booking is None:
        return None
    part2 = s.booking.part2
    task = part2.tasks.first() or Part2Task.objects.create(
        part2=part2,
        what="Refer for family finding",
        owner=s.booking.requested_by,
        due_on=timezone.localdate(),
    )
    return [s.booking.pk, task.pk]


# -- family finding (issue 14): each side's records made the first time a URL asks ------------


def _finding(s: Side, name: str):
    """The side's household (of the child's service, linked to the child by a potential match),
    its search, order or SGO assessment, made the first time a URL asks for it."""
    from permanence.models import FamilySearch, OrderRecord, PotentialMatch, SgoAssessment

    worker = s.plan.created_by
    match = PotentialMatch.objects.filter(plan=s.plan).first()
    if match is None:
        from tests.factories.finding import CarerHouseholdFactory

        household = CarerHouseholdFactory(
            name=f"Household of {s.child.team.name}",
            service=s.child.team.service,
            supervising_social_worker=worker,
            created_by=worker,
        )
        match = PotentialMatch.objects.create(
            plan=s.plan, carer=household, considered_on=timezone.localdate(), recorded_by=worker
        )
    if name == "household":
        return match.carer
    if name == "match":
        return match
    if name == "search":
        return FamilySearch.objects.filter(plan=s.plan).first() or FamilySearch.objects.create(
            plan=s.plan, started_on=timezone.localdate(), recorded_by=worker
        )
    if name == "order":
        return OrderRecord.objects.filter(plan=s.plan).first() or OrderRecord.objects.create(
            plan=s.plan, child=s.child, kind=OrderRecord.Kind.RETURN_HOME, recorded_by=worker
        )
    return SgoAssessment.objects.filter(plan=s.plan).first() or SgoAssessment.objects.create(
        plan=s.plan, applicants="Mr and Mrs Example", assessor=worker, recorded_by=worker
    )


# Every named URL with arguments, and how to fill them from one side's records.
ARGS = {
    "permanence:child-detail": lambda s: [s.child.pk],
    "permanence:child-history": lambda s: [s.child.pk],
    "permanence:child-update": lambda s: [s.child.pk],
    "permanence:episode-create": lambda s: [s.child.pk],
    "permanence:episode-end": lambda s: [s.child.pk, s.episode.pk],
    "permanence:connected-approval-create": lambda s: [s.child.pk],
    "permanence:connected-approval-extend": lambda s: [s.child.pk, s.approval.pk],
    "permanence:connected-approval-resolve": lambda s: [s.child.pk, s.approval.pk],
    "permanence:sibling-group-create": lambda s: [s.child.pk],
    "permanence:sibling-group-change": lambda s: [s.child.pk],
    "permanence:sibling-assessment": lambda s: [s.child.pk],
    "permanence:sibling-evidence": lambda s: [s.child.pk],
    "permanence:contact-create": lambda s: [s.child.pk],
    "permanence:contact-end": lambda s: [s.child.pk, s.contact.pk],
    "permanence:supporting-adult-create": lambda s: [s.child.pk],
    "permanence:supervision-order-create": lambda s: [s.child.pk],
    "permanence:supervision-order-extend": lambda s: [s.child.pk, s.order.pk],
    "permanence:supervision-order-end": lambda s: [s.child.pk, s.order.pk],
    "permanence:placement-support-create": lambda s: [s.child.pk],
    "permanence:plan-for-child": lambda s: [s.child.pk],
    "permanence:plan-create": lambda s: [s.child.pk],
    "permanence:plan-detail": lambda s: [s.plan.pk],
    "permanence:plan-pdf": lambda s: [s.plan.pk],
    "permanence:plan-update": lambda s: [s.plan.pk],
    "permanence:plan-route": lambda s: [s.plan.pk],
    "permanence:plan-ratify": lambda s: [s.plan.pk],
    "permanence:plan-action-create": lambda s: [s.plan.pk],
    "permanence:plan-action-done": lambda s: [s.plan.pk, s.action.pk],
    "permanence:plan-transition": lambda s: [s.plan.pk, "present"],
    "permanence:notification-open": lambda s: [s.notification.pk],
    "reviews:child-reviews": lambda s: [s.child.pk],
    "reviews:iro-allocate": lambda s: [s.child.pk],
    "reviews:review-book": lambda s: [s.child.pk],
    "reviews:review-record": lambda s: [s.child.pk],
    "reviews:review-detail": lambda s: [s.review.pk],
    "reviews:review-cancel": lambda s: [s.review.pk],
    "reviews:review-ratify": lambda s: [s.review.pk],
    "reviews:review-ratification-pdf": lambda s: [s.review.pk],
    "reviews:sgo-referral": lambda s: [s.review.pk],
    "reviews:ppn1-create": lambda s: [s.review.pk],
    "reviews:ppn1-detail": lambda s: [s.ppn1.pk],
    "reviews:ppn1-book": lambda s: [s.ppn1.pk],
    "forums:session-detail": lambda s: [s.session.pk],
    "forums:session-update": lambda s: [s.session.pk],
    "forums:session-cancel": lambda s: [s.session.pk],
    "forums:session-agenda": lambda s: [s.session.pk],
    "forums:session-minutes": lambda s: [s.session.pk],
    "forums:booking-detail": _booking,
    "forums:booking-confirm": _booking,
    "forums:booking-decline": _booking,
    "forums:booking-cancel": _booking,
    "forums:booking-withdraw": _booking,
    "forums:booking-present": _booking,
    "forums:part1-edit": _booking,
    "forums:part1-detail": _booking,
    "forums:part1-pdf": _booking,
    "forums:part1-attachment": _paper,
    "forums:part1-attachment-remove": _paper,
    "forums:part2-task-done": _part2_task,
    "forums:part2-edit": _booking,
    "forums:part2-detail": _booking,
    "forums:part2-pdf": _booking,
    "forums:meeting-detail": lambda s: [s.meeting.pk],
    "forums:meeting-record": lambda s: [s.meeting.pk],
    "forums:meeting-action-done": lambda s: [s.meeting.pk, s.meeting_action.pk],
    "forums:meeting-assessment-done": lambda s: [s.meeting.pk, _assessment(s).pk],
    "forums:meeting-papers-sent": lambda s: [s.meeting.pk],
    "forums:meeting-matching-report": lambda s: [s.meeting.pk],
    "forums:meeting-bundle-index-pdf": lambda s: [s.meeting.pk],
    "forums:match-decision": lambda s: [s.meeting.pk],
    "forums:match-ratify": lambda s: [s.meeting.pk],
    "forums:panel-sitting-detail": lambda s: [_sitting(s).pk],
    "forums:panel-escalation-create": lambda s: [s.child.pk],
    "forums:disruption-detail": lambda s: [s.disruption.pk],
    "forums:disruption-extend-fee": lambda s: [s.disruption.pk],
    "forums:disruption-outcome": lambda s: [s.disruption.pk],
    "permanence:finding": lambda s: [s.plan.pk],
    "permanence:finding-allocate": lambda s: [s.plan.pk],
    "permanence:finding-search-create": lambda s: [s.plan.pk],
    "permanence:finding-search-update": lambda s: [s.plan.pk, _finding(s, "search").pk],
    "permanence:finding-match-create": lambda s: [s.plan.pk],
    "permanence:finding-match-update": lambda s: [s.plan.pk, _finding(s, "match").pk],
    "permanence:finding-match-placed": lambda s: [s.plan.pk, _finding(s, "match").pk],
    "permanence:finding-order-create": lambda s: [s.plan.pk],
    "permanence:finding-order-update": lambda s: [s.plan.pk, _finding(s, "order").pk],
    "permanence:finding-sgo-create": lambda s: [s.plan.pk],
    "permanence:finding-sgo-update": lambda s: [s.plan.pk, _finding(s, "sgo").pk],
    "permanence:household-detail": lambda s: [_finding(s, "household").pk],
    "permanence:household-update": lambda s: [_finding(s, "household").pk],
    "tracker:chronology": lambda s: [s.child.pk],
    "tracker:backlog-review": lambda s: [s.alert.pk],
    "tracker:task-done": lambda s: ["plan-action", s.action.pk],
}

# URLs with arguments the walk does not fill from a child's records, and why.
LISTED = {
    "forums:calendar-feed": "its argument is the reader's secret; walked in test_calendar_feed",
    "tracker:ssda903-import-detail": "an import belongs to no child; walked in "
    "test_list_pages_never_show_the_outside_child with the import naming OUT999",
    "tracker:measures-timeliness-list": "its argument names a measure, not a child's record; "
    "every measure's list is walked in test_list_pages_never_show_the_outside_child",
}

# Pages an administrator reaches that carry child identifiers by law, and why: the SSDA903
# return the administrator sends the DfE holds every looked-after child's identifier (and no
# name). Names must still never appear there.
IDENTIFIERS_BY_LAW = {"tracker:ssda903-export", "tracker:ssda903-import-detail"}

# Searches that must not find the outside child: the page repeats the words searched for, so
# the other words of the outside child are looked for in the answer.
SEARCHES = [("permanence:child-list", {"q": OUT_LAST}), ("permanence:child-list", {"q": OUT_ID})]

# Records of the outside side a role may open, and why: these name no child of theirs.
OPEN_TO = {
    "cps_duty": {
        "forums:session-detail",
        "forums:session-update",
        "forums:session-cancel",
        "forums:session-agenda",
    },  # CPS duty runs every session of the authority's one forum; this one books no child
}
# A Permanence Panel sitting is the service's weekly panel, not a child's record: those who sit
# on it or bring children to it open any sitting, and its agenda lists only the children the
# reader may see (walked for leaks all the same).
for _role in ("social_worker", "iro", "cps_duty", "chair", "team_manager", "head_of_service"):
    OPEN_TO.setdefault(_role, set()).add("forums:panel-sitting-detail")


def _url_map() -> list[tuple[str, str]]:
    return [(n, r) for n, r, _ in _walk(get_resolver().url_patterns) if n]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _leaks(text: str, *, identifiers: bool = True, searched: str = "") -> list[str]:
    words = [OUT_FIRST, OUT_LAST] + ([OUT_ID] if identifiers else [])
    return [w for w in words if w in text and w != searched]


def test_every_url_is_walked_or_listed():
    """A new URL must be given arguments here, or listed with the reason it is not."""
    names = {n for n, _ in _url_map()}
    with_args = {n for n, r in _url_map() if "<" in r}
    unhandled = with_args - set(ARGS) - set(LISTED)
    assert not unhandled, f"URLs neither walked nor listed: {sorted(unhandled)}"
    stale = (set(ARGS) | set(LISTED)) - names
    assert not stale, f"Walked or listed URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_no_url_opens_the_outside_child(client, people, role):
    world = _build(role, people)
    client.force_login(world.user)
    failures = []
    for name, fill in ARGS.items():
        args = fill(world.outside)
        if args is None:
            continue
        url = reverse(name, args=args)
        response = client.get(url)
        if response.status_code not in (403, 404, 405) and name not in OPEN_TO.get(role, ()):
            failures.append(f"{name} {url} answered {response.status_code}")
        leaked = _leaks(_body(response))
        if leaked:
            failures.append(f"{name} {url} shows {leaked}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "administrator"])
def test_pages_of_the_inside_child_never_show_the_outside_one(client, people, role):
    world = _build(role, people)
    client.force_login(world.user)
    failures = []
    for name, fill in ARGS.items():
        url = reverse(name, args=fill(world.inside))
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith(reverse("login")):
            failures.append(f"{name} {url} sent a signed-in {role} to sign in")
        leaked = _leaks(_body(response))
        if leaked:
            failures.append(f"{name} {url} shows {leaked}")
    # The inside child really is visible, so the walk above is not of empty pages.
    detail = client.get(reverse("permanence:child-detail", args=[world.inside.child.pk]))
    assert detail.status_code == 200, f"{role} cannot open the child in their scope"
    assert IN_LAST in _body(detail)
    assert not failures, f"As {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_list_pages_never_show_the_outside_child(client, people, role):
    world = _build(role, people)
    client.force_login(world.user)
    failures = []
    pages = [(n, reverse(n), {}) for n, r in _url_map() if "<" not in r and n != "logout"]
    pages += [(n, reverse(n), q) for n, q in SEARCHES]
    pages += [
        (
            "tracker:measures-timeliness-list",
            reverse("tracker:measures-timeliness-list", args=[m.key]),
            {},
        )
        for m in TIMELINESS_MEASURES
    ]
    import_detail = Ssda903Import.objects.get()
    pages.append(
        (
            "tracker:ssda903-import-detail",
            reverse("tracker:ssda903-import-detail", args=[import_detail.pk]),
            {},
        )
    )
    for name, url, query in pages:
        response = client.get(url, query)
        by_law = role == "administrator" and name in IDENTIFIERS_BY_LAW
        leaked = _leaks(_body(response), identifiers=not by_law, searched=query.get("q", ""))
        if leaked:
            failures.append(f"{name} {url} {query or ''} shows {leaked}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_calendar_feed(client, people, role):
    world = _build(role, people)
    token = calendar_feed_renew(by=world.user)
    response = client.get(reverse("forums:calendar-feed", args=[token]))
    assert response.status_code == 200
    assert not _leaks(_body(response))


def test_admin_pages_show_no_child(client, people):
    """The administrator sees no child: no admin list or record page names one, even to a
    superuser, since every registered model is the administrator's own."""
    _build("administrator", people)
    superuser = UserFactory(team=None, is_staff=True, is_superuser=True)
    failures = []
    for user in (people["administrator"], superuser):
        client.force_login(user)
        for model, model_admin in admin.site._registry.items():
            info = (model._meta.app_label, model._meta.model_name)
            urls = [reverse("admin:{}_{}_changelist".format(*info))]
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[pk])
                for pk in model.objects.values_list("pk", flat=True)[:50]
            ]
            if hasattr(model_admin, "history_view"):
                urls += [
                    reverse("admin:{}_{}_history".format(*info), args=[pk])
                    for pk in model.objects.values_list("pk", flat=True)[:5]
                ]
            for url in urls:
                text = _body(client.get(url))
                for word in (OUT_FIRST, OUT_LAST, OUT_ID, IN_FIRST, IN_LAST, IN_ID):
                    if word in text:
                        failures.append(f"{user.username}: {url} shows {word}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_backlog_is_of_the_managers_own_service(client, people, role):
    """The backlog at go-live: a manager of the service sees the inside child's item and may
    mark it reviewed; nobody may mark the outside child's."""
    world = _build(role, people)
    client.force_login(world.user)
    outside = client.post(reverse("tracker:backlog-review", args=[world.outside.alert.pk]))
    assert outside.status_code in (403, 404)
    world.outside.alert.refresh_from_db()
    assert world.outside.alert.reviewed_at is None
    page = client.get(reverse("tracker:backlog"))
    managers = {"team_manager", "head_of_service", "adoption_manager"}
    managers |= {"fostering_manager", "iro_manager"}
    if role in managers:
        assert IN_LAST in _body(page)
        inside = client.post(reverse("tracker:backlog-review", args=[world.inside.alert.pk]))
        assert inside.status_code == 302
    else:
        assert page.status_code == 403
    assert not _leaks(_body(page))


@pytest.mark.parametrize("role", ROLES)
def test_iro_reviews_is_the_iro_managers_of_their_own_service(client, people, role):
    """The IROs' reviews page: only the IRO manager opens it, and it lists the inside child's
    plan waiting for ratification, never the outside child's."""
    world = _build(role, people)
    today = timezone.localdate()
    # Both children looked after, second review held, no plan ratified: both would be listed.
    both = Child.objects.filter(last_name__in=[IN_LAST, OUT_LAST])
    tracker_rows_refresh(scope=ChildScope(pks=tuple(both.values_list("pk", flat=True))))
    rows = TrackerRow.objects.filter(child__last_name__in=[IN_LAST, OUT_LAST])
    assert rows.count() == 2
    for row in rows:
        row.period_start, row.period_end = today, None
        row.second_review_due = row.second_review_held_on = today
        row.first_ratified_on = None
        row.save()
    client.force_login(world.user)
    page = client.get(reverse("tracker:iro-reviews"))
    if role == "iro_manager":
        assert page.status_code == 200
        assert IN_LAST in _body(page)
    else:
        assert page.status_code == 403
    assert not _leaks(_body(page))


@pytest.mark.parametrize("role", ROLES)
def test_tasks_are_only_of_the_readers_own_children(client, people, role):
    """Your tasks: the social worker's own actions on the inside child are listed and ticked
    there; nobody is shown, or may tick, an action of the outside child."""
    world = _build(role, people)
    client.force_login(world.user)
    outside = [
        reverse("tracker:task-done", args=["plan-action", world.outside.action.pk]),
        reverse("tracker:task-done", args=["meeting-action", world.outside.meeting_action.pk]),
    ]
    for url in outside:
        assert client.post(url).status_code in (403, 404), f"{role} ticked {url}"
    world.outside.action.refresh_from_db()
    world.outside.meeting_action.refresh_from_db()
    assert world.outside.action.done_on is None and world.outside.meeting_action.done_on is None
    page = client.get(reverse("tracker:my-tasks"))
    assert not _leaks(_body(page))
    if role == "social_worker":
        assert IN_LAST in _body(page)
        done = reverse("tracker:task-done", args=["plan-action", world.inside.action.pk])
        assert client.post(done).status_code == 302
        world.inside.action.refresh_from_db()
        assert world.inside.action.done_on is not None
