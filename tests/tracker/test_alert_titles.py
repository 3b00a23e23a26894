"""Alert titles are sentences (issue 16): "Part 1 for Ava Singh (DEMO0024) is overdue" in the app,
"Part 1 for DEMO0024 is overdue" by e-mail, which names the child by identifier only (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from permanence.models import Notification
from tests.tracker.conftest import at
from tracker import services
from tracker.deadlines.registry import ALERT_TITLES, SPECS, alert_title

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2026, 1, 5)  # Monday: first review due Monday 2 February (20 working days)
FIRST = "Quintessa"
LAST = "Marlowe-Ibsen"


@pytest.fixture
def child(make_child, only_rules, team_manager, head_of_service):
    only_rules("first_review")
    return make_child(SINCE, first_name=FIRST, last_name=LAST)


def sweep(system, day):
    services.deadlines_sweep(by=system, now=at(day, 6))


# (status, days the sweeps run, who is told, the end of the sentence)
STATUSES = [
    ("due soon", [D(2026, 1, 27)], "iro", "is due soon"),
    ("overdue", [D(2026, 1, 27), D(2026, 2, 3)], "iro", "is overdue"),
    (
        "overdue, escalated",
        [D(2026, 1, 27), D(2026, 2, 3)],
        "team_manager",
        "is overdue, and is escalated to you",
    ),
]


@pytest.mark.parametrize(
    ("days", "who", "ending"), [s[1:] for s in STATUSES], ids=[s[0] for s in STATUSES]
)
def test_the_title_is_a_sentence_naming_the_child_in_the_app_only(
    client, request, child, system, django_capture_on_commit_callbacks, days, who, ending
):
    with django_capture_on_commit_callbacks(execute=True):
        for day in days:
            sweep(system, day)
    person = request.getfixturevalue(who)
    stored = f"The first looked-after review for {child.child_id} {ending}"
    assert Notification.objects.filter(recipient=person, subject=stored).exists()

    # By e-mail: the identifier, never the name.
    emails = [m for m in mail.outbox if m.to == [person.email]]
    assert any(m.subject.endswith(stored) for m in emails)
    for message in emails:
        assert FIRST not in message.subject and LAST not in message.subject
        assert FIRST not in message.body and LAST not in message.body

    # In the app: the name beside the identifier, as a sentence.
    client.force_login(person)
    page = client.get(reverse("permanence:notification-list")).content.decode()
    named = f"The first looked-after review for {FIRST} {LAST} ({child.child_id}) {ending}"
    assert named in page
    assert "(seed" not in page


def test_every_rule_has_a_title_that_reads_as_the_subject_of_a_sentence():
    codes = {spec.code for spec in SPECS}
    assert set(ALERT_TITLES) <= codes  # no title for a rule that does not exist
    # Nearly every rule has its own; a rule added without one is called by its name.
    assert len(codes - set(ALERT_TITLES)) <= 2
    for code in codes:
        title = alert_title(code, "Its name")
        assert title[:1].isupper() and not title.endswith(".")
