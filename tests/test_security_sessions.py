"""Sessions (issue 11): they end after a working day without use, on signing out, and on every
device at once when the user asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permanence import middleware
from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _signed_in(client, user) -> Client:
    assert client.login(username=user.username, password="test-password-123")
    return client


def test_a_session_lasts_a_working_day_unless_configured():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_each_request_restarts_the_working_day(client, social_worker, monkeypatch):
    _signed_in(client, social_worker)
    client.get("/children/")
    first = _session(client).expire_date
    # An hour later (past the refresh interval), another page.
    later = middleware.time.time() + 3600
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    session = _session(client)
    session.expire_date = first - dt.timedelta(hours=1)  # as it would be an hour on
    session.save()
    client.get("/children/")
    refreshed = _session(client).expire_date
    assert refreshed > first - dt.timedelta(hours=1)
    assert abs(refreshed - (timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))) < (
        dt.timedelta(minutes=1)
    )


def test_requests_close_together_do_not_rewrite_the_session(client, social_worker):
    _signed_in(client, social_worker)
    client.get("/children/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/children/")
    writes = [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "session" in q["sql"]]
    assert writes == []


def test_a_session_unused_for_a_working_day_has_ended(client, social_worker, team):
    child = ChildFactory(team=team)
    _signed_in(client, social_worker)
    assert client.get(child.get_absolute_url()).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(child.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_signing_out_ends_the_session_on_the_server(client, social_worker):
    _signed_in(client, social_worker)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_the_sign_out_everywhere_page_explains_and_asks(client, social_worker):
    _signed_in(client, social_worker)
    home = client.get("/children/").content.decode()
    assert 'href="/accounts/sign-out-everywhere/"' in home
    page = client.get("/accounts/sign-out-everywhere/").content.decode()
    assert "This signs you out of the service everywhere you are signed in" in page
    assert '<form method="post"' in page


def test_signing_out_everywhere_ends_every_session_of_that_user_only(social_worker, team_manager):
    office, phone, colleague = Client(), Client(), Client()
    _signed_in(office, social_worker)
    _signed_in(phone, social_worker)
    _signed_in(colleague, team_manager)

    response = phone.post("/accounts/sign-out-everywhere/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "You have been signed out on every device, including this one." in (
        response.content.decode()
    )

    for device in (office, phone):
        gone = device.get("/children/")
        assert gone.status_code == 302 and gone["Location"].startswith(LOGIN)
    assert colleague.get("/children/").status_code == 200


def test_a_get_does_not_sign_anyone_out(client, social_worker):
    other = Client()
    _signed_in(client, social_worker)
    _signed_in(other, social_worker)
    client.get("/accounts/sign-out-everywhere/")
    assert other.get("/children/").status_code == 200
