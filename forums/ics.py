"""The user's forum sessions and meetings as an iCalendar feed (RFC 5545)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from forums.selectors import CalendarEntry

PRODID = "-//Permanence tracker//Forums and meetings//EN"


def calendar_bytes(entries: list[CalendarEntry], *, name: str) -> bytes:
    """One VEVENT per entry; children by identifier only, since calendars leave the service."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    stamp = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at)
        event.add("summary", entry.summary)
        if entry.location:
            event.add("location", entry.location)
        url = settings.SITE_URL.rstrip("/") + entry.path
        event.add("url", url)
        event.add("description", f"Details in the {settings.SERVICE_NAME}: {url}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
