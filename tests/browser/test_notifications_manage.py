"""A social worker narrows their notifications to one kind, marks those read, and chooses one
e-mail a day; axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from permanence.models import EmailAlerts, Notification
from permanence.notifications import notify
from tests.factories.permanence import ChildFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_filters_marks_read_and_chooses_a_daily_digest(
    page, live_server, login, assert_accessible, team, social_worker
):
    child = ChildFactory(team=team, social_worker=social_worker, first_name="Pia", last_name="Lund")
    plan = PlanFactory(child=child, created_by=social_worker)
    for what in ("sent back", "presented"):
        notify(
            recipients=[social_worker],
            subject=f"Plan for {child.child_id} {what}",
            link=plan.get_absolute_url(),
        )
    notify(recipients=[social_worker], subject="Training on Thursday")

    login(page, social_worker.username)
    page.get_by_role("link", name="Notifications").first.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all 3 as read")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What about").select_option(label="Plans")
    page.get_by_label("Child").select_option(label=f"Pia Lund ({child.child_id})")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Training on Thursday")).to_have_count(0)
    expect(
        page.get_by_role("link", name=f"Plan for Pia Lund ({child.child_id}) sent back")
    ).to_be_visible()
    page.get_by_role("button", name="Mark these 2 as read").click()
    expect(page.get_by_text("2 notifications marked as read.")).to_be_visible()
    assert "kind=plan" in page.url
    assert_accessible(page)
    assert Notification.objects.filter(read_at__isnull=True).count() == 1

    page.get_by_role("link", name="Change how you hear by e-mail").click()
    assert_accessible(page)
    page.get_by_label("One e-mail a day (digest)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: One e-mail a day (digest).")).to_be_visible()
    social_worker.refresh_from_db()
    assert social_worker.email_alerts == EmailAlerts.DIGEST
