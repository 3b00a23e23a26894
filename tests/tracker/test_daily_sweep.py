"""The daily sweep moves statuses set-based, and ends every day exactly where the full
recomputation would: the same deadlines, alerts, notifications and tracker rows (issue 19).

Two timelines from the same start, each in a savepoint: one runs the daily sweep every morning,
the other the full recomputation, over a fortnight with a weekend, Christmas and the Boxing Day
substitute bank holiday, a morning the job did not run, forums and panels dated in the coming
days, an episode ending, a review recorded in between, and deadlines due before go-live (the
backlog, told to nobody)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from forums.models import Booking, Meeting
from permanence.models import Child, Episode, Notification
from tests.factories.forums import (
    BookingFactory,
    DisruptionFactory,
    ForumSessionFactory,
    MeetingFactory,
    Part1Factory,
    meeting_type,
)
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard import scale
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.services import COLUMNS
from tracker.models import Alert, Deadline, DeadlineRule
from tracker.services.daily import children_dated_between, warned_until

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2026, 12, 16)  # a Wednesday
# Every morning to New Year's Eve but Sunday 27th, when the job did not run; Christmas Day and
# Monday 28th (Boxing Day's substitute) are bank holidays.
DAYS = [START + dt.timedelta(days=n) for n in range(1, 16) if n != 11]
RECORDED_ON = D(2026, 12, 22)


def _snapshot() -> dict:
    return {
        "deadlines": sorted(
            Deadline.objects.values_list(
                "child_id",
                "rule_id",
                "instance",
                "anchor_on",
                "due",
                "due_at",
                "met_on",
                "status",
                "owner_id",
                "current",
                "outcome",
                "days_late",
                "updated_at",
            )
        ),
        "alerts": sorted(
            Alert.objects.values_list(
                "child_id",
                "rule_id",
                "due",
                "anchor_on",
                "level",
                "owner_id",
                "raised_at",
                "notified_level",
                "notified_at",
                "escalated_at",
                "closed_at",
                "close_reason",
                "backlog",
            )
        ),
        "notifications": sorted(
            # (created_at is the clock's: the sweep's moment is when the e-mail is owed from)
            Notification.objects.values_list(
                "recipient_id", "subject", "body", "link", "email_due_at"
            )
        ),
        "rows": sorted(TrackerRow.objects.values_list(*COLUMNS)),
    }


@pytest.fixture
def authority(system):
    """About 150 synthetic children with plans, panels and meetings, and events dated in the
    coming days; deadlines worked out in full on the first morning."""
    DeadlineRule.objects.update(active=True)
    # The service went live in the summer: care planning meetings due before then are backlog.
    DeadlineRule.objects.filter(code="care_planning_meeting").update(applies_from=D(2026, 6, 1))
    scale.seed(150, by=system, today=START, seed=19)
    children = list(Child.objects.order_by("pk"))
    for n, child in enumerate(children[:12]):
        session = ForumSessionFactory(forum_date=START + dt.timedelta(days=2 + n % 6))
        booking = BookingFactory(session=session, child=child, status=Booking.Status.CONFIRMED)
        if n % 3 == 0:
            Part1Factory(booking=booking, submitted_at=at(START - dt.timedelta(days=1), 10))
    for n, child in enumerate(children[12:20]):
        MeetingFactory(
            child=child,
            meeting_type=meeting_type("matching-panel"),
            scheduled_for=START + dt.timedelta(days=3 + n),
            form_f_updated_on=START - dt.timedelta(days=200 + 20 * n),
            cpr_updated_on=START - dt.timedelta(days=30),
        )
    for n, child in enumerate(children[20:24]):
        MeetingFactory(
            child=child,
            meeting_type=meeting_type("early-permanence"),
            scheduled_for=START + dt.timedelta(days=4 + 2 * n),
        )
    for child in children[24:27]:
        DisruptionFactory(child=child, disrupted_on=START + dt.timedelta(days=5))
    # A period of care that ends on Christmas Eve, recorded ahead.
    Episode.objects.filter(child=children[27], dec__isnull=True).update(
        dec=D(2026, 12, 24), rec="E13"
    )
    services.deadlines_sweep(by=system, now=at(START))
    return children


def _timeline(system, sweep, children) -> list[dict]:
    """Each morning's state after SWEEP, rolled back afterwards."""
    seen = []
    with transaction.atomic():
        for day in DAYS:
            if day == RECORDED_ON:
                # Recorded the afternoon before; the refresh on commit works the child out.
                review = ReviewFactory(child=children[40], held_on=day - dt.timedelta(days=1))
                services.deadlines_refresh(
                    child_ids=[review.child_id], by=system, now=at(day - dt.timedelta(days=1), 15)
                )
            summary = sweep(by=system, now=at(day))
            seen.append((day, summary, _snapshot()))
        transaction.set_rollback(True)
    return seen


def test_the_daily_sweep_ends_each_day_where_the_full_recomputation_does(authority, system):
    daily = _timeline(system, services.deadlines_sweep_daily, authority)
    full = _timeline(system, services.deadlines_sweep, authority)
    for (day, summary, ours), (_, full_summary, theirs) in zip(daily, full, strict=True):
        for part in ours:
            assert ours[part] == theirs[part], f"{part} differ on {day}"
        assert summary.notifications == full_summary.notifications
        assert summary.alerts_raised == full_summary.alerts_raised
    # The fortnight moved something every working day, and told people.
    assert all(s.deadlines_written for _, s, _ in daily)
    assert sum(s.alerts_raised for _, s, _ in daily) > 10
    assert sum(s.notifications for _, s, _ in daily) > 10
    last = daily[-1][2]
    assert any(alert[-1] for alert in last["alerts"]), "some alerts are the backlog at go-live"


def test_a_rerun_the_same_morning_writes_nothing(authority, system):
    day = D(2026, 12, 21)
    first = services.deadlines_sweep_daily(by=system, now=at(day))
    assert first.deadlines_written and first.alerts_raised
    before = _snapshot()
    again = services.deadlines_sweep_daily(by=system, now=at(day, 7))
    assert again.writes == 0
    assert _snapshot() == before


def test_backlog_alerts_are_raised_but_tell_nobody(authority, system):
    services.deadlines_sweep_daily(by=system, now=at(D(2026, 12, 17)))
    backlog = Alert.objects.filter(backlog=True)
    assert backlog.exists()
    assert not backlog.exclude(notified_level="").exists()
    assert (
        not Notification.objects.filter(
            subject__contains="Care planning meeting", created_at=at(D(2026, 12, 17))
        )
        .filter(link__in=[f"/children/{a.child_id}/" for a in backlog])
        .exists()
    )


def test_only_children_with_something_dated_since_the_last_sweep_are_worked_out_again(
    authority,
):
    matching = Meeting.objects.filter(meeting_type__code="matching-panel", held_on__isnull=True)
    first = matching.order_by("scheduled_for").first()
    found = children_dated_between(first.scheduled_for, first.scheduled_for)
    assert first.child_id in found
    assert len(found) < len(authority) / 2


@pytest.mark.parametrize(
    ("today", "warning", "last_warned"),
    [
        (D(2026, 12, 18), 0, D(2026, 12, 18)),
        (D(2026, 12, 18), 5, D(2026, 12, 23)),  # a Friday: five calendar days on
        (D(2026, 12, 24), 7, D(2026, 12, 31)),  # across Christmas and Boxing Day
        (D(2026, 12, 26), 3, D(2026, 12, 29)),  # a Saturday, before the substitute holiday
    ],
)
def test_the_due_soon_cut_off_is_the_one_date_rule(today, warning, last_warned):
    # status_of: due soon from add_days(due, -warning) on; the warning counts calendar days.
    assert warned_until(today, warning) == last_warned


def test_a_change_whose_refresh_was_lost_is_worked_out_the_next_morning(
    make_child, only_rules, system
):
    from django.utils import timezone

    only_rules("first_review")
    today = timezone.localdate()
    child = make_child(today - dt.timedelta(days=60))
    services.deadlines_sweep(by=system, now=timezone.now() - dt.timedelta(hours=1))
    assert Deadline.objects.get(child=child, current=True).status == "overdue"
    # Recorded, but its refresh on commit never ran (in a test nothing commits).
    ReviewFactory(child=child, held_on=today - dt.timedelta(days=5))
    services.deadlines_sweep_daily(by=system, now=timezone.now() + dt.timedelta(hours=20))
    row = Deadline.objects.get(child=child, current=True)
    assert (row.status, row.met_on) == ("met", today - dt.timedelta(days=5))
    assert Alert.objects.get(child=child).close_reason == "met"


def test_alerts_out_of_line_with_their_deadlines_are_put_back(make_child, only_rules, system):
    """Closed while the deadline is still overdue: opened again, not raised twice; at another
    level: moved back; missing: raised. As the full recomputation would leave them."""
    from django.utils import timezone

    only_rules("first_review")
    today = timezone.localdate()
    reopen, relevel, gone, fine = (make_child(today - dt.timedelta(days=60)) for _ in range(4))
    services.deadlines_sweep(by=system, now=timezone.now())
    assert set(Alert.objects.values_list("level", flat=True)) == {"overdue"}
    Alert.objects.filter(child=reopen).update(closed_at=timezone.now(), close_reason="met")
    Alert.objects.filter(child=relevel).update(level="due_soon")
    Alert.objects.filter(child=gone).delete()

    summary = services.deadlines_sweep_daily(by=system, now=timezone.now() + dt.timedelta(days=1))
    after = {alert.child_id: alert for alert in Alert.objects.all()}
    assert set(after) == {reopen.pk, relevel.pk, gone.pk, fine.pk}
    opened = after[reopen.pk]
    assert (opened.closed_at, opened.close_reason, opened.level) == (None, "", "overdue")
    assert after[relevel.pk].level == "overdue"
    assert (after[gone.pk].level, after[gone.pk].closed_at) == ("overdue", None)
    assert (summary.alerts_raised, summary.alerts_updated) == (1, 2)
