"""The forum's loose ends (seed 000): a Child Permanence Report only when permanence leaves the
birth family, Part 2 with any number of tasks, and the forum's differing advice shown to the IRO
on the review and ratification pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import plans, services
from forums.models import Booking, Part2, Part2Task, Pathway
from forums.services import CPR_TASK, TaskInput
from permanence.models.plans import Route
from reviews import review_due_dates
from reviews import services as review_services
from tests.factories.forums import BookingFactory, ForumSessionFactory, Part1Factory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.mark.parametrize(
    ("route", "with_relatives", "needed"),
    [
        (Route.RETURN_HOME, False, False),
        (Route.CONNECTED_PERSON, False, False),
        (Route.SGO_CAO, True, False),  # special guardianship with relatives
        (Route.SGO_CAO, False, True),  # special guardianship with the foster carers
        (Route.LONG_TERM_FOSTERING, False, True),
        (Route.ADOPTION, False, True),
        (Route.RESIDENTIAL, False, True),
        (Route.PATHWAY_PLAN, False, False),
    ],
)
def test_a_cpr_only_when_permanence_leaves_the_birth_family(route, with_relatives, needed):
    assert plans.needs_child_permanence_report(route, sgo_with_relatives=with_relatives) is needed


@pytest.fixture
def at_forum(chair, forum_child, social_worker):
    session = ForumSessionFactory(chair=chair, forum_date=TODAY())
    booking = BookingFactory(
        session=session,
        child=forum_child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=4))
    services.booking_present(booking=booking, by=chair)
    return booking


def _send(booking, chair, owner, *, route, with_relatives=False, cpr=False):
    due = TODAY() + dt.timedelta(days=28)
    tasks = [TaskInput("Talk to the aunt", owner, due)]
    if cpr:
        tasks.append(TaskInput(CPR_TASK, owner, due, True))
    services.part2_save(
        booking=booking,
        by=chair,
        advice="Advice.",
        advised_route=route,
        tasks=tasks,
        sgo_with_relatives=with_relatives,
    )
    return services.part2_send(booking=booking, by=chair)


def test_special_guardianship_with_relatives_is_sent_without_a_cpr(at_forum, chair, social_worker):
    PlanFactory(child=at_forum.child, route=Route.SGO_CAO, created_by=social_worker)
    part2 = _send(at_forum, chair, social_worker, route=Route.SGO_CAO, with_relatives=True)
    assert part2.is_sent and not part2.tasks.filter(is_child_permanence_report=True).exists()


def test_the_forums_different_advice_is_kept_and_shown_to_the_iro(
    client, at_forum, chair, social_worker, iro
):
    child = at_forum.child
    PlanFactory(child=child, route=Route.LONG_TERM_FOSTERING, created_by=social_worker)
    part2 = _send(at_forum, chair, social_worker, route=Route.ADOPTION, cpr=True)
    assert part2.plan_route_when_sent == Route.LONG_TERM_FOSTERING and part2.differs_from_plan
    review_services.review_record(
        child=child, by=iro, held_on=TODAY() - dt.timedelta(days=30), participation="PN1"
    )
    second = review_services.review_record(
        child=child, by=iro, held_on=TODAY(), participation="PN1"
    )
    client.force_login(iro)
    note = "advised adoption; the plan&#x27;s route was long-term fostering"
    for url in (
        second.get_absolute_url(),
        reverse("reviews:review-ratify", args=[second.pk]),
    ):
        page = client.get(url).content.decode()
        assert note in page, url
        assert reverse("forums:part2-detail", args=[at_forum.pk]) in page


def test_advice_the_same_as_the_plan_shows_no_note(client, at_forum, chair, social_worker, iro):
    PlanFactory(child=at_forum.child, route=Route.ADOPTION, created_by=social_worker)
    part2 = _send(at_forum, chair, social_worker, route=Route.ADOPTION, cpr=True)
    assert not part2.differs_from_plan


def test_part2_takes_any_number_of_tasks(client, at_forum, chair, social_worker):
    PlanFactory(child=at_forum.child, route=Route.RETURN_HOME, created_by=social_worker)
    client.force_login(chair)
    url = reverse("forums:part2-edit", args=[at_forum.pk])
    due = TODAY() + dt.timedelta(days=10)
    data = {"advice": "Advice.", "advised_route": Route.RETURN_HOME, "rows": "5"}
    for n in range(1, 6):
        data |= {
            f"task_{n}_what": f"Task {n}",
            f"task_{n}_owner": social_worker.pk,
            f"task_{n}_due_on_0": due.day,
            f"task_{n}_due_on_1": due.month,
            f"task_{n}_due_on_2": due.year,
        }
    response = client.post(url, {**data, "action": "more"})
    assert response["Location"] == f"{url}?rows=6"
    page = client.get(response["Location"]).content.decode()
    assert 'name="task_6_what"' in page
    data |= {
        "rows": "6",
        "task_6_what": "Task 6",
        "task_6_owner": social_worker.pk,
        "task_6_due_on_0": due.day,
        "task_6_due_on_1": due.month,
        "task_6_due_on_2": due.year,
    }
    client.post(url, {**data, "action": "save"})
    part2 = Part2.objects.get(booking=at_forum)
    assert Part2Task.objects.filter(part2=part2).count() == 6
    # Reopened, every saved task has its row and one more is free.
    page = client.get(url).content.decode()
    assert 'name="task_7_what"' in page and 'value="Task 6"' in page


# -- a forum after the second review is flagged when booked (seed 000) -------------------------


def test_a_forum_after_the_second_review_is_flagged_when_booked(
    client, chair, forum_child, social_worker, iro
):
    first_held = TODAY() - dt.timedelta(days=20)
    review_services.review_record(
        child=forum_child, by=iro, held_on=first_held, participation="PN1"
    )
    second_due = review_due_dates.review_due(
        sequence=2,
        looked_after_since=forum_child.episodes.order_by("decom").first().decom,
        held=[first_held],
    )
    before = ForumSessionFactory(chair=chair, forum_date=second_due - dt.timedelta(days=7))
    after = ForumSessionFactory(chair=chair, forum_date=second_due + dt.timedelta(days=7))
    on_time = services.booking_request(
        session=before,
        child=forum_child,
        by=social_worker,
        pathway=Pathway.BEFORE_SECOND_REVIEW,
    )
    assert on_time.after_second_review_on is None
    services.booking_withdraw(booking=on_time, by=social_worker, reason="Moved.")
    late = services.booking_request(
        session=after, child=forum_child, by=social_worker, pathway=Pathway.BEFORE_SECOND_REVIEW
    )
    assert late.after_second_review_on == second_due
    client.force_login(social_worker)
    page = client.get(late.get_absolute_url()).content.decode()
    assert f"This forum is after Ava's second review ({second_due:%-d %B %Y})" in page
