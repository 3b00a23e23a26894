"""Each user's forum sessions and meetings as an iCalendar feed."""

import datetime as dt

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
