"""Papers as documents (issue 17): Part 2 as a PDF, its text the page's, marked Official –
sensitive, for whoever may see the record, each download in the child's history."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from forums import services
from forums.models import Booking
from forums.services import CPR_TASK, TaskInput
from permanence.models import DocumentDownload
from permanence.models.plans import Route
from reviews.models import RatificationCheck
from tests.factories.forums import (
    BookingFactory,
    ForumSessionFactory,
    MeetingFactory,
    Part1Factory,
    meeting_type,
)
from tests.factories.plans import OptionConsideredFactory, PlanActionFactory, PlanFactory
from tests.factories.reviews import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(chair, forum_child, social_worker, team_manager):
    """Part 2 sent at today's forum, with two tasks."""
    booking = BookingFactory(
        session=ForumSessionFactory(chair=chair, forum_date=timezone.localdate()),
        child=forum_child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=4))
    PlanFactory(child=forum_child, route=Route.ADOPTION, created_by=social_worker)
    services.booking_present(booking=booking, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    services.part2_save(
        booking=booking,
        by=chair,
        advice="Proceed with adoption.\nKeep contact with the grandmother under review.",
        advised_route=Route.ADOPTION,
        advised_contingency_route=Route.LONG_TERM_FOSTERING,
        tasks=[
            TaskInput(CPR_TASK, social_worker, due, True),
            TaskInput("Refer to the regional adoption agency", team_manager, due),
        ],
    )
    services.part2_send(booking=booking, by=chair)
    return booking


class _Text(HTMLParser):
    """The words of a paper's partial on its page: from its caption to the page's own links."""

    def __init__(self):
        super().__init__()
        self.on, self.done, self.hidden, self.parts = False, False, 0, []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if "govuk-caption-l" in classes and not self.done:
            self.on = True
        if self.on and ("govuk-visually-hidden" in classes or tag == "button"):
            # A document offers nothing to press: a button's words are the page's alone.
            self.hidden += 1

    def handle_endtag(self, tag):
        if self.hidden and tag in ("caption", "span", "button"):
            self.hidden -= 1

    def handle_data(self, data):
        if "as a PDF" in data or data.strip().startswith("Continue"):
            self.on, self.done = False, True
        if self.on and not self.hidden and data.strip():
            self.parts.append(data)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(content: bytes) -> tuple[str, list[str]]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return _words(" ".join(pages)), pages


def test_the_part2_pdf_says_what_the_page_says_and_is_marked_official_sensitive(
    client, sent, social_worker
):
    client.force_login(social_worker)
    page = client.get(reverse("forums:part2-detail", args=[sent.pk]))
    assert f'href="{reverse("forums:part2-pdf", args=[sent.pk])}"' in page.content.decode()

    response = client.get(reverse("forums:part2-pdf", args=[sent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert sent.child.child_id in disposition and sent.child.last_name not in disposition

    text, pages = _pdf_text(response.content)
    parser = _Text()
    parser.feed(page.content.decode())
    pieces = [_words(p) for p in parser.parts if _words(p)]
    assert "Part 2: the forum's advice" in pieces and CPR_TASK in " ".join(pieces)
    missing = [piece for piece in pieces if piece not in text]
    assert not missing, f"On the page but not in the PDF: {missing}"
    for number, page_text in enumerate(pages, 1):
        assert page_text.count("Official – sensitive") >= 2, f"page {number} is not marked"
    # The page ticks the tasks; the document only says which are done.
    assert "Mark as done" in page.content.decode() and "Mark as done" not in text


def test_each_download_is_in_the_childs_history(client, sent, social_worker, iro):
    for reader in (social_worker, iro):
        client.force_login(reader)
        assert client.get(reverse("forums:part2-pdf", args=[sent.pk])).status_code == 200
    downloads = DocumentDownload.objects.filter(child=sent.child, document="part2")
    assert {d.downloaded_by for d in downloads} == {social_worker, iro}
    assert all(d.record_id == sent.pk for d in downloads)

    client.force_login(social_worker)
    chronology = client.get(reverse("tracker:chronology", args=[sent.child.pk])).content.decode()
    assert "Part 2 (the chair&#x27;s advice) downloaded as a PDF" in chronology


def test_someone_who_may_not_see_the_child_gets_404_and_nothing_is_recorded(
    client, sent, other_social_worker
):
    client.force_login(other_social_worker)
    assert client.get(reverse("forums:part2-pdf", args=[sent.pk])).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_a_part2_not_yet_sent_gives_the_page_message_not_a_pdf(
    client, chair, forum_child, social_worker
):
    booking = BookingFactory(child=forum_child, requested_by=social_worker)
    client.force_login(social_worker)
    response = client.get(reverse("forums:part2-pdf", args=[booking.pk]), follow=True)
    assert "Part 2 has not been sent yet." in response.content.decode()
    assert not DocumentDownload.objects.exists()


def test_the_part1_pdf_says_what_the_page_says(client, forum_child, social_worker):
    booking = BookingFactory(child=forum_child, requested_by=social_worker)
    Part1Factory(booking=booking, submitted_at=timezone.now(), submitted_by=social_worker)
    client.force_login(social_worker)
    page = client.get(reverse("forums:part1-detail", args=[booking.pk]))
    assert f'href="{reverse("forums:part1-pdf", args=[booking.pk])}"' in page.content.decode()

    response = client.get(reverse("forums:part1-pdf", args=[booking.pk]))
    assert response.status_code == 200
    text, pages = _pdf_text(response.content)
    parser = _Text()
    parser.feed(page.content.decode())
    pieces = [_words(p) for p in parser.parts if _words(p)]
    assert "Part 1: permanency forum consultation" in pieces and len(pieces) > 10
    missing = [piece for piece in pieces if piece not in text]
    assert not missing, f"On the page but not in the PDF: {missing}"
    assert all(p.count("Official – sensitive") >= 2 for p in pages)
    assert DocumentDownload.objects.get(document="part1").record_id == booking.pk


def test_the_plan_pdf_has_its_version_route_contingency_options_ruled_out_and_actions(
    client, forum_child, social_worker, team_manager
):
    plan = PlanFactory(
        child=forum_child,
        route=Route.ADOPTION,
        contingency_route=Route.LONG_TERM_FOSTERING,
        created_by=social_worker,
    )
    OptionConsideredFactory(
        child=forum_child,
        rung=Route.RETURN_HOME,
        why_ruled_out="The parenting assessment was negative.",
        recorded_by=social_worker,
    )
    PlanActionFactory(plan=plan, what="Apply for a placement order", owner=team_manager)
    client.force_login(social_worker)
    page = client.get(reverse("permanence:plan-detail", args=[plan.pk])).content.decode()
    assert reverse("permanence:plan-pdf", args=[plan.pk]) in page

    response = client.get(reverse("permanence:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200
    text, pages = _pdf_text(response.content)
    for words in (
        f"Permanence plan, version {plan.version}",
        "Route Adoption",
        "Contingency Long-term fostering",
        "The parenting assessment was negative.",
        "Apply for a placement order",
        str(team_manager),
    ):
        assert words in text, words
    # A document offers nothing to press.
    assert "Mark as done" not in text and "Add an action" not in text
    assert all(p.count("Official – sensitive") >= 2 for p in pages)
    assert DocumentDownload.objects.get(document="plan").record_id == plan.pk


def test_the_plan_pdf_of_a_child_outside_scope_is_404(client, forum_child, other_social_worker):
    plan = PlanFactory(child=forum_child)
    client.force_login(other_social_worker)
    assert client.get(reverse("permanence:plan-pdf", args=[plan.pk])).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_the_ratification_record_pdf(client, forum_child, social_worker, iro):
    plan = PlanFactory(child=forum_child, route=Route.ADOPTION, created_by=social_worker)
    review = ReviewFactory(child=forum_child, held_on=timezone.localdate(), iro=iro)
    RatificationCheck.objects.create(
        review=review,
        plan=plan,
        plan_drawn_up=True,
        actions_clear=True,
        outcome=RatificationCheck.Outcome.NOT_RATIFIED,
        missing="The contingency plan is not yet agreed.",
        recorded_by=iro,
    )
    client.force_login(social_worker)
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert reverse("reviews:review-ratification-pdf", args=[review.pk]) in page

    response = client.get(reverse("reviews:review-ratification-pdf", args=[review.pk]))
    assert response.status_code == 200
    text, pages = _pdf_text(response.content)
    for words in (
        "Not ratified: further review set",
        f"recorded by {iro}",
        "What is missing",
        "The contingency plan is not yet agreed.",
        f"{plan.get_route_display()}, version {plan.version}",
    ):
        assert words in text, words
    assert all(p.count("Official – sensitive") >= 2 for p in pages)
    assert DocumentDownload.objects.get(document="ratification").record_id == review.pk


def test_no_ratification_recorded_gives_a_message_not_a_pdf(client, forum_child, social_worker):
    review = ReviewFactory(child=forum_child)
    client.force_login(social_worker)
    response = client.get(reverse("reviews:review-ratification-pdf", args=[review.pk]), follow=True)
    assert "No ratification has been recorded at this review." in response.content.decode()
    assert not DocumentDownload.objects.exists()


def test_the_matching_panels_bundle_index_pdf_lists_what_the_page_lists(
    client, forum_child, social_worker
):
    meeting = MeetingFactory(
        meeting_type=meeting_type("matching-panel"),
        child=forum_child,
        match_carers="Mr and Mrs Example",
        cpr_updated_on=dt.date(2026, 9, 1),
        form_f_updated_on=dt.date(2026, 3, 2),
        created_by=social_worker,
    )
    client.force_login(social_worker)
    page = client.get(reverse("forums:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Child Permanence Report" in page and "Completed or updated 1 September 2026" in page

    response = client.get(reverse("forums:meeting-bundle-index-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    text, pages = _pdf_text(response.content)
    for words in (
        "Mr and Mrs Example",
        "1. Matching meeting report Permanency worker Not uploaded yet",
        "2. Child Permanence Report Social worker Completed or updated 1 September 2026",
        "4. Form F assessment Permanency worker Completed or updated 2 March 2026",
        "9. Motivation questionnaire",
    ):
        assert words in text, words
    assert all(p.count("Official – sensitive") >= 2 for p in pages)
    assert DocumentDownload.objects.get(document="bundle_index").record_id == meeting.pk


def test_a_meeting_other_than_a_matching_panel_has_no_bundle(client, forum_child, social_worker):
    meeting = MeetingFactory(child=forum_child, created_by=social_worker)
    client.force_login(social_worker)
    page = client.get(reverse("forums:meeting-detail", args=[meeting.pk])).content.decode()
    assert "bundle index" not in page
    response = client.get(reverse("forums:meeting-bundle-index-pdf", args=[meeting.pk]))
    assert response.status_code == 404
