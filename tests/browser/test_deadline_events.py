"""The events that meet a deadline, recorded in a real browser: a social worker records the SGO
referral a review asked for, and a connected person's temporary approval through to full
approval; each time the child's deadline turns from overdue to met. axe-core checks each page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence import dates
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.reviews import ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def deadline_row(page, name):
    return page.get_by_role("row").filter(has_text=name)


def test_social_worker_records_the_sgo_referral_the_review_recommended(
    page, live_server, login, assert_accessible, social_worker, iro, team
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, first_name="Nia", last_name="Hart", social_worker=social_worker, iro=iro
    )
    looked_after = today - dt.timedelta(days=200)
    EpisodeFactory(child=child, decom=looked_after)
    held = dates.subtract_working_days(today, 8)  # the referral was due 3 working days ago
    review = ReviewFactory(
        child=child,
        period_started_on=looked_after,
        held_on=held,
        due_on=held,
        recommends_sgo=True,
        iro=iro,
    )

    login(page, "sw")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    card = page.locator(".govuk-summary-card").filter(has_text="SGO referral")
    expect(card.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record the SGO referral").click()
    page.get_by_role("button", name="Record the SGO referral").click()
    # Nothing filled in: each message beside its field, and in the summary at the top.
    expect(page.get_by_role("alert")).to_be_visible()
    missing = page.get_by_text("Enter the name of the SGO team manager it was sent to")
    expect(missing).to_have_count(2)
    assert_accessible(page)

    sent = dates.subtract_working_days(today, 1)
    fill_date(page, "sent_on", sent)
    page.get_by_label("SGO team manager it was sent to").fill("Jo Bell")
    page.get_by_label("Proposed special guardian or guardians").fill("Ann and Tom Hart")
    page.get_by_label("Their relationship to the child").fill("Maternal grandparents")
    page.get_by_role("button", name="Record the SGO referral").click()
    expect(page.get_by_text("Jo Bell")).to_be_visible()
    expect(card.get_by_text("Overdue")).to_have_count(0)

    page.goto(f"{live_server.url}/children/{child.pk}/")
    row = deadline_row(page, "SGO referral")
    expect(row.get_by_text("Met")).to_be_visible()
    expect(row.get_by_text(f"{sent.day} {sent:%b %Y}")).to_be_visible()


def test_social_worker_records_a_connected_persons_approval_through_to_full_approval(
    page, live_server, login, assert_accessible, social_worker, iro, team
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, first_name="Leo", last_name="Ward", social_worker=social_worker, iro=iro
    )
    placed = today - dt.timedelta(weeks=20)  # 16 weeks have passed: the approval has run out
    EpisodeFactory(child=child, decom=placed, place="U3")

    login(page, "sw")
    page.goto(f"{live_server.url}/children/{child.pk}/")
    expect(deadline_row(page, "temporary approval ends").get_by_text("Overdue")).to_be_visible()

    page.get_by_role("link", name="Record the temporary approval").click()
    page.get_by_label("Connected person or people").fill("Rose Ward (aunt)")
    page.get_by_role("button", name="Record the temporary approval").click()
    expect(page.get_by_text("Rose Ward (aunt)")).to_be_visible()

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Select the outcome").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Fully approved as foster carers").check()
    approved = today - dt.timedelta(days=2)
    fill_date(page, "resolved_on", approved)
    page.get_by_role("button", name="Record the outcome").click()

    row = deadline_row(page, "temporary approval ends")
    expect(row.get_by_text("Met")).to_be_visible()
    expect(row.get_by_text(f"{approved.day} {approved:%b %Y}")).to_be_visible()
    assert_accessible(page)
