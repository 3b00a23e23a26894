"""The IRO's services: allocation, reviews, the checklist at the second review and PPN1
(004, 002 §7-8). Bad input is refused with a clear message and nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import Meeting
from permanence.models import Child, Notification, Plan
from permanence.models.plans import Status
from permanence.roles import Role
from reviews import review_due_dates, services
from reviews.models import IroAllocation, Ppn1, RatificationCheck, Review
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory, _years_ago
from tests.factories.plans import ALL_TICKED, PlanFactory
from tests.reviews.conftest import LOOKED_AFTER, TODAY, days_ago

pytestmark = pytest.mark.django_db


def record(child, by, held_on, code="PN1"):
    return services.review_record(child=child, by=by, held_on=held_on, participation=code)


# -- IRO allocation ----------------------------------------------------------------------------


def test_a_manager_allocates_the_iro_and_the_child_record_follows(team, team_manager, iro):
    child = ChildFactory(team=team, iro=None)
    EpisodeFactory(child=child, decom=days_ago(3))
    allocation = services.iro_allocate(child=child, iro=iro, by=team_manager)
    assert allocation.allocated_on == TODAY
    child = Child.objects.get(pk=child.pk)
    assert child.iro == iro
    assert child.history.latest("history_date").history_change_reason.startswith("IRO allocated")
    assert Notification.objects.filter(recipient=iro, subject__contains="You are the IRO")


def test_a_new_iro_ends_the_previous_allocation(child, team_manager, iro, other_iro):
    services.iro_allocate(child=child, iro=iro, by=team_manager, allocated_on=days_ago(190))
    services.iro_allocate(child=child, iro=other_iro, by=team_manager)
    first, second = IroAllocation.objects.order_by("allocated_on")
    assert first.ended_on == TODAY and second.ended_on is None
    assert Child.objects.get(pk=child.pk).iro == other_iro


def test_only_an_iro_can_be_allocated_and_only_by_a_manager(child, team_manager, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.iro_allocate(child=child, iro=social_worker, by=team_manager)
    assert "independent reviewing officer" in exc.value.message_dict["iro"][0]
    with pytest.raises(PermissionDenied):
        services.iro_allocate(child=child, iro=child.iro, by=social_worker)
    assert not IroAllocation.objects.exists()


# -- reviews -----------------------------------------------------------------------------------


def test_the_first_and_second_reviews_take_their_dates_from_the_schedule(child, iro):
    first = record(child, iro, days_ago(170))
    assert first.sequence == 1
    assert first.due_on == review_due_dates.review_due(sequence=1, looked_after_since=LOOKED_AFTER)
    second = record(child, iro, days_ago(80))
    assert second.sequence == 2
    assert second.due_on == review_due_dates.review_due(
        sequence=2, looked_after_since=LOOKED_AFTER, held=[days_ago(170)]
    )
    assert second.history.get().history_user == iro


def test_a_review_recommending_an_sgo_says_so(child, iro):
    review = services.review_record(
        child=child, by=iro, held_on=days_ago(10), participation="PN1", recommends_sgo=True
    )
    assert Review.objects.get(pk=review.pk).recommends_sgo


def test_a_review_dated_before_the_child_became_looked_after_is_refused(child, iro):
    with pytest.raises(ValidationError) as exc:
        record(child, iro, LOOKED_AFTER - dt.timedelta(days=1))
    message = exc.value.message_dict["held_on"][0]
    assert "before Ava became looked after" in message
    assert f"{LOOKED_AFTER.day} {LOOKED_AFTER:%B %Y}" in message
    assert not Review.objects.exists()


def test_a_review_in_the_future_or_before_the_last_one_is_refused(child, iro):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        record(child, iro, TODAY + dt.timedelta(days=1))
    record(child, iro, days_ago(100))
    with pytest.raises(ValidationError, match="after the previous one"):
        record(child, iro, days_ago(120))
    assert Review.objects.count() == 1


def test_participation_must_be_an_ssda903_code(child, iro):
    with pytest.raises(ValidationError) as exc:
        record(child, iro, days_ago(100), code="PN9")
    assert "PN0–PN7" in exc.value.message_dict["participation"][0]


def test_pn0_is_for_children_under_4_only(team, iro, child):
    with pytest.raises(ValidationError, match="PN0 is only for a child under 4"):
        record(child, iro, days_ago(100), code="PN0")
    baby = ChildFactory(team=team, iro=iro, first_name="Noah", date_of_birth=_years_ago(1))
    EpisodeFactory(child=baby, decom=days_ago(60))
    with pytest.raises(ValidationError, match="under 4 at the review: the code is PN0"):
        record(baby, iro, days_ago(30), code="PN1")
    assert record(baby, iro, days_ago(30), code="PN0").participation == "PN0"


def test_a_child_not_looked_after_has_no_reviews(team, iro):
    child = ChildFactory(team=team, iro=iro, first_name="Leo")
    with pytest.raises(ValidationError, match="Leo is not looked after"):
        record(child, iro, days_ago(3))


def test_only_the_childs_own_iro_records_reviews(child, other_iro, social_worker):
    for user in (other_iro, social_worker):
        with pytest.raises(PermissionDenied):
            record(child, user, days_ago(100))


def test_a_booked_review_is_held_or_cancelled_and_stays_due(child, iro):
    booked = services.review_book(child=child, by=iro, planned_on=TODAY + dt.timedelta(days=3))
    assert booked.sequence == 1 and booked.is_booked
    with pytest.raises(ValidationError, match="already booked"):
        services.review_book(child=child, by=iro, planned_on=TODAY + dt.timedelta(days=4))
    services.review_cancel(review=booked, by=iro, reason="Child unwell")
    held = record(child, iro, days_ago(1))
    assert held.sequence == 1 and held.pk != booked.pk
    assert Review.objects.get(pk=booked.pk).cancelled
    with pytest.raises(ValidationError, match="held cannot be cancelled"):
        services.review_cancel(review=held, by=iro, reason="Mistake")


def test_recording_a_booked_review_uses_the_booking(child, iro):
    booked = services.review_book(child=child, by=iro, planned_on=TODAY)
    held = record(child, iro, TODAY)
    assert held.pk == booked.pk and held.planned_on == TODAY


# -- ratification at the second review ---------------------------------------------------------


@pytest.fixture
def second_review(child, iro):
    record(child, iro, days_ago(170))
    return record(child, iro, days_ago(5))


@pytest.fixture
def presented_plan(child, social_worker):
    return PlanFactory(child=child, status=Status.PRESENTED, created_by=social_worker, ready=True)


def test_ratifying_with_items_unticked_is_refused_and_nothing_saved(
    second_review, presented_plan, iro
):
    with pytest.raises(ValidationError) as exc:
        services.review_ratification_record(
            review=second_review,
            by=iro,
            ratify=True,
            checklist=dict(ALL_TICKED, resources_available=False),
        )
    assert "necessary resources are available" in exc.value.message_dict["checklist"][0]
    assert Plan.objects.get(pk=presented_plan.pk).status == Status.PRESENTED
    assert not RatificationCheck.objects.exists()


def test_every_item_ticked_ratifies_on_the_day_of_the_review(second_review, presented_plan, iro):
    check = services.review_ratification_record(
        review=second_review, by=iro, ratify=True, checklist=ALL_TICKED
    )
    plan = Plan.objects.get(pk=presented_plan.pk)
    assert check.outcome == RatificationCheck.Outcome.RATIFIED
    assert plan.status == Status.RATIFIED and plan.ratified_on == second_review.held_on
    assert "second review" in plan.history.latest("history_date").history_change_reason


def test_not_ratified_records_what_is_missing_and_sets_a_further_review(
    second_review, presented_plan, iro, social_worker
):
    further_on = TODAY + dt.timedelta(days=28)
    check = services.review_ratification_record(
        review=second_review,
        by=iro,
        ratify=False,
        checklist=dict(ALL_TICKED, resources_available=False),
        missing="Parenting assessment due next month",
        further_review_on=further_on,
    )
    assert check.outcome == RatificationCheck.Outcome.NOT_RATIFIED
    further = check.further_review
    assert (further.sequence, further.kind, further.due_on) == (3, Review.Kind.FURTHER, further_on)
    assert Plan.objects.get(pk=presented_plan.pk).status == Status.PRESENTED
    assert Notification.objects.filter(recipient=social_worker, body__contains="Parenting")
    # The further review ratifies once the outcome is known (004).
    held = record(second_review.child, iro, TODAY)
    assert held.pk == further.pk
    services.review_ratification_record(review=held, by=iro, ratify=True, checklist=ALL_TICKED)
    assert Plan.objects.get(pk=presented_plan.pk).status == Status.RATIFIED


@pytest.mark.parametrize(
    ("missing", "further_on", "field", "message"),
    [
        ("", 28, "missing", "Enter what is missing"),
        ("Assessment", None, "further_review_on", "Enter the date"),
        ("Assessment", -1, "further_review_on", "today or later"),
        ("Assessment", 400, "further_review_on", "no later than"),
    ],
)
def test_a_further_review_needs_what_is_missing_and_a_sensible_date(
    second_review, presented_plan, iro, missing, further_on, field, message
):
    on = None if further_on is None else TODAY + dt.timedelta(days=further_on)
    with pytest.raises(ValidationError) as exc:
        services.review_ratification_record(
            review=second_review,
            by=iro,
            ratify=False,
            checklist={},
            missing=missing,
            further_review_on=on,
        )
    assert message in exc.value.message_dict[field][0]
    assert Review.objects.count() == 2 and not RatificationCheck.objects.exists()


def test_the_checklist_waits_for_the_review_to_be_held(child, iro, presented_plan):
    booked = services.review_book(child=child, by=iro, planned_on=TODAY)
    with pytest.raises(ValidationError, match="as held"):
        services.review_ratification_record(
            review=booked, by=iro, ratify=True, checklist=ALL_TICKED
        )


# -- PPN1 --------------------------------------------------------------------------------------


@pytest.fixture
def managers(service):
    adoption = UserFactory(username="adopt_tm", role=Role.TEAM_MANAGER, first_name="Ada")
    fostering = UserFactory(username="foster_tm", role=Role.TEAM_MANAGER, first_name="Fay")
    officer = UserFactory(username="admin_officer", role=Role.ADMIN_OFFICER, first_name="Ola")
    return adoption, fostering, officer


def test_ppn1_tells_everyone_and_opens_a_meeting_to_book(
    second_review, presented_plan, iro, social_worker, team_manager, managers
):
    adoption, fostering, officer = managers
    ppn1 = services.ppn1_complete(
        review=second_review,
        by=iro,
        adoption_manager=adoption,
        fostering_manager=fostering,
        admin_officer=officer,
        plan_summary="Return home, contingency connected person",
        family_finding=Ppn1.FamilyFinding.NONE,
    )
    assert ppn1.meeting_to_be_booked and ppn1.route == presented_plan.route
    told = set(
        Notification.objects.filter(subject__contains="PPN1").values_list("recipient", flat=True)
    )
    assert told == {officer.pk, adoption.pk, fostering.pk, social_worker.pk, team_manager.pk}
    # The admin officer books the meeting: a real one, with who attends by role (002 §8-9).
    booked = services.ppn1_meeting_book(
        ppn1=ppn1, by=officer, meeting_on=TODAY + dt.timedelta(days=14)
    )
    assert not booked.meeting_to_be_booked
    assert Notification.objects.filter(recipient=iro, subject__contains="Permanency Planning")
    meeting = Meeting.objects.get(pk=booked.planning_meeting_id)
    assert meeting.meeting_type.code == "permanency-planning"
    assert meeting.scheduled_for == TODAY + dt.timedelta(days=14)
    assert meeting.invited_labels == [
        "The child's social worker",
        "Independent reviewing officer",
        "Social work team manager",
        "Nominated manager from the fostering team",
        "Nominated manager from the adoption team",
        "Nominated home finder",
    ]
    assert {adoption, fostering, social_worker, iro} <= set(meeting.staff_attendees.all())
    # Moving the date later does not book a second meeting.
    services.ppn1_meeting_book(ppn1=booked, by=officer, meeting_on=TODAY + dt.timedelta(days=21))
    assert Meeting.objects.count() == 1


def test_ppn1_needs_a_designated_admin_officer(second_review, presented_plan, iro, managers):
    adoption, fostering, _ = managers
    for officer, message in (
        (None, "Choose the designated admin officer it goes to"),
        (adoption, "Choose a designated admin officer"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.ppn1_complete(
                review=second_review,
                by=iro,
                adoption_manager=adoption,
                fostering_manager=fostering,
                admin_officer=officer,
                plan_summary="x",
                family_finding=Ppn1.FamilyFinding.NONE,
            )
        assert exc.value.message_dict["admin_officer"] == [message]
    assert not Ppn1.objects.exists()


def test_ppn1_follows_the_second_review_not_the_first(child, iro, presented_plan, managers):
    first = record(child, iro, days_ago(170))
    with pytest.raises(ValidationError, match="after the second review"):
        services.ppn1_complete(
            review=first,
            by=iro,
            adoption_manager=managers[0],
            fostering_manager=managers[1],
            admin_officer=managers[2],
            plan_summary="x",
            family_finding=Ppn1.FamilyFinding.NONE,
        )
    assert not Ppn1.objects.exists()
