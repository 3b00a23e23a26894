"""Structured request logs (issue 17): one JSON line per request, with the user's id and no
child data."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.urls import reverse

from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(settings):
    """The request logger's lines, written by the formatter the settings give it."""
    from pythonjsonlogger.json import JsonFormatter

    logger = logging.getLogger("permanence.requests")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    fmt = settings.LOGGING["formatters"]["json"]["format"]
    handler.setFormatter(JsonFormatter(fmt))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_page_is_logged_with_the_user_id_and_no_child_data(client, social_worker, lines):
    child = ChildFactory(
        first_name="Peregrine", last_name="Logfree", child_id="LOG123", social_worker=social_worker
    )
    client.force_login(social_worker)
    client.get(reverse("permanence:child-list"), {"q": "Logfree"})
    client.get(reverse("permanence:child-detail", args=[child.pk]), HTTP_X_REQUEST_ID="lb-42")

    search, page = lines()
    assert search["user_id"] == social_worker.pk
    assert search["status"] == 200
    assert search["view"] == "permanence:child-list"
    assert page["route"] == "children/<int:pk>/"
    assert page["request_id"] == "lb-42"
    assert isinstance(page["duration_ms"], int)
    text = json.dumps([search, page])
    for word in ("Peregrine", "Logfree", "LOG123", f"/{child.pk}/"):
        assert word not in text


def test_a_signed_out_request_has_no_user_and_its_own_id(client, lines):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="not an id; DROP")
    (line,) = lines()
    assert line["user_id"] is None
    assert line["request_id"] != "not an id; DROP"
    assert response["X-Request-ID"] == line["request_id"]


def test_static_files_are_not_logged_but_a_missing_page_is(client, lines):
    client.get("/static/css/app.css")
    client.get("/no-such-page/")
    (line,) = lines()
    assert line["status"] in (302, 404) and line["route"] is None
