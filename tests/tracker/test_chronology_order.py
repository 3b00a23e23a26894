"""The chronology in the order things happened (issue 16): each entry sits on the event's own
date (an episode on the day it began, a meeting on the day it was held, a plan change on its
effective date), says when it was entered and by whom when that was another day, and can be
narrowed to some kinds of record with the page's checkboxes."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence.models import ContactArrangement
from tests.factories.forums import MeetingFactory, meeting_type
from tests.factories.permanence import ChildFactory, EpisodeFactory, ServiceFactory, TeamFactory
from tests.factories.plans import PlanFactory
from tracker.dashboard.chronology import Entry, chronology, entries_html

pytestmark = pytest.mark.django_db


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def child(team, social_worker):
    return ChildFactory(
        team=team, social_worker=social_worker, first_name="Orla", last_name="Quill"
    )


@pytest.fixture
def entered_out_of_order(child, social_worker):
    """Entered today, one after another, events that happened months apart and in another
    order: a plan ratified 100 days ago, an episode that began 200 days ago, a meeting held 150
    days ago, a contact arrangement that started 50 days ago."""
    plan = PlanFactory(child=child, created_by=social_worker)
    plan.ratified_on = _ago(100)
    plan.save()
    EpisodeFactory(child=child, decom=_ago(200))
    MeetingFactory(
        child=child,
        created_by=social_worker,
        meeting_type=meeting_type("permanence-panel"),
        scheduled_for=_ago(150),
        held_on=_ago(150),
    )
    ContactArrangement.objects.create(
        child=child,
        relationship=ContactArrangement.With.MOTHER,
        person_name="Mum (Jo)",
        frequency="Monthly",
        kind=ContactArrangement.Kind.IN_PERSON,
        supervision=ContactArrangement.Supervision.SUPERVISED,
        starts_on=_ago(50),
        recorded_by=social_worker,
    )
    return child


def _dated(entries):
    return [(e.happened_on, e.subject, e.action) for e in entries]


def test_entries_sit_on_the_day_the_event_happened_not_the_day_it_was_entered(
    entered_out_of_order,
):
    entries = chronology(child=entered_out_of_order, order="oldest")
    on = {(e.subject.split(" ")[0], e.action): e.happened_on for e in entries}
    assert on[("Looked-after", "Added")] == _ago(200)
    assert on[("Permanence", "Added")] == _ago(150)
    assert on[("Contact", "Added")] == _ago(50)
    ratified = next(e for e in entries if e.kind == "plan" and e.action == "Changed")
    assert ratified.happened_on == _ago(100)
    assert ratified.entered_later and ratified.entered_on == timezone.localdate()
    # Oldest first: the episode, the meeting, the plan's ratification, the contact; the plan's
    # drafting (today) last.
    subjects = [e.subject.split(" ")[0] for e in entries]
    assert subjects.index("Looked-after") < subjects.index("Permanence") < subjects.index("Contact")
    assert entries.index(ratified) < subjects.index("Contact")
    assert entries[-1].kind == "plan" and entries[-1].action == "Added"
    assert not entries[-1].entered_later
    assert _dated(chronology(child=entered_out_of_order)) == list(reversed(_dated(entries)))


def test_a_date_still_to_come_sits_on_the_day_it_was_entered(child, social_worker):
    MeetingFactory(child=child, created_by=social_worker, scheduled_for=_ago(-30))
    (entry,) = chronology(child=child, kinds={"meetings"})
    assert entry.happened_on == timezone.localdate() and not entry.entered_later


def test_the_page_says_when_an_entry_was_entered_and_by_whom(
    client, entered_out_of_order, social_worker
):
    client.force_login(social_worker)
    url = reverse("tracker:chronology", args=[entered_out_of_order.pk])
    html = client.get(url, {"order": "oldest"}).content.decode()
    began = f'<time datetime="{_ago(200):%Y-%m-%d}">{_ago(200):%-d %B %Y}</time>'
    assert began in html
    assert "entered on <time datetime=" in html
    assert f"{timezone.localdate():%-d %B %Y}</time> by Not recorded" in html
    assert "by the date each happened, from the beginning" in html
    assert html.index(began) < html.index("Contact arrangement: Mum (Jo)")


def test_ticking_kinds_shows_only_those_kinds(client, entered_out_of_order, social_worker):
    client.force_login(social_worker)
    url = reverse("tracker:chronology", args=[entered_out_of_order.pk])
    html = client.get(url, {"kind": ["family", "meetings"]}).content.decode()
    assert "Contact arrangement: Mum (Jo)" in html
    assert "Permanence Panel on" in html
    assert "Looked-after episode from" not in html
    assert "Plan version 1" not in html
    assert 'id="kind-family" name="kind" type="checkbox" value="family" checked' in html
    assert 'id="kind-plan" name="kind" type="checkbox" value="plan">' in html
    html = client.get(url, {"kind": "child"}).content.decode()
    assert "Looked-after episode from" in html and "Contact arrangement: Mum (Jo)" not in html


def test_pages_keep_the_kinds_ticked(client, child, social_worker):
    for n in range(55):
        MeetingFactory(child=child, created_by=social_worker, held_on=_ago(400 - n))
    client.force_login(social_worker)
    url = reverse("tracker:chronology", args=[child.pk])
    html = client.get(url, {"kind": "meetings", "order": "oldest"}).content.decode()
    assert "page 1 of 2" in html
    assert 'href="?kind=meetings&amp;order=oldest&amp;page=2"' in html


# Pinned: every kind of record with history (the child's world among them) and the alerts in
# one statement, then the people named in them; the page adds its own, as few whatever the
# history (tests/test_chronology_queries.py pins the page).
CHRONOLOGY_QUERIES = 2


def test_queries_pinned_and_flat_whatever_the_history(client, entered_out_of_order, social_worker):
    child = entered_out_of_order
    with CaptureQueriesContext(connection) as small:
        chronology(child=child)
    client.force_login(social_worker)
    url = reverse("tracker:chronology", args=[child.pk])
    client.get(url)  # the first request of a session fills caches the others reuse
    with CaptureQueriesContext(connection) as page_small:
        assert client.get(url).status_code == 200
    for n in range(15):
        MeetingFactory(child=child, created_by=social_worker, held_on=_ago(300 - n))
    with CaptureQueriesContext(connection) as big:
        assert len(chronology(child=child)) >= 20
    with CaptureQueriesContext(connection) as page_big:
        assert client.get(url).status_code == 200
    assert len(small) == len(big) == CHRONOLOGY_QUERIES
    assert len(page_small) == len(page_big)


def test_an_outside_child_is_not_found(client, social_worker):
    elsewhere = TeamFactory(name="Far team", service=ServiceFactory(name="Another service"))
    outside = ChildFactory(team=elsewhere, first_name="Zed", last_name="Far")
    client.force_login(social_worker)
    response = client.get(reverse("tracker:chronology", args=[outside.pk]), {"kind": "family"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 1, 5, 9, 7, tzinfo=dt.UTC),
        # 23:30 UTC in summer is half past midnight the next day in London.
        dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=dt.UTC),
    ],
)
def test_an_entrys_dates_read_as_the_date_filter_writes_them(when):
    def written(value, how: str) -> str:
        # As a template writes it: the date filter is given the moment in local time.
        return Template(f'{{{{ value|date:"{how}" }}}}').render(Context({"value": value}))

    on = dt.date(2025, 9, 1)
    entry = Entry(when=when, who="Ann", kind="child", subject="Ann", action="Added", on=on)
    assert entry.entered_text == written(when, "j F Y")
    assert entry.entered_iso == written(when, "c")
    assert entry.entered_time == written(when, "H:i")
    assert (entry.happened_text, entry.happened_iso) == (
        written(on, "j F Y"),
        written(on, "Y-m-d"),
    )


def test_each_entry_is_written_with_when_who_what_and_the_changes():
    """The list items are written in Python (issue 19): each says when it happened, when and by
    whom it was entered, what was done to what, why, and what changed, with every text
    escaped."""
    entered = timezone.make_aware(dt.datetime(2026, 7, 3, 14, 5))
    later = Entry(
        when=entered,
        who="Sam <Lee>",
        kind="plan",
        subject="Plan & contingency",
        action="Changed",
        reason="court <asked>",
        changes_of=lambda: [("Route", "Return home", "Adoption <A>")],
        link="/plans/7/?a=1&b=2",
        on=dt.date(2026, 6, 30),
    )
    same_day = Entry(when=entered, who="Jo", kind="alerts", subject="Part 1", action="Raised")
    html = str(entries_html([later, same_day]))
    for raw in ("Sam <Lee>", "Plan & contingency", "court <asked>", "Adoption <A>", "&b="):
        assert raw not in html
    text = unescape(html)
    assert (
        "30 June 2026" in text
        and "entered on" in text
        and "3 July 2026</time> by Sam <Lee>" in text
    )
    assert (
        '<a class="govuk-link" href="/plans/7/?a=1&b=2">Plan & contingency</a> – court <asked>'
        in text
    )
    assert "<li>Route: Return home → Adoption <A></li>" in text
    # An entry entered on the day it happened says the time and who, not "entered on".
    second = text.split('<li class="app-history__item">')[2]
    assert "entered on" not in second
    assert f"{same_day.entered_time} · Jo · " in second
    assert "<strong>Raised:</strong> Part 1</p>" in second and "<ul" not in second
