"""The SSDA903 pages: administrators upload a return and download this year's.

An upload is imported by a Celery worker (eager in the tests) once the request's transaction is
committed; `post_import` runs those on-commit callbacks and follows the redirect to the import's
page, as the administrator's browser would.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from permanence.models import Child
from permanence.navigation import nav_for
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.ssda903_data import GOOD, copy_good, files_in, set_cell
from tracker.ssda903 import setup
from tracker.ssda903.tables import CollectionYear

pytestmark = pytest.mark.django_db

THIS_YEAR = CollectionYear.containing(timezone.localdate())


def uploads(folder):
    return [SimpleUploadedFile(name, content, "text/csv") for name, content in files_in(folder)]


def post_import(client, folder, team, mode):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("tracker:ssda903-import"),
            {"files": uploads(folder), "team": team.pk, "mode": mode},
        )
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.parametrize(
    "url", ["tracker:ssda903-return", "tracker:ssda903-import", "tracker:ssda903-export"]
)
def test_only_administrators_reach_the_ssda903_pages(client, social_worker, team_manager, url):
    for user in (social_worker, team_manager):
        client.force_login(user)
        assert client.get(reverse(url)).status_code == 403
    client.logout()
    assert client.get(reverse(url)).status_code == 302  # to the sign-in page


def test_the_return_page_offers_the_years_and_the_import(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("tracker:ssda903-return"))

    assert page.status_code == 200
    assert f"{THIS_YEAR.label} (1 April {THIS_YEAR.start.year} to 31 March" in page.text
    assert reverse("tracker:ssda903-import") in page.text


def test_the_download_is_a_zip_of_the_years_tables(client, administrator, team):
    child = ChildFactory(child_id="DL001", team=team)
    EpisodeFactory(child=child, decom=timezone.localdate())
    client.force_login(administrator)

    response = client.get(reverse("tracker:ssda903-export"), {"year": THIS_YEAR.end_year})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="ssda903_{THIS_YEAR.label}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "DL001" in archive.read("header.csv").decode()


def test_a_year_not_offered_is_refused_beside_the_field(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("tracker:ssda903-export"), {"year": "2017"})

    assert response.status_code == 400
    assert "Select a collection year from the list" in response.text


def test_checking_the_files_shows_what_would_change_and_changes_nothing(
    client, administrator, team
):
    client.force_login(administrator)

    page = post_import(client, GOOD, team, "check")

    assert page.status_code == 200
    assert "Files checked: nothing has been changed" in page.text
    # PlacedAdoption and SWEpisodes: a row each, kept as given.
    assert "Rows of the other tables" in page.text
    assert not Child.objects.exists()


def test_importing_from_the_page_creates_the_children(client, administrator, team):
    client.force_login(administrator)

    page = post_import(client, GOOD, team, "import")

    assert "Return imported" in page.text
    assert f"have joined {team.name}" in page.text
    assert Child.objects.count() == 3
    assert Child.objects.get(child_id="A1001").history.latest().history_user == administrator


def test_rejected_rows_are_listed_by_file_row_and_column(client, administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 3, "DOB", "1/13/2019")
    client.force_login(administrator)

    page = post_import(client, folder, team, "import")

    assert "1 child was not imported" in page.text
    row = page.text.split("“1/13/2019”")[0].rsplit("<tr", 1)[1]
    for cell in ("header.csv", ">3<", ">DOB<", ">B2002<"):
        assert cell in row
    assert set(Child.objects.values_list("child_id", flat=True)) == {"A1001", "C3003"}


def test_files_with_the_wrong_columns_import_nothing(client, administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    (folder / "episodes.csv").write_text("CHILD,DECOM\r\nA1001,01/01/2025\r\n")
    client.force_login(administrator)

    page = post_import(client, folder, team, "import")

    assert "Nothing was imported" in page.text
    assert "The RNE column is missing" in page.text
    assert not Child.objects.exists()


def test_the_upload_must_hold_files(client, administrator, team):
    client.force_login(administrator)

    page = client.post(reverse("tracker:ssda903-import"), {"team": team.pk, "mode": "check"})

    assert page.status_code == 400
    assert "Select the return&#x27;s CSV files, or a zip file of them" in page.text


def test_a_file_that_is_not_csv_or_zip_is_refused(client, administrator, team):
    client.force_login(administrator)
    upload = SimpleUploadedFile("return.xlsx", b"PK...", "application/octet-stream")

    page = client.post(
        reverse("tracker:ssda903-import"), {"files": [upload], "team": team.pk, "mode": "check"}
    )

    assert page.status_code == 400
    assert "return.xlsx must be a CSV or zip file" in page.text


def test_administrators_find_the_return_in_the_navigation(administrator, social_worker):
    setup.register()

    labels = [item["label"] for item in nav_for(administrator, "/")]

    assert "SSDA903 return" in labels
    assert "SSDA903 return" not in [item["label"] for item in nav_for(social_worker, "/")]
