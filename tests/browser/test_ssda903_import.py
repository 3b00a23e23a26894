"""An administrator checks, then imports, last year's SSDA903 return from the page; the import
runs as a background job and its page shows what it did. axe-core checks each page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from permanence.models import Child

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETURN = Path(__file__).parents[1] / "tracker" / "ssda903_data" / "good"


def test_administrator_checks_then_imports_a_return(
    page, live_server, login, assert_accessible, administrator, team
):
    files = sorted(str(path) for path in RETURN.glob("*.csv"))
    login(page, "admin")
    page.goto(f"{live_server.url}/tracker/ssda903/")
    assert_accessible(page)

    page.get_by_role("button", name="Import a return").click()
    page.get_by_label("Upload the return's files").set_input_files(files)
    page.get_by_label("Check the files only, changing nothing").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("checked")
    assert not Child.objects.exists()
    assert_accessible(page)

    page.goto(f"{live_server.url}/tracker/ssda903/import/")
    page.get_by_label("Upload the return's files").set_input_files(files)
    page.get_by_label("Import the children whose rows have no problems").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("imported")
    assert Child.objects.exists()
    assert_accessible(page)

    page.get_by_role("link", name="Back").click()
    imports = page.get_by_role("table", name="Recent imports")
    expect(imports.get_by_role("row")).to_have_count(3)  # the heading row, the check, the import
    assert_accessible(page)
