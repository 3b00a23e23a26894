"""What the sweep's notifications say: worded by their templates, whole sentences, names as
written (an apostrophe is not turned into an HTML entity), a due time before the day."""

from __future__ import annotations

import datetime as dt

import pytest

from permanence.models import Notification
from tests.tracker.conftest import at
from tracker import services
from tracker.models import DeadlineRule

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2026, 1, 5)  # Monday: first review due Monday 2 February (20 working days)


@pytest.fixture
def child(make_child, only_rules, team_manager, head_of_service, iro):
    only_rules("first_review")
    iro.first_name, iro.last_name = "Siobhán", "O'Brien"
    iro.save()
    return make_child(SINCE)


def sweep(system, day):
    services.deadlines_sweep(by=system, now=at(day, 6))


def test_the_escalation_names_the_owner_and_says_the_rule_in_whole_sentences(
    child, system, team_manager
):
    rule = DeadlineRule.objects.get(code="first_review")
    sweep(system, D(2026, 1, 27))
    sweep(system, D(2026, 2, 3))
    note = Notification.objects.get(recipient=team_manager)
    assert note.subject == (
        f"The first looked-after review for {child.child_id} is overdue, and is escalated to you"
    )
    assert note.body == (
        f"{rule.name} for child {child.child_id} was due by 2 February 2026 and is overdue. "
        f"It is with Siobhán O'Brien. It counts from {rule.counts_from}; "
        f"it is met when {rule.met_by}."
    )


def test_a_due_time_is_said_before_the_day(child, system, iro):
    DeadlineRule.objects.filter(code="first_review").update(due_time=dt.time(17, 0))
    sweep(system, D(2026, 1, 27))
    note = Notification.objects.get(recipient=iro)
    assert note.subject.endswith(" is due soon")
    assert " is due by 17:00 on 2 February 2026. It counts from " in note.body


def test_children_due_the_same_day_are_each_named_in_their_own_notification(
    child, make_child, system, iro
):
    """The words are made once for a rule and day and each child's identifier put in: each
    notification still names its own child, however the identifier is written."""
    others = [
        make_child(SINCE, child_id="C-2000"),
        make_child(SINCE, child_id="A&B 12"),  # a space and an ampersand: worded in full
    ]
    sweep(system, D(2026, 1, 27))
    notes = Notification.objects.filter(recipient=iro)
    subjects = {note.child_id: note.subject for note in notes}
    for each in [child, *others]:
        assert subjects[each.pk] == (
            f"The first looked-after review for {each.child_id} is due soon"
        )
        body = notes.get(child_id=each.pk).body
        assert body.startswith(f"First looked-after review for child {each.child_id} is due by ")
