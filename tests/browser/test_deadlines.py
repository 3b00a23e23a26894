"""A social worker finds an overdue deadline, filters, downloads the CSV and opens the child;
axe-core checks each page. The deadlines come from the record as it is saved: no sweep runs."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_social_worker_sees_an_overdue_review_and_downloads_the_csv(
    page, live_server, login, assert_accessible, social_worker, iro, team, team_manager
):
    child = ChildFactory(
        team=team, first_name="Amelia", last_name="Stone", social_worker=social_worker, iro=iro
    )
    # Looked after 60 days ago: the first review (20 working days) is overdue.
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=60))

    login(page, "sw")
    page.get_by_role("link", name="Deadlines").first.click()
    expect(page.get_by_role("heading", name="Deadlines", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="First looked-after review")
    expect(row.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Deadline", exact=True).select_option(label="First looked-after review")
    page.get_by_role("button", name="Show deadlines").click()
    expect(page.get_by_role("cell", name="Achieving Early Permanence Panel")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as CSV").click()
    with open(download.value.path(), encoding="utf-8") as csv_file:
        text = csv_file.read()
    # The first six columns keep their places; later ones are appended after them.
    assert text.splitlines()[0].startswith("child_id,rule,due,status,met_on,owner,")
    assert f"{child.child_id},first_review," in text

    page.get_by_role("link", name="Amelia Stone").click()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    assert_accessible(page)
