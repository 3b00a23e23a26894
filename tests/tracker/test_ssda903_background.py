"""An SSDA903 return uploaded on the page is imported by a worker, and its page shows how it went.

A real authority's return takes minutes to import, longer than a web request may last: the page
keeps the upload, queues the import, and sends the administrator to the import's own page, which
refreshes itself until the import has finished (issue 7).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from permanence.models import Child
from permanence.roles import Role
from tests.factories.permanence import UserFactory
from tests.tracker.ssda903_data import GOOD, copy_good, files_in, set_cell
from tracker import tasks
from tracker.ssda903 import services
from tracker.ssda903.models import Ssda903Import

pytestmark = pytest.mark.django_db

# While it runs the page asks for itself again (htmx), with a link for those without JavaScript;
# no <meta> refresh, which would fail WCAG 2.2.1 (timing adjustable).
REFRESH = 'hx-trigger="every 5s"'


def uploads(folder):
    return [SimpleUploadedFile(name, content, "text/csv") for name, content in files_in(folder)]


def upload(client, files, team, mode="import"):
    return client.post(
        reverse("tracker:ssda903-import"), {"files": files, "team": team.pk, "mode": mode}
    )


def detail_url(record):
    return reverse("tracker:ssda903-import-detail", args=[record.pk])


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def queued(administrator, team):
    """A return uploaded on the page and not yet picked up by a worker."""

    def make(folder=GOOD, *, dry_run=False):
        return services.ssda903_import_queue(
            uploads=uploads(folder), team=team, dry_run=dry_run, by=administrator
        )

    return make


def test_uploading_queues_one_import_and_goes_to_its_page(
    admin_client, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(admin_client, uploads(GOOD), team)

    record = Ssda903Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(record)
    assert len(callbacks) == 1  # the import, queued once the upload is committed
    assert record.status == Ssda903Import.Status.QUEUED
    assert not Child.objects.exists()  # nothing imported inside the request
    page = admin_client.get(response["Location"])
    assert "Importing the return" in page.text
    assert "Waiting to start" in page.text
    assert REFRESH in page.text


def test_the_upload_is_kept_under_a_name_that_says_nothing_about_the_children(queued):
    record = queued()

    assert re.fullmatch(r"ssda903/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.zip", record.file.name)
    assert default_storage.exists(record.file.name)
    assert sorted(record.file_names) == [name for name, _ in files_in(GOOD)]


def test_the_finished_import_shows_what_it_did_and_stops_refreshing(
    admin_client, team, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, uploads(GOOD), team)

    page = admin_client.get(response["Location"])
    record = Ssda903Import.objects.get()
    assert record.status == Ssda903Import.Status.DONE
    assert (record.children_imported, record.children_rejected) == (3, 0)
    assert record.started_by == administrator
    assert "Return imported" in page.text
    assert "Finished" in page.text  # when, in the summary of the upload
    assert REFRESH not in page.text
    assert Child.objects.count() == 3


def test_the_uploaded_files_are_deleted_once_the_import_has_finished(
    queued, django_capture_on_commit_callbacks
):
    record = queued()
    stored = record.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.ssda903_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert record.file.name == ""
    assert not default_storage.exists(stored)


def test_rejected_children_are_counted_and_their_problems_listed(
    admin_client, team, tmp_path, django_capture_on_commit_callbacks
):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 3, "DOB", "1/13/2019")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, uploads(folder), team)

    record = Ssda903Import.objects.get()
    assert (record.children_imported, record.children_rejected) == (2, 1)
    problem = record.rejections[0]
    assert (problem["file"], problem["row"], problem["column"], problem["child"]) == (
        "header.csv",
        3,
        "DOB",
        "B2002",
    )
    page = admin_client.get(response["Location"])
    assert "1 child was not imported" in page.text
    assert "Problems to correct (1)" in page.text
    assert "“1/13/2019”" in page.text


def test_a_check_imports_nothing_and_says_what_an_import_would_do(
    admin_client, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, uploads(GOOD), team, mode="check")

    record = Ssda903Import.objects.get()
    assert record.dry_run is True
    assert record.status == Ssda903Import.Status.DONE
    assert record.children_imported == 3  # would be
    assert not Child.objects.exists()
    page = admin_client.get(response["Location"])
    assert "Files checked: nothing has been changed" in page.text
    assert "Would be added" in page.text


def test_a_zip_of_the_return_is_imported_under_the_names_inside_it(
    admin_client, team, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files_in(GOOD):
            archive.writestr(f"2025-26/{name}", content)
    zipped = SimpleUploadedFile("return.zip", buffer.getvalue(), "application/zip")

    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, [zipped], team)

    record = Ssda903Import.objects.get()
    assert record.file_names == ["return.zip"]
    assert record.children_imported == 3
    # The PlacedAdoption and SWEpisodes rows inside it are kept too.
    assert record.other_rows == {"created": 2, "updated": 0, "unchanged": 0}


def test_files_with_the_wrong_columns_are_reported_as_not_read(
    admin_client, team, tmp_path, django_capture_on_commit_callbacks
):
    folder = copy_good(tmp_path)
    (folder / "episodes.csv").write_text("CHILD,DECOM\r\nA1001,01/01/2025\r\n")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, uploads(folder), team)

    page = admin_client.get(response["Location"])
    assert "Nothing was imported" in page.text
    assert "The RNE column is missing" in page.text
    assert not Child.objects.exists()


def test_an_unexpected_error_stops_the_import_with_a_plain_message(
    admin_client, team, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("secret internals: connection to 10.0.0.7 refused")

    monkeypatch.setattr(services, "ssda903_import", broken)

    with (
        caplog.at_level(logging.ERROR, logger="tracker.ssda903.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = upload(admin_client, uploads(GOOD), team)

    record = Ssda903Import.objects.get()
    assert record.status == Ssda903Import.Status.FAILED
    assert record.failure_message == services.STOPPED_UNEXPECTEDLY.format(pk=record.pk)
    page = admin_client.get(response["Location"])
    assert "The import stopped before it finished" in page.text
    assert "nothing was changed" in page.text
    for leak in ("Traceback", "RuntimeError", "secret internals", "10.0.0.7"):
        assert leak not in page.text
    assert REFRESH not in page.text
    # The support team finds the traceback in the log.
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)
    assert not Child.objects.exists()


def test_an_error_partway_through_keeps_nothing_of_the_import(
    queued, monkeypatch, django_capture_on_commit_callbacks
):
    record = queued()
    real_store = services._store

    def store_then_fail(record, report):
        real_store(record, report)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store", store_then_fail)

    with django_capture_on_commit_callbacks(execute=True):
        services.ssda903_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert record.status == Ssda903Import.Status.FAILED
    # The page says nothing was changed, and nothing was: the import and its report go together.
    assert record.children_imported == 0
    assert not Child.objects.exists()


def test_an_administrator_who_lost_the_role_before_it_ran_is_told_why(
    queued, administrator, django_capture_on_commit_callbacks
):
    record = queued()
    administrator.groups.clear()  # no longer an administrator

    with django_capture_on_commit_callbacks(execute=True):
        services.ssda903_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert record.status == Ssda903Import.Status.FAILED
    assert record.failure_message == services.NO_LONGER_ADMINISTRATOR
    assert not Child.objects.exists()


def test_running_the_task_again_after_it_finished_changes_nothing(
    queued, django_capture_on_commit_callbacks
):
    record = queued()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.ssda903_import_run.delay(record.pk)
    record.refresh_from_db()
    finished_at = record.finished_at

    with django_capture_on_commit_callbacks(execute=True):
        tasks.ssda903_import_run.delay(record.pk)  # a second delivery of the same message

    record.refresh_from_db()
    assert record.status == Ssda903Import.Status.DONE
    assert record.finished_at == finished_at
    assert record.attempts == 1
    assert record.children_imported == 3
    assert Child.objects.count() == 3


def test_an_import_whose_worker_died_is_started_again(queued, django_capture_on_commit_callbacks):
    record = queued()
    # What a worker killed mid-import leaves: "running" committed, the import rolled back.
    record.status = Ssda903Import.Status.RUNNING
    record.attempts = 1
    record.save()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.ssda903_import_run.delay(record.pk)

    record.refresh_from_db()
    assert record.status == Ssda903Import.Status.DONE
    assert record.attempts == 2
    assert Child.objects.count() == 3


def test_an_import_that_stopped_twice_is_given_up(queued, django_capture_on_commit_callbacks):
    record = queued()
    record.status = Ssda903Import.Status.RUNNING
    record.attempts = services.MAX_ATTEMPTS
    record.save()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.ssda903_import_run.delay(record.pk)

    record.refresh_from_db()
    assert record.status == Ssda903Import.Status.FAILED
    assert record.failure_message == services.STOPPED_REPEATEDLY
    assert not Child.objects.exists()


def test_a_running_import_refreshes_its_page_and_says_when_it_started(admin_client, queued):
    record = queued()
    record.status = Ssda903Import.Status.RUNNING
    record.save()

    page = admin_client.get(detail_url(record))

    assert page.status_code == 200
    assert REFRESH in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert "refresh it now" in page.text  # without JavaScript
    assert "Running" in page.text
    assert "refresh it now" in page.text


def test_the_return_page_lists_recent_imports(
    admin_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done = queued()
    waiting = queued(dry_run=True)

    page = admin_client.get(reverse("tracker:ssda903-return"))

    assert "Recent imports" in page.text
    assert detail_url(done) in page.text
    assert detail_url(waiting) in page.text
    assert "3 were imported" in page.text
    assert "Waiting to start" in page.text


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO])
def test_only_administrators_see_an_import(client, queued, role):
    record = queued()
    client.force_login(UserFactory(role=role))

    assert client.get(detail_url(record)).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, queued):
    record = queued()

    response = client.get(detail_url(record))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_import_that_does_not_exist_is_not_found(admin_client):
    assert admin_client.get(reverse("tracker:ssda903-import-detail", args=[999])).status_code == 404


def test_only_an_administrator_can_queue_an_import(social_worker, team):
    with pytest.raises(PermissionDenied):
        services.ssda903_import_queue(
            uploads=uploads(GOOD), team=team, dry_run=False, by=social_worker
        )
    assert not Ssda903Import.objects.exists()


def test_the_admin_lists_imports_read_only(client, queued):
    record = queued()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:tracker_ssda903import_changelist"))
    detail = client.get(reverse("admin:tracker_ssda903import_change", args=[record.pk]))

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text  # nothing to change


def test_an_import_no_worker_has_taken_says_so_after_ten_minutes(admin_client, queued):
    record = queued()
    page = admin_client.get(detail_url(record)).text
    assert "may have stopped" not in page  # just uploaded: waiting its turn

    record.created_at = timezone.now() - dt.timedelta(minutes=11)
    record.save()
    page = admin_client.get(detail_url(record)).text
    assert "Waiting to start" in page
    assert "The service's background worker may have stopped" in page
    assert f"quoting import number {record.pk}" in page


def test_an_import_left_waiting_can_be_handed_to_the_workers_again(
    admin_client, queued, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.ssda903_import_run, "delay", lambda pk: sent.append(pk))
    record = queued()
    # Just uploaded: it is not offered, and asking anyway changes nothing.
    assert "Try starting it again" not in admin_client.get(detail_url(record)).text
    page = admin_client.post(detail_url(record), follow=True).text
    assert "Only an import still waiting to start after 10 minutes" in page
    assert sent == []

    record.created_at = timezone.now() - dt.timedelta(minutes=11)
    record.save()
    assert "Try starting it again" in admin_client.get(detail_url(record)).text
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(detail_url(record), follow=True).text
    assert "handed to the workers again" in page
    assert sent == [record.pk]
