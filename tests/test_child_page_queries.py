"""A child's page costs the same number of queries however long the child's history grows
(issue 19): a child with something of every kind (a plan, contact, brothers and sisters, family
finding, reviews, forum bookings, meetings, deadlines) read by their social worker and by a head
of service, then with ten times the recorded changes and more of every record.

The first request of a session fills the caches a running server keeps (session, permissions),
as in production (tests/querycount.py `page_queries`).
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence.access import reading_child_page, user_can_see_child
from permanence.models import (
    Child,
    ContactArrangement,
    PlacementSupport,
    SiblingAssessment,
    SiblingEvidence,
    SiblingGroup,
    SupervisionOrder,
    SupportingAdult,
)
from permanence.roles import Role
from permanence.services import child_update
from permanence.together import prefetch_together, read_together
from tests.factories.finding import (
    AllocationFactory,
    FamilySearchFactory,
    PotentialMatchFactory,
    SgoAssessmentFactory,
)
from tests.factories.forums import (
    BookingFactory,
    DisruptionFactory,
    MeetingFactory,
    Part1Factory,
    Part2Factory,
)
from tests.factories.permanence import (
    ChildFactory,
    ConnectedPersonApprovalFactory,
    EpisodeFactory,
    UserFactory,
)
from tests.factories.plans import PlanActionFactory, PlanFactory, rule_out
from tests.factories.reviews import IroAllocationFactory, ReviewFactory
from tests.querycount import page_queries
from tests.test_journey_queries import CHILD_PAGE_QUERIES

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days_ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


def _contact(child, by, relationship="mother", **fields):
    fields.setdefault("person_name", "" if relationship == "sibling" else "Jo Stone")
    return ContactArrangement.objects.create(
        child=child,
        relationship=relationship,
        frequency="Weekly",
        kind="in_person",
        supervision="supervised",
        recorded_by=by,
        **fields,
    )


def _changes(child, by, numbers):
    for n in numbers:
        child_update(child=child, by=by, reason=f"Change {n}", last_name=f"Stone{n}")


@pytest.fixture
def rich_child(team, other_team, social_worker, iro, team_manager):
    """Ava, placed apart from a brother with a sibling assessment, living with a connected
    person, with a ratified plan taken forward by a family finder, reviews, a forum booking
    and three recorded changes."""
    group = SiblingGroup.objects.create(name="The Stone children")
    child = ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        first_name="Ava",
        last_name="Stone",
        sibling_group=group,
    )
    brother = ChildFactory(
        team=team, social_worker=social_worker, first_name="Ben", sibling_group=group
    )
    ChildFactory(team=other_team, first_name="Cal", last_name="Faraway", sibling_group=group)
    assessment = SiblingAssessment.objects.create(
        group=group,
        completed_on=_days_ago(50),
        completed_by="Dr Hale",
        recommendation="apart",
        summary="Ben needs a home of his own.",
        recorded_by=team_manager,
    )
    assessment.apart.add(brother)
    group.assessment, group.placement = assessment, "apart"
    group.save()
    SiblingEvidence.objects.create(
        group=group, noted_on=TODAY(), evidence="Ben asks to live with Ava", recorded_by=iro
    )
    _contact(child, team_manager)
    _contact(child, team_manager, "sibling", sibling=brother)
    SupportingAdult.objects.create(
        child=child, name="Aunt Mo", relationship="Aunt", support="Weekends", recorded_by=iro
    )
    SupervisionOrder.objects.create(
        child=child, made_on=_days_ago(100), conditions="Weekly visits", recorded_by=iro
    )
    PlacementSupport.objects.create(
        child=child,
        risk_noted_on=TODAY(),
        risk="Carer unwell",
        support="Respite offered",
        offered_on=TODAY(),
        recorded_by=iro,
    )
    EpisodeFactory(child=child, decom=_days_ago(300), dec=_days_ago(200), rec="E4A")
    EpisodeFactory(child=child, decom=_days_ago(200), rne="P", legal_status="C2", place="U1")
    ConnectedPersonApprovalFactory(child=child, placed_on=_days_ago(200), recorded_by=iro)
    plan = PlanFactory(child=child, ready=True, created_by=social_worker)
    rule_out(child, "return_home", by=social_worker)
    AllocationFactory(plan=plan, worker=social_worker, by=team_manager)
    FamilySearchFactory(plan=plan, recorded_by=social_worker)
    PotentialMatchFactory(plan=plan, recorded_by=social_worker)
    SgoAssessmentFactory(plan=plan, recorded_by=social_worker)
    IroAllocationFactory(child=child, iro=iro, allocated_by=team_manager)
    ReviewFactory(child=child, period_started_on=_days_ago(300), created_by=iro)
    past = BookingFactory(child=child, requested_by=social_worker, status="part2_sent")
    Part1Factory(booking=past)
    Part2Factory(booking=past)
    BookingFactory(child=child, requested_by=social_worker)
    MeetingFactory(child=child, created_by=social_worker)
    DisruptionFactory(child=child, recorded_by=social_worker)
    _changes(child, team_manager, range(3))
    child.refresh_from_db()
    return child


def _more_of_everything(child, team, other_team, social_worker, iro, team_manager):
    """Ten times the recorded changes, and more of every kind of record."""
    _changes(child, team_manager, range(3, 30))
    group = child.sibling_group
    for k in range(3):
        sister = ChildFactory(
            team=team, first_name=f"Dee{k}", last_name="Stone", sibling_group=group
        )
        _contact(sister, team_manager, "sibling", sibling=child)
        _contact(child, team_manager, "sibling", sibling=sister)
        far = ChildFactory(team=other_team, first_name=f"Far{k}", sibling_group=group)
        _contact(child, team_manager, "sibling", sibling=far)
        _contact(child, team_manager, "father", person_name=f"Dad {k}", ended_on=_days_ago(k))
        SiblingEvidence.objects.create(
            group=group, noted_on=_days_ago(k), evidence=f"Evidence {k}", recorded_by=iro
        )
        SupportingAdult.objects.create(
            child=child, name=f"Adult {k}", relationship="Friend", support="Trips", recorded_by=iro
        )
        SupervisionOrder.objects.create(
            child=child, made_on=_days_ago(90 - k), conditions="Visits", recorded_by=iro
        )
        PlacementSupport.objects.create(
            child=child,
            risk_noted_on=_days_ago(k),
            risk=f"Risk {k}",
            support="Support",
            offered_on=_days_ago(k),
            recorded_by=iro,
        )
        EpisodeFactory(
            child=child, decom=_days_ago(400 + 10 * k), dec=_days_ago(395 + 10 * k), rec="E13"
        )
        ReviewFactory(
            child=child,
            period_started_on=_days_ago(300),
            sequence=2 + k,
            created_by=iro,
        )
        old = BookingFactory(child=child, requested_by=social_worker, status="withdrawn")
        Part1Factory(booking=old)
        MeetingFactory(child=child, created_by=social_worker)
        DisruptionFactory(child=child, recorded_by=social_worker)
        PlanActionFactory(plan=child.plans.get(), owner=social_worker)
        rule_out(child, "connected_person", by=social_worker)
    plan = child.plans.get()
    FamilySearchFactory(plan=plan, recorded_by=social_worker)
    PotentialMatchFactory(plan=plan, recorded_by=social_worker)


# At most this many queries for a child's page as a running server serves it (bench_pages:
# every page at most 15), for every role that may open the child, however much is recorded.
CHILD_PAGE_SERVED_QUERIES = 14


@pytest.fixture
def served(settings):
    """Roles, permissions and the session read from the shared cache, as in production (Redis):
    the page's own queries, as `manage.py bench_pages` counts them."""
    settings.AUTH_CACHE_SECONDS = 300
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


def _chairs_the_booked_session(child, chair):
    session = child.forum_bookings.get(status="part2_sent").session
    session.chair = chair
    session.save()


READERS = ["social_worker", "team_manager", "iro", "head_of_service", "cps_duty", "chair"]


@pytest.mark.parametrize("reader", ["social_worker", "head_of_service"])
def test_a_childs_page_costs_the_same_however_much_is_recorded(
    client, request, reader, rich_child, team, other_team, social_worker, iro, team_manager
):
    user = request.getfixturevalue(reader)
    url = reverse("permanence:child-detail", args=[rich_child.pk])
    few, page = page_queries(client, user, url)
    assert "Change 2" in page and "Ben asks to live with Ava" in page
    _more_of_everything(rich_child, team, other_team, social_worker, iro, team_manager)
    many, page = page_queries(client, user, url)
    # What the page shows with the longer history: every change, sibling and record.
    assert "Change 29" in page and "Stone28" in page
    assert "Dee2 Stone" in page and "Adult 2" in page and "Risk 2" in page and "Evidence 2" in page
    assert "C2: Full care order" in page
    assert "Jean and Peter Smith (grandparents)" in page  # the connected person's approval
    assert "Weekly visits" in page  # the supervision order
    assert 'Open actions</dt><dd class="govuk-summary-list__value">4</dd>' in page
    assert many == few <= CHILD_PAGE_QUERIES


@pytest.mark.parametrize("reader", READERS)
def test_a_childs_page_as_served_costs_at_most_fifteen_queries_for_every_reader(
    client, request, served, reader, rich_child, team, other_team, social_worker, iro, team_manager
):
    """CPS duty's several reasons to open a child (bookings, meetings, family finding) are
    worked out once for the page, not once for each of its sections."""
    user = request.getfixturevalue(reader)
    if reader == "chair":
        _chairs_the_booked_session(rich_child, user)
    url = reverse("permanence:child-detail", args=[rich_child.pk])
    few, page = page_queries(client, user, url)
    assert "Ben asks to live with Ava" in page
    assert page.count("Long-term placement with Ms Carer disrupted") == 1
    _more_of_everything(rich_child, team, other_team, social_worker, iro, team_manager)
    many, page = page_queries(client, user, url)
    assert "Change 29" in page and "Risk 2" in page
    assert page.count("Long-term placement with Ms Carer disrupted") == 4
    assert many == few == CHILD_PAGE_SERVED_QUERIES


@pytest.mark.parametrize("held", [True, False], ids=["first review held", "none held"])
@pytest.mark.parametrize("reader", ["social_worker", "cps_duty"])
def test_the_prompt_to_book_the_forum_now_costs_no_query_of_its_own(
    client, request, served, reader, held, rich_child
):
    """An adoption plan with no live booking: the forum's section says to book now unless the
    first review has been held, from the reviews the page has already read."""
    rich_child.forum_bookings.update(status="withdrawn")
    rich_child.plans.update(route="adoption")
    if not held:
        rich_child.reviews.update(held_on=None)
    user = request.getfixturevalue(reader)
    url = reverse("permanence:child-detail", args=[rich_child.pk])
    count, page = page_queries(client, user, url)
    assert ("book a permanency forum slot now" in page) is not held
    assert count == CHILD_PAGE_SERVED_QUERIES


def test_the_iro_shown_is_the_allocated_one_when_the_record_names_another(
    client, served, rich_child, social_worker, team
):
    """The child's record changed by hand to another IRO: the reviews' section still names the
    IRO allocated, at one query more."""
    other_iro = UserFactory(username="iro2", first_name="Rae", last_name="Other", role=Role.IRO)
    allocated = rich_child.iro_allocations.get(ended_on__isnull=True).iro
    Child.objects.filter(pk=rich_child.pk).update(iro=other_iro)
    url = reverse("permanence:child-detail", args=[rich_child.pk])
    count, page = page_queries(client, social_worker, url)
    reviews = page[page.index('id="reviews"') :]
    iro_row = reviews[: reviews.index("</div>")]
    assert str(allocated) in iro_row and "Rae Other" not in iro_row
    assert count == CHILD_PAGE_SERVED_QUERIES + 1


def test_a_page_works_out_who_may_see_a_child_once_and_forgets_it_after(cps_duty, rich_child, team):
    other = ChildFactory(team=team, first_name="Dot")
    with reading_child_page(cps_duty, rich_child):
        assert user_can_see_child(cps_duty, rich_child)
        assert not user_can_see_child(cps_duty, other)
        with CaptureQueriesContext(connection) as again:
            assert not user_can_see_child(cps_duty, other)
        assert len(again) == 0
        BookingFactory(child=other)
        assert not user_can_see_child(cps_duty, other)  # as this page first worked it out
    assert user_can_see_child(cps_duty, other)  # the next page sees the booking


def test_brothers_and_sisters_the_reader_cannot_open_are_counted_not_named(
    client, rich_child, team, other_team, social_worker, iro, team_manager, head_of_service
):
    _more_of_everything(rich_child, team, other_team, social_worker, iro, team_manager)
    url = reverse("permanence:child-detail", args=[rich_child.pk])
    _, page = page_queries(client, social_worker, url)
    assert "Faraway" not in page and "Far2" not in page
    assert "And 4 more brothers or sisters whose records you cannot open." in page
    _, page = page_queries(client, head_of_service, url)
    assert "Cal Faraway" in page and "Far2" in page
    assert "you cannot open" not in page


def test_records_read_together_come_back_as_stored_in_their_own_order(team, iro):
    """The supporting adults, supervision orders and placement support the page lists in one
    query: every column as the model holds it (dates, date-times, blanks), in each list's own
    order."""
    child = ChildFactory(team=team)
    for k in range(3):
        SupportingAdult.objects.create(
            child=child, name=f"Zoë {3 - k}", relationship="Aunt", support="Trips", recorded_by=iro
        )
        SupervisionOrder.objects.create(
            child=child,
            made_on=_days_ago(k),
            conditions="Visits",
            extended_on=TODAY() if k else None,
            extension_months=k or None,
            recorded_by=iro,
        )
        PlacementSupport.objects.create(
            child=child,
            risk_noted_on=_days_ago(10 - k),
            risk="Risk",
            support="Respite",
            offered_on=TODAY(),
            recorded_by=iro,
        )
    lists = {
        "adults": child.supporting_adults.all(),
        "orders": child.supervision_orders.all(),
        "support": child.placement_support.all(),
    }
    together = read_together(**lists)
    for name, queryset in lists.items():
        expected = list(queryset)
        assert [r.pk for r in together[name]] == [r.pk for r in expected], name
        for got, want in zip(together[name], expected, strict=True):
            for field in type(want)._meta.concrete_fields:
                assert getattr(got, field.attname) == getattr(want, field.attname), field.name
                assert type(getattr(got, field.attname)) is type(getattr(want, field.attname))


def test_lists_read_together_for_one_child_then_another_are_each_their_own(team, iro):
    """The child's page reads its lists with one query compiled once and kept: the second
    child's page shows the second child's records, as stored, never the first's, and a child in
    a brothers-and-sisters group gets the group's evidence."""
    first, second = ChildFactory(team=team), ChildFactory(team=team)
    for child, names in ((first, ["Ann", "Bea"]), (second, ["Cy"])):
        for name in names:
            SupportingAdult.objects.create(
                child=child, name=name, relationship="Aunt", support="Trips", recorded_by=iro
            )
        SupervisionOrder.objects.create(
            child=child, made_on=_days_ago(len(names)), conditions="Visits", recorded_by=iro
        )
    for child in (first, second):
        fresh = type(child).objects.get(pk=child.pk)
        prefetch_together((fresh, "supporting_adults"), (fresh, "supervision_orders"))
        with CaptureQueriesContext(connection) as read:
            adults = list(fresh.supporting_adults.all())
            orders = list(fresh.supervision_orders.all())
        assert len(read) == 0, "the lists came from memory"
        assert adults == list(child.supporting_adults.all())
        assert [o.made_on for o in orders] == [o.made_on for o in child.supervision_orders.all()]
        assert all(a.child is fresh for a in adults)
    assert [a.name for a in fresh.supporting_adults.all()] == ["Cy"]
