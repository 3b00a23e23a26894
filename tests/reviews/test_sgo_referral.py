"""The SGO referral: after a review recommending special guardianship, the child's social worker
sends the referral form to the SGO team manager within 5 working days (seed 003, SPEC §5)."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from permanence import dates
from reviews import services
from reviews.models import Review, SgoReferral
from tests.factories.reviews import ReviewFactory, SgoReferralFactory
from tests.reviews.conftest import LOOKED_AFTER, TODAY, days_ago
from tracker.dashboard.chronology import chronology
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

HELD = days_ago(10)
DUE = dates.add_working_days(HELD, 5)


def hold_review(child, iro, *, recommends_sgo=True, held_on=HELD):
    return services.review_record(
        child=child, by=iro, held_on=held_on, participation="PN1", recommends_sgo=recommends_sgo
    )


def refer(review, by, **changes):
    fields = {
        "sent_on": days_ago(8),
        "sent_to": "Karen Lewis",
        "proposed_guardians": "Margaret and Peter Hughes",
        "relationship": "Maternal grandparents",
        "summary": "Settled with her grandparents, who want to care for her until adulthood.",
    }
    fields.update(changes)
    return services.sgo_referral_record(review=review, by=by, **fields)


def date_parts(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def review(child, iro):
    return hold_review(child, iro)


# -- the service -------------------------------------------------------------------------------


def test_the_social_worker_records_the_referral_in_the_history(review, child, social_worker):
    referral = refer(review, social_worker)
    referral = SgoReferral.objects.get(pk=referral.pk)
    assert (referral.child, referral.review, referral.sent_on, referral.sent_by) == (
        child,
        review,
        days_ago(8),
        social_worker,
    )
    assert referral.proposed_guardians == "Margaret and Peter Hughes"
    record = referral.history.get()
    assert record.history_user == social_worker
    assert record.history_change_reason == "SGO referral sent to Karen Lewis"


def test_the_team_manager_may_record_it_for_the_social_worker(review, team_manager):
    assert refer(review, team_manager).sent_by == team_manager


def test_a_date_in_the_future_is_refused(review, social_worker):
    with pytest.raises(ValidationError) as exc:
        refer(review, social_worker, sent_on=TODAY + dt.timedelta(days=1))
    assert exc.value.message_dict["sent_on"] == ["The date cannot be in the future"]
    assert not SgoReferral.objects.exists()


def test_a_referral_before_the_review_is_refused(review, social_worker):
    with pytest.raises(ValidationError) as exc:
        refer(review, social_worker, sent_on=HELD - dt.timedelta(days=1))
    assert exc.value.message_dict["sent_on"] == [
        "The referral cannot be sent before the review that recommended it, held on "
        f"{long_date(HELD)}"
    ]
    assert not SgoReferral.objects.exists()


def test_a_second_referral_for_the_same_review_is_refused(review, social_worker):
    refer(review, social_worker)
    with pytest.raises(ValidationError) as exc:
        refer(review, social_worker, sent_on=days_ago(2), sent_to="Someone else")
    assert exc.value.message_dict[NON_FIELD_ERRORS] == [
        "The SGO referral for this review has already been recorded: it was sent on "
        f"{long_date(days_ago(8))}"
    ]
    assert SgoReferral.objects.get().sent_to == "Karen Lewis"


def test_a_review_that_did_not_recommend_an_sgo_is_refused(child, iro, social_worker):
    review = hold_review(child, iro, recommends_sgo=False)
    with pytest.raises(ValidationError) as exc:
        refer(review, social_worker)
    assert exc.value.message_dict["review"] == [
        "This review did not recommend a special guardianship order"
    ]
    assert not SgoReferral.objects.exists()


def test_a_review_not_yet_held_is_refused(child, social_worker):
    booked = ReviewFactory(
        child=child, period_started_on=LOOKED_AFTER, held_on=None, recommends_sgo=True
    )
    with pytest.raises(ValidationError) as exc:
        refer(booked, social_worker)
    assert "Record the review as held" in exc.value.message_dict["review"][0]


def test_blank_answers_are_refused_with_a_message_for_each(review, social_worker):
    with pytest.raises(ValidationError) as exc:
        refer(
            review, social_worker, sent_on=None, sent_to=" ", proposed_guardians="", relationship=""
        )
    assert exc.value.message_dict == {
        "sent_on": ["Enter the date the referral was sent"],
        "sent_to": ["Enter the name of the SGO team manager it was sent to"],
        "proposed_guardians": ["Enter the name of the proposed special guardian or guardians"],
        "relationship": ["Enter their relationship to the child"],
    }


def test_only_the_childs_team_and_managers_record_it(review, iro, other_social_worker):
    for user in (iro, other_social_worker):
        with pytest.raises(PermissionDenied):
            refer(review, user)
    assert not SgoReferral.objects.exists()


# -- the pages ---------------------------------------------------------------------------------


def test_the_review_shows_the_referral_due_and_the_button_to_the_social_worker(
    client, review, social_worker
):
    client.force_login(social_worker)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "SGO referral" in page
    assert f"Not sent yet: due by {long_date(DUE)}" in page
    assert "Record the SGO referral" in page
    assert reverse("reviews:sgo-referral", args=[review.pk]) in page


def test_the_iro_sees_the_card_but_not_the_button(client, review, iro):
    client.force_login(iro)
    page = client.get(review.get_absolute_url()).content.decode()
    assert f"Not sent yet: due by {long_date(DUE)}" in page
    assert "Record the SGO referral" not in page
    assert client.get(reverse("reviews:sgo-referral", args=[review.pk])).status_code == 403


def test_a_review_without_the_recommendation_has_no_card(client, child, iro, social_worker):
    review = hold_review(child, iro, recommends_sgo=False)
    client.force_login(social_worker)
    assert "SGO referral" not in client.get(review.get_absolute_url()).content.decode()
    assert client.get(reverse("reviews:sgo-referral", args=[review.pk])).status_code == 404


def test_a_worker_who_may_not_see_the_child_gets_not_found(client, review, other_social_worker):
    client.force_login(other_social_worker)
    assert client.get(reverse("reviews:sgo-referral", args=[review.pk])).status_code == 404
    response = client.post(reverse("reviews:sgo-referral", args=[review.pk]), {})
    assert response.status_code == 404
    assert not SgoReferral.objects.exists()


def test_a_bad_date_is_shown_beside_the_field_and_the_answers_are_kept(
    client, review, social_worker
):
    client.force_login(social_worker)
    response = client.post(
        reverse("reviews:sgo-referral", args=[review.pk]),
        {
            **date_parts("sent_on", TODAY + dt.timedelta(days=3)),
            "sent_to": "Karen Lewis",
            "proposed_guardians": "Margaret and Peter Hughes",
            "relationship": "Maternal grandparents",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    # Beside the date, not only in the summary at the top.
    date_group = page.split('id="div_id_sent_on"')[1].split('id="div_id_sent_to"')[0]
    assert "The date cannot be in the future" in date_group
    assert "govuk-form-group--error" in date_group
    assert "Margaret and Peter Hughes" in page
    assert not SgoReferral.objects.exists()


def test_a_missing_date_asks_for_it(client, review, social_worker):
    client.force_login(social_worker)
    response = client.post(reverse("reviews:sgo-referral", args=[review.pk]), {"sent_to": "K"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the date the referral was sent" in page
    assert "Enter the name of the proposed special guardian or guardians" in page


def test_the_referral_is_recorded_and_its_details_shown_on_the_review(
    client, review, social_worker
):
    client.force_login(social_worker)
    url = reverse("reviews:sgo-referral", args=[review.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **date_parts("sent_on", days_ago(7)),
            "sent_to": "Karen Lewis",
            "proposed_guardians": "Margaret and Peter Hughes",
            "relationship": "Maternal grandparents",
            "summary": "Positive viability assessment.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    page = client.get(review.get_absolute_url()).content.decode()
    assert "The SGO referral has been recorded." in page
    assert long_date(days_ago(7)) in page
    assert "Karen Lewis, SGO team manager" in page
    assert "Margaret and Peter Hughes" in page
    assert "Maternal grandparents" in page
    assert "Not sent yet" not in page
    assert "Record the SGO referral" not in page
    # The form page is not offered twice: it goes back to the review.
    assert client.get(url)["Location"] == review.get_absolute_url()


def test_a_referral_sent_after_the_due_date_is_marked_late(client, child, iro, social_worker):
    review = hold_review(child, iro, held_on=days_ago(30))
    SgoReferralFactory(review=review, child=child, sent_on=days_ago(2))
    client.force_login(social_worker)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Late" in page
    assert f"due by {long_date(dates.add_working_days(days_ago(30), 5))}" in page


def test_the_childs_reviews_say_whether_the_referral_has_gone(client, child, review, social_worker):
    client.force_login(social_worker)
    url = reverse("reviews:child-reviews", args=[child.pk])
    assert 'SGO recommended: <strong class="govuk-tag govuk-tag--orange">Referral not sent' in (
        client.get(url).content.decode()
    )
    refer(review, social_worker, sent_on=days_ago(8))
    assert f"SGO recommended: referral sent {days_ago(8):%-d %b %Y}" in (
        client.get(url).content.decode()
    )


# -- the tracker -------------------------------------------------------------------------------


def sgo_deadline(child) -> Deadline:
    return Deadline.objects.select_related("rule").get(child=child, rule__code="sgo_referral")


def test_the_tracker_deadline_is_met_when_the_referral_is_recorded(
    child, iro, social_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = hold_review(child, iro)
    deadline = sgo_deadline(child)
    assert (deadline.anchor_on, deadline.due, deadline.met_on) == (HELD, DUE, None)
    assert deadline.status != Deadline.Status.MET

    with django_capture_on_commit_callbacks(execute=True):
        refer(review, social_worker, sent_on=days_ago(8))
    deadline = sgo_deadline(child)
    assert (deadline.status, deadline.met_on) == (Deadline.Status.MET, days_ago(8))


def test_the_childs_chronology_shows_who_sent_the_referral(child, review, social_worker):
    refer(review, social_worker)
    entries = [e for e in chronology(child=child) if e.subject == "Special guardianship referral"]
    assert [(e.action, e.reason) for e in entries] == [
        ("Added", "SGO referral sent to Karen Lewis")
    ]
    assert entries[0].who.startswith(str(social_worker))


def test_the_demo_has_referrals_sent_and_one_the_tracker_shows_outstanding(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    recommending = Review.objects.filter(recommends_sgo=True, held_on__isnull=False)
    sent = recommending.filter(sgo_referral__isnull=False)
    unsent = recommending.filter(sgo_referral__isnull=True)
    assert sent.count() >= 2
    assert unsent.count() == 1
    outstanding = sgo_deadline(unsent.get().child)
    assert outstanding.status in (Deadline.Status.DUE_SOON, Deadline.Status.OVERDUE)
    assert sgo_deadline(sent.first().child).status == Deadline.Status.MET
    count = (SgoReferral.objects.count(), SgoReferral.history.count())
    call_command("seed_demo", verbosity=0)
    assert (SgoReferral.objects.count(), SgoReferral.history.count()) == count
