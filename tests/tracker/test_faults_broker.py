"""A broker that is down never turns a saved change into an error page (issue 11): the
change is kept, the failure is logged, and the page the change earned is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from tests.tracker.ssda903_data import GOOD
from tests.tracker.test_ssda903_background import uploads
from tracker import tasks
from tracker.ssda903.models import Ssda903Import

pytestmark = pytest.mark.django_db


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_an_upload_while_the_broker_is_down_is_kept_and_shown_waiting(
    client, administrator, team, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks.ssda903_import_run, "delay", _broker_down)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tracker:ssda903-import"),
            {"files": uploads(GOOD), "team": team.pk, "mode": "import"},
            follow=True,
        )
    record = Ssda903Import.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "tracker:ssda903-import-detail", args=[record.pk]
    )
    assert "Waiting to start" in response.content.decode()
    assert record.status == Ssda903Import.Status.QUEUED
    assert "Connection refused" in caplog.text
