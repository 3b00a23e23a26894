"""The IRO's pages: my children and reviews, a review with its checklist, PPN1, allocation."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from permanence.models import Plan, User
from permanence.models.plans import Status
from permanence.roles import Role
from reviews import services
from reviews.models import IroAllocation, Ppn1, RatificationCheck, Review
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import ALL_TICKED, PlanFactory
from tests.reviews.conftest import TODAY, days_ago

pytestmark = pytest.mark.django_db


def date_parts(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def looked_after_child(team, iro, name, days):
    child = ChildFactory(team=team, iro=iro, first_name=name)
    EpisodeFactory(child=child, decom=days_ago(days))
    return child


def test_my_children_and_reviews_sorts_overdue_due_soon_and_upcoming(client, team, iro):
    looked_after_child(team, iro, "Overdue", 60)  # first review was due ~4 weeks ago
    looked_after_child(team, iro, "Soon", 20)  # first review due in about 8 days
    upcoming = looked_after_child(team, iro, "Later", 120)
    services.review_record(child=upcoming, by=iro, held_on=days_ago(60), participation="PN1")
    ChildFactory(team=team, first_name="Someone", last_name="Else")  # another IRO's child
    client.force_login(iro)
    page = client.get(reverse("reviews:iro-dashboard"))
    sections = {
        key: [r.child.first_name for r in rows] for key, _, rows in page.context["sections"]
    }
    assert sections == {"overdue": ["Overdue"], "due_soon": ["Soon"], "upcoming": ["Later"]}
    assert b"Someone" not in page.content


def test_the_page_is_the_iros(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("reviews:iro-dashboard")).status_code == 403


def test_the_iro_page_takes_a_fixed_number_of_queries(
    client, team, iro, django_assert_max_num_queries
):
    for n in range(8):
        looked_after_child(team, iro, f"Child{n}", 30 + n * 20)
    client.force_login(iro)
    with django_assert_max_num_queries(20):
        client.get(reverse("reviews:iro-dashboard"))


def test_recording_a_review_dated_before_care_began_shows_the_message(client, child, iro):
    client.force_login(iro)
    response = client.post(
        reverse("reviews:review-record", args=[child.pk]),
        {**date_parts("held_on", days_ago(400)), "participation": "PN1", "summary": "Kept"},
    )
    assert response.status_code == 400
    assert b"cannot be dated before Ava became looked after" in response.content
    assert b"Kept" in response.content
    assert not Review.objects.exists()


def test_the_iro_ratifies_at_the_second_review_through_the_checklist(
    client, child, iro, social_worker
):
    services.review_record(child=child, by=iro, held_on=days_ago(170), participation="PN1")
    review = services.review_record(child=child, by=iro, held_on=days_ago(2), participation="PN1")
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    client.force_login(iro)
    page = client.get(review.get_absolute_url())
    assert b"Complete the ratification checklist" in page.content
    url = reverse("reviews:review-ratify", args=[review.pk])
    refused = client.post(url, {"decision": "ratify", "plan_drawn_up": "on"})
    assert refused.status_code == 400
    assert b"every item of the checklist is ticked" in refused.content
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED
    response = client.post(url, {"decision": "ratify", **dict.fromkeys(ALL_TICKED, "on")})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED
    assert RatificationCheck.objects.get(review=review).outcome == "ratified"


def test_a_further_review_is_set_from_the_checklist_page(client, child, iro):
    services.review_record(child=child, by=iro, held_on=days_ago(170), participation="PN1")
    review = services.review_record(child=child, by=iro, held_on=days_ago(2), participation="PN1")
    PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    client.force_login(iro)
    further_on = TODAY + dt.timedelta(days=30)
    client.post(
        reverse("reviews:review-ratify", args=[review.pk]),
        {
            "decision": "further",
            "missing": "Viability assessment of the aunt",
            **date_parts("further_review_on", further_on),
        },
    )
    further = Review.objects.get(kind=Review.Kind.FURTHER)
    assert further.due_on == further_on
    page = client.get(review.get_absolute_url())
    assert b"Viability assessment of the aunt" in page.content


def test_ppn1_page_and_booking_the_meeting(client, child, iro, team_manager, social_worker):
    officer = UserFactory(username="admin_officer", role=Role.ADMIN_OFFICER)
    services.review_record(child=child, by=iro, held_on=days_ago(170), participation="PN1")
    review = services.review_record(child=child, by=iro, held_on=days_ago(2), participation="PN1")
    PlanFactory(child=child, status=Status.RATIFIED, ready=True)
    client.force_login(iro)
    response = client.post(
        reverse("reviews:ppn1-create", args=[review.pk]),
        {
            "plan_summary": "Return home",
            "family_finding": "none",
            "adoption_manager": team_manager.pk,
            "fostering_manager": team_manager.pk,
            "admin_officer": officer.pk,
        },
    )
    ppn1 = Ppn1.objects.get()
    assert response["Location"] == ppn1.get_absolute_url()
    assert b"To be booked" in client.get(ppn1.get_absolute_url()).content
    # The admin officer it was sent to opens it, sees the review's minutes, and books.
    client.force_login(officer)
    page = client.get(ppn1.get_absolute_url()).content.decode()
    assert "The review's minutes" in page
    client.post(
        reverse("reviews:ppn1-book", args=[ppn1.pk]),
        date_parts("meeting_on", TODAY + dt.timedelta(days=10)),
    )
    ppn1 = Ppn1.objects.get()
    assert ppn1.meeting_on == TODAY + dt.timedelta(days=10)
    page = client.get(ppn1.get_absolute_url()).content.decode()
    assert ppn1.planning_meeting_url in page
    assert client.get(ppn1.planning_meeting_url).status_code == 200


def test_a_manager_allocates_the_iro_from_the_childs_page(client, team, team_manager, iro):
    child = ChildFactory(team=team, iro=None)
    EpisodeFactory(child=child, decom=days_ago(2))
    client.force_login(team_manager)
    page = client.get(child.get_absolute_url())
    assert b"Allocate an IRO" in page.content
    client.post(reverse("reviews:iro-allocate", args=[child.pk]), {"iro": iro.pk})
    assert IroAllocation.objects.get(child=child).iro == iro


def test_another_teams_worker_cannot_see_the_childs_reviews(client, child, other_social_worker):
    review = services.review_record(
        child=child, by=child.iro, held_on=days_ago(10), participation="PN1"
    )
    client.force_login(other_social_worker)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(reverse("reviews:child-reviews", args=[child.pk])).status_code == 404


def test_the_demo_has_plans_and_reviews_and_loading_it_twice_changes_nothing(client):
    call_command("seed_demo", verbosity=0)

    def counts():
        return (
            Plan.objects.count(),
            Plan.history.count(),
            Review.objects.count(),
            IroAllocation.objects.count(),
            RatificationCheck.objects.count(),
            Ppn1.objects.count(),
        )

    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    statuses = set(Plan.objects.values_list("status", flat=True))
    assert statuses >= {
        Status.DRAFT,
        Status.PRESENTED,
        Status.RATIFIED,
        Status.IN_IMPLEMENTATION,
        Status.ACHIEVED,
    }
    assert Plan.objects.filter(status=Status.ACHIEVED, child__episodes__place="A5").exists()
    client.force_login(User.objects.get(username="iro1"))
    sections = {key: rows for key, _, rows in client.get("/reviews/").context["sections"]}
    assert sections["overdue"] and sections["due_soon"]
