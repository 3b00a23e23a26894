"""A deadline's whole history (issue 12): every instance kept, with its due date, the date it was
met, and whether it was met on time, late (by how many days) or missed; reruns write nothing new;
the tracker still works to the current instance only; the export carries the past ones."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import LONDON, at
from tracker import services
from tracker.deadlines import registry
from tracker.deadlines.calculators import Gateway, Meeting, RuleConfig
from tracker.deadlines.engine import Directory, compute_deadlines
from tracker.deadlines.facts import BookingFact, ChildFacts, EpisodeFact, MeetingFact
from tracker.models import Alert, Deadline, DeadlineRule

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2025, 1, 6)  # Monday; first review due Monday 3 February (20 working days)
REVIEWS = ("first_review", "second_review", "later_review")


def sweep(system, day):
    return services.deadlines_sweep(by=system, now=at(day))


def held(child, sequence, day):
    ReviewFactory(child=child, period_started_on=SINCE, sequence=sequence, held_on=day)


def history(child):
    return list(
        Deadline.objects.filter(child=child)
        .order_by("due")
        .values_list("rule__code", "instance", "due", "met_on", "outcome", "days_late", "current")
    )


@pytest.fixture
def reviewed(make_child, only_rules, team_manager):
    """A child whose first review was on time and second 3 days late."""
    only_rules(*REVIEWS)
    child = make_child(SINCE)
    held(child, 1, D(2025, 2, 3))  # due 3 February: on time
    held(child, 2, D(2025, 5, 6))  # due Saturday 3 May: 3 days late
    return child


def test_three_reviews_on_time_late_and_missed_give_three_rows(reviewed, system):
    # The third (due 6 November, 6 months after the second) is never held; the child leaves
    # care on 20 November, so it was missed.
    episode = reviewed.episodes.get()
    episode.dec, episode.rec = D(2025, 11, 20), "E4A"
    episode.save()
    sweep(system, D(2025, 12, 1))
    assert history(reviewed) == [
        ("first_review", 1, D(2025, 2, 3), D(2025, 2, 3), "on_time", None, False),
        ("second_review", 1, D(2025, 5, 3), D(2025, 5, 6), "late", 3, False),
        ("later_review", 1, D(2025, 11, 6), None, "missed", None, False),
    ]


def test_in_care_the_past_instances_are_kept_and_the_next_is_current(reviewed, system):
    held(reviewed, 3, D(2025, 11, 5))  # due 6 November: a day early
    sweep(system, D(2025, 12, 1))
    assert history(reviewed) == [
        ("first_review", 1, D(2025, 2, 3), D(2025, 2, 3), "on_time", None, True),
        ("second_review", 1, D(2025, 5, 3), D(2025, 5, 6), "late", 3, True),
        ("later_review", 1, D(2025, 11, 6), D(2025, 11, 5), "on_time", None, False),
        ("later_review", 2, D(2026, 5, 5), None, "open", None, True),
    ]
    # The tracker works to one deadline per rule: the current one.
    current = Deadline.objects.filter(child=reviewed, current=True)
    assert sorted(current.values_list("rule__code", flat=True)) == sorted(REVIEWS)


def test_rerunning_the_sweep_writes_nothing_new(reviewed, system):
    held(reviewed, 3, D(2025, 11, 10))
    first = sweep(system, D(2025, 12, 1))
    assert first.deadlines_written == 4
    stored = history(reviewed)
    again = sweep(system, D(2025, 12, 1))
    assert (again.deadlines_written, again.deadlines_deleted, again.writes) == (0, 0, 0)
    assert history(reviewed) == stored


def test_holding_the_next_review_turns_the_current_instance_into_history(reviewed, system):
    sweep(system, D(2025, 11, 10))  # the later review, due 6 November, is overdue
    alert = Alert.objects.get()
    assert (alert.rule.code, alert.level, alert.due) == ("later_review", "overdue", D(2025, 11, 6))
    held(reviewed, 3, D(2025, 11, 11))
    sweep(system, D(2025, 11, 12))
    later = history(reviewed)[2:]
    assert later == [
        ("later_review", 1, D(2025, 11, 6), D(2025, 11, 11), "late", 5, False),
        ("later_review", 2, D(2026, 5, 11), None, "open", None, True),
    ]
    alert.refresh_from_db()
    assert alert.close_reason == "met"
    # Still one alert per child, rule and due date: the past instance raises nothing more.
    assert Alert.objects.count() == 1


def test_a_missed_instance_raises_no_alert(reviewed, system):
    episode = reviewed.episodes.get()
    episode.dec, episode.rec = D(2025, 11, 20), "E4A"
    episode.save()
    sweep(system, D(2025, 12, 1))
    assert Deadline.objects.filter(outcome="missed").count() == 1
    assert not Alert.objects.exists()


def test_past_instances_before_the_tracked_from_date_are_dropped(reviewed, system):
    held(reviewed, 3, D(2025, 11, 5))
    held(reviewed, 4, D(2026, 5, 1))
    DeadlineRule.objects.filter(code="later_review").update(applies_from=D(2025, 6, 1))
    sweep(system, D(2026, 5, 10))
    later = [row for row in history(reviewed) if row[0] == "later_review"]
    # The one counted from the second review (6 May 2025) is before 1 June 2025: not kept.
    assert [(n, due, outcome) for _, n, due, _, outcome, _, _ in later] == [
        (1, D(2026, 5, 5), "on_time"),
        (2, D(2026, 11, 1), "open"),
    ]


def test_the_deadlines_page_lists_only_current_instances(reviewed, system, client, iro):
    held(reviewed, 3, D(2025, 11, 5))
    sweep(system, D(2025, 12, 1))
    client.force_login(iro)
    page = client.get("/tracker/deadlines/?status=met")
    assert page.status_code == 200
    assert [d.rule.code for d in page.context["page"].object_list] == [
        "first_review",
        "second_review",
    ]


def test_export_holds_past_instances_with_their_timeliness(reviewed, system, client, iro):
    held(reviewed, 3, D(2025, 11, 5))
    sweep(system, D(2025, 12, 1))
    client.force_login(iro)
    response = client.get("/tracker/deadlines/export.csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "child_id",
        "rule",
        "due",
        "status",
        "met_on",
        "owner",
        "instance",
        "counts_from",
        "current",
        "timeliness",
        "days_late",
    ]
    body = [r[:4] + r[6:] for r in rows[1:]]
    assert body == [
        [reviewed.child_id, "first_review", "2025-02-03", "met", "1", "2025-01-06", "yes"]
        + ["on_time", ""],
        [reviewed.child_id, "second_review", "2025-05-03", "met", "1", "2025-02-03", "yes"]
        + ["late", "3"],
        [reviewed.child_id, "later_review", "2025-11-06", "met", "1", "2025-05-06", "no"]
        + ["on_time", ""],
        [reviewed.child_id, "later_review", "2026-05-05", "upcoming", "2", "2025-11-05", "yes"]
        + ["open", ""],
    ]
    # A status filter is about what is due now: past instances are left out.
    met = client.get("/tracker/deadlines/export.csv?status=met")
    met_rows = list(csv.reader(io.StringIO(b"".join(met.streaming_content).decode())))
    assert [r[1] for r in met_rows[1:]] == ["first_review", "second_review"]


# --- the instances of other rules, from the facts alone ----------------------------------------


def _facts(**fields) -> ChildFacts:
    facts = ChildFacts(1, 1, 1, None, None, "", None, None)
    for name, value in fields.items():
        setattr(facts, name, value)
    return facts


def _instances(code: str, facts: ChildFacts, today: dt.date) -> list[tuple]:
    rule = RuleConfig.from_model(DeadlineRule.objects.get(code=code))
    spec = registry.spec_for(code)
    _, stored = compute_deadlines([facts], [(rule, spec)], Directory(), at(today), today)
    return [
        (key[2], row.due, row.met_on, row.outcome, row.days_late, row.current)
        for key, row in sorted(stored.items())
    ]


def test_part1_for_an_earlier_forum_not_submitted_was_missed():
    submitted = dt.datetime(2025, 4, 7, 10, 0, tzinfo=LONDON)  # 3 days after 4 April
    facts = _facts(
        bookings=[
            BookingFact(D(2025, 3, 12), None),  # due Friday 7 March by 5pm: never sent
            BookingFact(D(2025, 4, 9), submitted),  # due 4 April: sent 7 April
            BookingFact(D(2025, 5, 14), None),  # the next forum
        ]
    )
    rows = _instances("part1_submitted", facts, D(2025, 5, 1))
    assert [r[:5] for r in rows] == [
        (1, D(2025, 3, 7), None, "missed", None),
        (2, D(2025, 4, 4), D(2025, 4, 7), "late", 3),
        (3, D(2025, 5, 9), None, "open", None),
    ]
    assert [r[5] for r in rows] == [False, False, True]


def test_each_legal_gateway_hearing_is_met_by_the_next():
    episode = EpisodeFact(D(2024, 12, 2), None, "S", "C2", "U6", "")
    facts = _facts(
        episodes=[episode],
        meetings=[
            MeetingFact(Meeting.LEGAL_GATEWAY, D(2025, 1, 8), Gateway.PRE_PROCEEDINGS),
            MeetingFact(Meeting.LEGAL_GATEWAY, D(2025, 4, 2), Gateway.PRE_PROCEEDINGS),
            MeetingFact(Meeting.LEGAL_GATEWAY, D(2025, 7, 9), Gateway.PRE_PROCEEDINGS),
        ],
    )
    rows = _instances("legal_gateway_rereview", facts, D(2025, 7, 10))
    assert [r[:5] for r in rows] == [
        (1, D(2025, 4, 2), D(2025, 4, 2), "on_time", None),
        (2, D(2025, 6, 25), D(2025, 7, 9), "late", 14),
        (3, D(2025, 10, 1), None, "open", None),
    ]
