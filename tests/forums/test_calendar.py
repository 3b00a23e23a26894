"""Each user's forum sessions and meetings as an iCalendar feed."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forums import services
from forums.models import Booking
from tests.factories.forums import BookingFactory, MeetingFactory, meeting_type

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(body)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_the_social_worker_sees_their_slot_and_their_childs_meetings(
    client, social_worker, forum_child, session
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker, slot_number=2)
    MeetingFactory(
        child=forum_child,
        meeting_type=meeting_type("care-planning"),
        start_time=dt.time(14, 0),
        created_by=social_worker,
    )
    client.force_login(social_worker)
    response = client.get(reverse("forums:calendar-download"))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    events = _events(response.content)
    slot = events[f"Permanency forum: child {forum_child.child_id}, slot 2 (Requested)"]
    assert slot["dtstart"].dt == session.slot_starts_at(2)
    assert slot["dtend"].dt - slot["dtstart"].dt == dt.timedelta(minutes=30)
    assert f"Care Planning Meeting: child {forum_child.child_id}" in events
    # Calendars leave the service: no child's name in them.
    assert forum_child.last_name.encode() not in response.content


def test_the_chair_sees_the_sessions_they_chair(client, chair, session):
    client.force_login(chair)
    events = _events(client.get(reverse("forums:calendar-download")).content)
    event = events["Permanency forum (you are chairing)"]
    assert event["dtstart"].dt == session.starts_at
    assert str(event["location"]) == session.venue


def test_a_withdrawn_booking_leaves_the_calendar(client, social_worker, forum_child, session):
    BookingFactory(
        session=session,
        child=forum_child,
        requested_by=social_worker,
        status=Booking.Status.WITHDRAWN,
    )
    client.force_login(social_worker)
    assert _events(client.get(reverse("forums:calendar-download")).content) == {}


def test_a_private_feed_address_works_without_signing_in_until_renewed(client, chair, session):
    first = services.calendar_feed_renew(by=chair)
    url = reverse("forums:calendar-feed", args=[first])
    response = client.get(url)
    assert response.status_code == 200
    assert "Permanency forum (you are chairing)" in _events(response.content)
    assert response["Cache-Control"] == "private, no-store"
    second = services.calendar_feed_renew(by=chair)
    assert client.get(url).status_code == 404
    assert client.get(reverse("forums:calendar-feed", args=[second])).status_code == 200


def test_an_unknown_feed_address_is_not_found(client):
    assert client.get(reverse("forums:calendar-feed", args=["nope"])).status_code == 404


def test_the_calendar_page_shows_a_new_address_once(client, social_worker):
    client.force_login(social_worker)
    page = client.post(reverse("forums:calendar")).content.decode()
    assert "/forums/calendar/" in page and "it will not be shown again" in page
    page = client.get(reverse("forums:calendar")).content.decode()
    assert "/forums/calendar/" not in page.split("Subscribe")[1].split("In the calendar")[0]


def test_past_entries_older_than_three_months_are_left_out(client, chair):
    from tests.factories.forums import ForumSessionFactory

    ForumSessionFactory(chair=chair, forum_date=timezone.localdate() - dt.timedelta(days=120))
    client.force_login(chair)
    assert _events(client.get(reverse("forums:calendar-download")).content) == {}


def test_the_user_can_switch_their_feed_off(client, chair, session):
    token = services.calendar_feed_renew(by=chair)
    url = reverse("forums:calendar-feed", args=[token])
    assert client.get(url).status_code == 200
    client.force_login(chair)
    response = client.post(reverse("forums:calendar"), {"action": "turn-off"}, follow=True)
    assert "It no longer works" in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 404
    # The page offers a new address again, not a second switch-off.
    client.force_login(chair)
    page = client.get(reverse("forums:calendar")).content.decode()
    assert "Make a private address" in page and "Switch off my private address" not in page


def test_the_administrator_can_switch_every_feed_off(client, settings, chair, session):
    token = services.calendar_feed_renew(by=chair)
    settings.CALENDAR_FEEDS_ENABLED = False
    assert client.get(reverse("forums:calendar-feed", args=[token])).status_code == 404
    client.force_login(chair)
    page = client.get(reverse("forums:calendar")).content.decode()
    assert "Subscribing to calendars is switched off for this service" in page
    assert "Make a new private address" not in page
    # Asking for a new address anyway gives none.
    response = client.post(reverse("forums:calendar"), {"action": "renew"}, follow=True)
    assert "/forums/calendar/" not in response.content.decode().split("Subscribe")[1]
    # Downloading while signed in still works.
    assert client.get(reverse("forums:calendar-download")).status_code == 200
    settings.CALENDAR_FEEDS_ENABLED = True
    assert client.get(reverse("forums:calendar-feed", args=[token])).status_code == 200


def test_a_departed_users_feed_stops(client, chair, session):
    token = services.calendar_feed_renew(by=chair)
    chair.is_active = False
    chair.save()
    assert client.get(reverse("forums:calendar-feed", args=[token])).status_code == 404


def _access_log_line(tmp_path, path: str) -> str:
    from gunicorn.config import Config

    from permanence.access_log import MaskedAccessLogger

    log_file = tmp_path / "access.log"
    cfg = Config()
    cfg.set("accesslog", str(log_file))
    logger = MaskedAccessLogger(cfg)
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"https://example.invalid{path}")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_REFERER": f"https://example.invalid{path}",
    }
    logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_access_log_hides_the_feed_secret(tmp_path):
    secret = "Zm9vYmFyLXNlY3JldC10b2tlbi1mb3ItdGVzdHM"
    line = _access_log_line(tmp_path, f"/forums/calendar/{secret}.ics")
    assert secret not in line
    assert '"GET /forums/calendar/[hidden].ics HTTP/1.1" 200' in line
    # Other addresses are logged as they are.
    assert "/forums/calendar.ics" in _access_log_line(tmp_path, "/forums/calendar.ics")


def test_gunicorn_uses_the_masking_logger():
    import subprocess
    import sys
    from pathlib import Path

    gunicorn = Path(sys.executable).with_name("gunicorn")
    out = subprocess.run(  # noqa: S603 (our own virtualenv's gunicorn, fixed arguments)
        [str(gunicorn), "--print-config", "permanence.wsgi:application"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    ).stdout
    assert "permanence.access_log.MaskedAccessLogger" in out
