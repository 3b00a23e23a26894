"""The sweep: stored deadlines, one alert per deadline, telling the owner, escalating, closing,
and nothing lost or told twice when it runs again or dies halfway (SPEC §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permanence.models import Notification
from tests.factories.permanence import ChildFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, Deadline, DeadlineRule
from tracker.services import deadlines as deadline_services

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2026, 1, 5)  # Monday: first review due Monday 2 February (20 working days)
FIRST_REVIEW_DUE = D(2026, 2, 2)


@pytest.fixture
def child(make_child, only_rules, team_manager, head_of_service):
    only_rules("first_review")
    return make_child(SINCE)


def sweep(system, day, hour=6, **kwargs):
    return services.deadlines_sweep(by=system, now=at(day, hour), **kwargs)


def test_deadline_row_is_stored_with_its_status(child, system):
    sweep(system, D(2026, 1, 20))
    row = Deadline.objects.get(child=child)
    assert (row.rule.code, row.anchor_on, row.due, row.status) == (
        "first_review",
        SINCE,
        FIRST_REVIEW_DUE,
        "upcoming",
    )
    assert row.owner == child.iro
    assert not Alert.objects.exists()


def test_due_soon_raises_one_alert_and_tells_the_owner(child, system, iro):
    sweep(system, D(2026, 1, 27))
    alert = Alert.objects.get()
    assert (alert.level, alert.due, alert.owner) == ("due_soon", FIRST_REVIEW_DUE, iro)
    note = Notification.objects.get()
    assert note.recipient == iro
    assert note.subject == f"The first looked-after review for {child.child_id} is due soon"
    assert "due by 2 February 2026" in note.body
    assert note.link == f"/children/{child.pk}/"


def test_overdue_is_escalated_to_the_team_manager_once(child, system, iro, team_manager):
    sweep(system, D(2026, 1, 27))
    sweep(system, D(2026, 2, 3))
    alert = Alert.objects.get()
    assert alert.level == "overdue"
    assert alert.escalated_at is not None
    subjects = sorted(Notification.objects.values_list("recipient__username", "subject"))
    assert subjects == sorted(
        [
            (iro.username, f"The first looked-after review for {child.child_id} is due soon"),
            (iro.username, f"The first looked-after review for {child.child_id} is overdue"),
            (
                team_manager.username,
                f"The first looked-after review for {child.child_id} is overdue, and is "
                "escalated to you",
            ),
        ]
    )
    sweep(system, D(2026, 2, 4))
    sweep(system, D(2026, 3, 4))
    assert Notification.objects.count() == 3
    assert Alert.objects.count() == 1


def test_team_managers_own_overdue_goes_to_the_head_of_service(
    make_child, only_rules, system, team_manager, head_of_service
):
    only_rules("iro_allocated")  # owned by the team manager
    make_child(SINCE)
    sweep(system, D(2026, 2, 3))
    escalated = Notification.objects.get(subject__endswith="is escalated to you")
    assert escalated.recipient == head_of_service


def test_sweep_run_twice_raises_and_writes_nothing_new(child, system):
    first = sweep(system, D(2026, 2, 3))
    assert first.alerts_raised == 1
    with CaptureQueriesContext(connection) as queries:
        second = sweep(system, D(2026, 2, 3))
    assert second.writes == 0
    assert second.children == 1
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        # Only the run's own line in the operator's log (sweep_status) is written.
        and "tracker_sweeprun" not in q["sql"]
    ]
    assert writes == []
    assert Alert.objects.count() == 1
    assert Notification.objects.count() == 2  # owner and team manager, once each


def test_alert_closes_itself_when_the_review_is_recorded(
    child, system, iro, django_capture_on_commit_callbacks
):
    sweep(system, D(2026, 2, 3))
    with django_capture_on_commit_callbacks(execute=True):
        ReviewFactory(child=child, period_started_on=SINCE, held_on=D(2026, 2, 4))
    alert = Alert.objects.get()
    assert alert.closed_at is not None
    assert alert.close_reason == "met"
    row = Deadline.objects.get(child=child)
    assert (row.status, row.met_on) == ("met", D(2026, 2, 4))
    assert row.met_late


def test_closed_alert_opens_again_if_the_event_is_removed(child, system):
    sweep(system, D(2026, 2, 3))
    review = ReviewFactory(child=child, period_started_on=SINCE, held_on=D(2026, 2, 4))
    sweep(system, D(2026, 2, 5))
    assert Alert.objects.get().close_reason == "met"
    review.delete()
    summary = sweep(system, D(2026, 2, 6))
    alert = Alert.objects.get()
    assert alert.closed_at is None
    assert summary.alerts_raised == 0
    assert Notification.objects.count() == 2  # nobody told again: they were told it is overdue


def test_recurring_deadline_closes_as_met_when_the_next_meeting_is_held(
    make_child, only_rules, system
):
    only_rules("later_review")
    child = make_child(D(2025, 1, 6))
    ReviewFactory(child=child, period_started_on=D(2025, 1, 6), sequence=1, held_on=D(2025, 2, 3))
    ReviewFactory(child=child, period_started_on=D(2025, 1, 6), sequence=2, held_on=D(2025, 5, 1))
    sweep(system, D(2025, 11, 3))  # due 1 November: overdue
    alert = Alert.objects.get()
    ReviewFactory(child=child, period_started_on=D(2025, 1, 6), sequence=3, held_on=D(2025, 11, 4))
    sweep(system, D(2025, 11, 5))
    alert.refresh_from_db()
    assert alert.close_reason == "met"
    assert Deadline.objects.get(child=child, current=True).due == D(2026, 5, 4)


def test_child_leaving_care_closes_alerts_as_no_longer_applying(child, system):
    sweep(system, D(2026, 2, 3))
    episode = child.episodes.get()
    episode.dec, episode.rec = D(2026, 2, 4), "E4A"
    episode.save()
    sweep(system, D(2026, 2, 5))
    assert Alert.objects.get().close_reason == "no_longer_applies"
    assert not Deadline.objects.filter(child=child, current=True).exists()
    # The review fell due before the child left care and was never held: kept, as missed.
    assert list(Deadline.objects.values_list("due", "outcome")) == [(FIRST_REVIEW_DUE, "missed")]


def test_switching_a_rule_off_removes_its_deadlines_and_closes_its_alerts(child, system):
    sweep(system, D(2026, 2, 3))
    DeadlineRule.objects.filter(code="first_review").update(active=False)
    sweep(system, D(2026, 2, 4))
    assert not Deadline.objects.exists()
    assert Alert.objects.get().close_reason == "no_longer_applies"


def test_owner_and_team_manager_are_emailed_after_commit(
    child, system, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(system, D(2026, 2, 3))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [child.iro.email, child.team.members.get(username="tm").email]
    )
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_queries_do_not_grow_with_the_number_of_children(
    make_child, only_rules, system, team_manager
):
    only_rules("first_review", "iro_allocated", "care_planning_meeting")
    make_child(SINCE)
    with CaptureQueriesContext(connection) as few:
        sweep(system, D(2026, 2, 3))
    for _ in range(20):
        make_child(SINCE)
    Alert.objects.all().delete()
    Deadline.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        sweep(system, D(2026, 2, 3))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_sweep_killed_halfway_then_rerun_equals_one_clean_run(
    make_child, only_rules, system, team_manager, monkeypatch
):
    only_rules("first_review", "iro_allocated", "early_permanence_panel")
    for weeks in range(6):
        make_child(SINCE + dt.timedelta(weeks=weeks))

    real = deadline_services.sync_alerts
    calls = {"n": 0}

    def dies_on_the_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(deadline_services, "sync_alerts", dies_on_the_second_batch)
    with pytest.raises(OSError, match="worker killed"):
        sweep(system, D(2026, 2, 24), batch_size=2)
    assert Alert.objects.exists()  # the first batch got through
    monkeypatch.setattr(deadline_services, "sync_alerts", real)
    sweep(system, D(2026, 2, 24), batch_size=2)
    recovered = _snapshot()

    Alert.objects.all().delete()
    Notification.objects.all().delete()
    Deadline.objects.all().delete()
    sweep(system, D(2026, 2, 24), batch_size=2)
    assert _snapshot() == recovered
    assert recovered[0]  # alerts were raised at all


def _snapshot():
    alerts = sorted(
        Alert.objects.values_list(
            "child_id", "rule__code", "due", "level", "notified_level", "closed_at", "owner_id"
        )
    )
    escalated = sorted(
        Alert.objects.filter(escalated_at__isnull=False).values_list("child_id", "rule__code")
    )
    notes = sorted(Notification.objects.values_list("recipient_id", "subject", "body"))
    deadlines = sorted(Deadline.objects.values_list("child_id", "rule__code", "due", "status"))
    return alerts, escalated, notes, deadlines


def test_hourly_sweep_makes_part1_overdue_after_1700(
    make_child, only_rules, system, social_worker, cps_duty
):
    from forums.models import Booking
    from tests.factories.forums import BookingFactory, ForumSessionFactory

    only_rules("part1_submitted")
    child = make_child(D(2025, 12, 1))
    BookingFactory(
        child=child,
        session=ForumSessionFactory(forum_date=D(2026, 3, 9)),
        status=Booking.Status.CONFIRMED,
    )
    sweep(system, D(2026, 3, 4))  # 06:00 on the day Part 1 is due by 17:00
    alert = Alert.objects.get()
    assert alert.level == "due_soon"
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {social_worker.pk, cps_duty.pk}  # CPS duty is told too (seed 000)
    services.deadlines_sweep_due_today(by=system, now=at(D(2026, 3, 4), 16, 5))
    assert Alert.objects.get().level == "due_soon"
    services.deadlines_sweep_due_today(by=system, now=at(D(2026, 3, 4), 17, 5))
    alert = Alert.objects.get()
    assert alert.level == "overdue"
    assert alert.escalated_at is not None


def test_rule_change_in_the_service_moves_every_deadline(
    child, system, administrator, django_capture_on_commit_callbacks
):
    sweep(system, D(2026, 1, 20))
    rule = DeadlineRule.objects.get(code="first_review")
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_rule_update(rule=rule, by=administrator, amount=15)
    # 15 working days after Monday 5 January 2026.
    assert Deadline.objects.get(child=child).due == D(2026, 1, 26)
    assert rule.history.latest().history_user == administrator


def test_only_the_system_or_an_administrator_runs_the_sweep(child, social_worker):
    with pytest.raises(Exception, match="scheduled jobs"):
        services.deadlines_sweep(by=social_worker)


def test_sweep_deadlines_command_prints_what_it_did(child, capsys):
    call_command("sweep_deadlines")
    out = capsys.readouterr().out
    assert "children: 1" in out
    assert Deadline.objects.filter(child=child).exists()


def test_unborn_child_and_child_never_looked_after_get_no_review_deadlines(
    only_rules, system, team
):
    only_rules("first_review", "iro_allocated")
    ChildFactory(team=team, date_of_birth=None, expected_date_of_birth=D(2026, 12, 1), sex="")
    ChildFactory(team=team)
    summary = sweep(system, D(2026, 2, 3))
    assert summary.children == 2
    assert not Deadline.objects.exists()


def test_each_rule_with_its_event_source_produces_a_row(system, make_child, team_manager):
    child = make_child(D(2025, 6, 2), place="U3", court_stage="issued")
    child.proceedings_issued_on = D(2025, 6, 2)
    child.save()
    sweep(system, D(2026, 2, 3))
    codes = set(Deadline.objects.filter(child=child).values_list("rule__code", flat=True))
    assert {"iro_allocated", "first_review", "sgo_made", "proceedings_concluded"} <= codes
    assert {"connected_person_approval", "care_planning_meeting"} <= codes
