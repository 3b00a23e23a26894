"""Query counts of every role's landing page and of the pages the load journeys walk besides the
tracker (issue 19): each page is read with a little data and then with several times more, and
must cost the same, and no more than its pin, both times.

The data is the synthetic service (`tracker.bench.build` and the daily sweep), with what each page
lists added for its reader: plan and meeting actions for the social worker, PPN1s for the admin
officer, plans in family finding for the family finder, plans for the adoption and fostering
managers, and notifications about the reader's children.
"""

import datetime as dt

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from forums.models import Booking, ForumSession, MeetingAction
from permanence import dates
from permanence.models import Child, FamilyFindingAllocation, Service, User
from permanence.models.plans import Route
from permanence.notifications import notify
from permanence.roles import Role
from permanence.services import system_user
from reviews.models import Ppn1, Review
from tests.factories.finding import AllocationFactory, FamilySearchFactory
from tests.factories.forums import (
    BookingFactory,
    ForumSessionFactory,
    MeetingFactory,
    Part1Factory,
)
from tests.factories.permanence import UserFactory
from tests.factories.plans import PlanActionFactory, PlanFactory
from tests.querycount import page_queries
from tracker import bench, services

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 15
FEW, MANY = 12, 60


def _build(n: int) -> None:
    by = system_user()
    bench.build(n, by=by)
    services.deadlines_sweep(by=by)


def _person(role: str) -> User:
    """The reader: the synthetic service's own where it makes one of the role, else one of the
    role in the synthetic service."""
    seeded = {
        Role.SOCIAL_WORKER: "bench_sw0",
        Role.TEAM_MANAGER: "bench_tm0",
        Role.IRO: "bench_iro0",
        Role.HEAD_OF_SERVICE: "bench_hos",
        Role.CPS_DUTY: "bench_cps",
    }
    if role in seeded:
        return User.objects.get(username=seeded[role])
    service = Service.objects.get(name="Bench service")
    return UserFactory(username=f"reader_{role}", team=None, service=service, role=role)


def _children_of(user: User, start: int, n: int) -> list[Child]:
    return list(Child.objects.filter(social_worker=user).order_by("pk")[start : start + n])


def _bench_children(start: int, n: int) -> list[Child]:
    return list(
        Child.objects.filter(child_id__startswith=bench.PREFIX).order_by("pk")[start : start + n]
    )


def _today() -> dt.date:
    return timezone.localdate()


# -- what each page lists, added for its reader ----------------------------------------------


def _tasks(reader: User, start: int, n: int) -> None:
    """Plan actions and meeting actions the social worker owns, on their own children."""
    for k, child in enumerate(_children_of(reader, start, n)):
        plan = PlanFactory(child=child, created_by=reader)
        PlanActionFactory(
            plan=plan,
            owner=reader,
            what=f"Plan task {start + k}",
            due_on=_today() + dt.timedelta(days=k),
        )
        meeting = MeetingFactory(child=child, created_by=reader)
        MeetingAction.objects.create(
            meeting=meeting,
            what=f"Meeting task {start + k}",
            owner=reader,
            due_on=_today() - dt.timedelta(days=k),
        )


def _ppn1s(reader: User, start: int, n: int) -> None:
    """PPN1s sent to the admin officer: every other one with its meeting booked."""
    iro = User.objects.get(username="bench_iro0")
    manager = UserFactory(team=None, role=Role.ADOPTION_MANAGER)
    for k, child in enumerate(_bench_children(start, n)):
        plan = PlanFactory(child=child, created_by=iro, route=Route.ADOPTION)
        review = Review.objects.create(
            child=child,
            period_started_on=_today() - dt.timedelta(days=200),
            sequence=90 + k,
            due_on=_today() - dt.timedelta(days=30),
            held_on=_today() - dt.timedelta(days=30),
            participation="PN1",
            created_by=iro,
        )
        booked = k % 2 == 1
        Ppn1.objects.create(
            review=review,
            child=child,
            plan=plan,
            route=plan.route,
            plan_summary="Adoption.",
            family_finding=Ppn1.FamilyFinding.ADOPTION,
            adoption_manager=manager,
            fostering_manager=manager,
            admin_officer=reader,
            completed_by=iro,
            completed_on=_today() - dt.timedelta(days=20),
            meeting_on=_today() + dt.timedelta(days=k) if booked else None,
            meeting_booked_by=UserFactory(team=None) if booked else None,
            planning_meeting_id=MeetingFactory(child=child, created_by=reader).pk
            if booked
            else None,
        )


def _plans(reader: User, start: int, n: int) -> None:
    """Plans of adoption and long-term fostering, each with a family finder and a search."""
    for k, child in enumerate(_bench_children(start, n)):
        route = Route.ADOPTION if k % 2 else Route.LONG_TERM_FOSTERING
        plan = PlanFactory(child=child, route=route, created_by=system_user())
        finder = reader if reader.has_role(Role.FAMILY_FINDER) else UserFactory(team=None)
        AllocationFactory(plan=plan, worker=finder, kind=FamilyFindingAllocation.Kind.FAMILY_FINDER)
        FamilySearchFactory(plan=plan)


def _notifications(reader: User, start: int, n: int) -> None:
    """Notifications about the synthetic children, each linking to the child's page."""
    for k, child in enumerate(_bench_children(start, n)):
        notify(
            recipients=[reader],
            subject=f"Notice {start + k}",
            body="Something changed.",
            link=child.get_absolute_url(),
            child=child,
            email=False,
        )


def _bookings(reader: User, start: int, n: int) -> None:
    """A forum session (chaired by the reader when they chair) with a confirmed booking and
    its Part 1 for each of N synthetic children."""
    chair = reader if reader.has_role(Role.FORUM_CHAIR) else None
    session = ForumSession.objects.filter(chair=reader).first() if chair else None
    session = session or ForumSessionFactory(
        forum_date=dates.add_working_days(_today(), 1 + start),
        slot_count=20,
        **({"chair": chair} if chair else {}),
    )
    for child in _bench_children(start, n):
        booking = BookingFactory(
            session=session,
            child=child,
            requested_by=child.social_worker or reader,
            status=Booking.Status.CONFIRMED,
        )
        Part1Factory(booking=booking)


ADDS = {
    "bookings": _bookings,
    "tasks": _tasks,
    "ppn1s": _ppn1s,
    "plans": _plans,
    "notifications": _notifications,
    "none": lambda reader, start, n: None,
}


def _pinned(client, role, url_of, adds) -> tuple[int, int, str]:
    _build(FEW)
    reader = _person(role)
    ADDS[adds](reader, 0, 3)
    url = url_of(client, reader)
    few, _ = page_queries(client, reader, url)
    _build(MANY)
    ADDS[adds](reader, 3, 15)
    many, page = page_queries(client, reader, url)
    return few, many, page


# -- every role's landing page: where "home" sends them ---------------------------------------


def _home(client, reader) -> str:
    """Where "home" leads the reader, through every redirect (the chair's next agenda leads on
    to that session's agenda)."""
    client.force_login(reader)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200 and response.redirect_chain
    return response.request["PATH_INFO"]


@pytest.mark.parametrize(
    ("role", "lands_on", "adds", "shows"),
    [
        (Role.CPS_DUTY, "forums:home", "bookings", "Sessions this month"),
        (Role.FORUM_CHAIR, "forums:session-agenda", "bookings", "Bench Child 18"),
        (Role.IRO, "reviews:iro-dashboard", "none", "Bench Child"),
        (Role.HEAD_OF_SERVICE, "tracker:dashboard", "none", "Bench Child"),
        (Role.SOCIAL_WORKER, "tracker:my-tasks", "tasks", "Plan task 17"),
        (Role.IRO_MANAGER, "tracker:iro-reviews", "none", "iro0 Bench"),
        (Role.ADMIN_OFFICER, "reviews:ppn1-list", "ppn1s", "Bench Child 18"),
        (Role.FAMILY_FINDER, "tracker:family-finding", "plans", "Child 18"),
        (Role.TEAM_MANAGER, "tracker:dashboard", "none", "Bench Child"),
        (Role.ADOPTION_MANAGER, "tracker:dashboard", "plans", "Bench Child"),
        (Role.FOSTERING_MANAGER, "tracker:dashboard", "plans", "Bench Child"),
    ],
)
def test_a_roles_landing_page_costs_the_same_for_five_times_the_data(
    client, role, lands_on, adds, shows
):
    def url_of(client, reader):
        url = _home(client, reader)
        assert resolve(url).view_name == lands_on
        return url

    few, many, page = _pinned(client, role, url_of, adds)
    assert shows in page
    assert many == few <= PAGE_QUERIES


def test_the_social_workers_tasks_list_every_kind_with_more_data(client):
    few, many, page = _pinned(
        client, Role.SOCIAL_WORKER, lambda c, r: reverse("tracker:my-tasks"), "tasks"
    )
    assert "Plan task 17" in page and "Meeting task 17" in page and "Met when" in page
    assert many == few <= PAGE_QUERIES


def test_the_ppn1s_list_shows_who_booked_each_meeting_with_more_data(client):
    few, many, page = _pinned(
        client, Role.ADMIN_OFFICER, lambda c, r: reverse("reviews:ppn1-list"), "ppn1s"
    )
    assert "Open the meeting" in page and "Bench Child 18" in page
    assert many == few <= PAGE_QUERIES


# -- the plans and the notifications -----------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADOPTION_MANAGER, Role.FOSTERING_MANAGER])
def test_the_plans_cost_the_same_for_five_times_the_plans(client, role):
    few, many, page = _pinned(client, role, lambda c, r: reverse("permanence:plan-list"), "plans")
    assert "Child 18" in page
    assert many == few <= PAGE_QUERIES


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.ADOPTION_MANAGER]
)
def test_the_notifications_cost_the_same_for_five_times_the_notifications(client, role):
    few, many, page = _pinned(
        client, role, lambda c, r: reverse("permanence:notification-list"), "notifications"
    )
    assert "Notice 17" in page
    assert many == few <= PAGE_QUERIES
