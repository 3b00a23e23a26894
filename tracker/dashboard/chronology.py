"""The child's chronology (SPEC §6, §7; seed 004 "Chronology"): every event and change on the
record, in the order things happened, with who entered it and when (issue 16).

Each entry sits on the event's own date: an episode on the day it began (or ended), a meeting or
review on the day it was held, a plan change on its effective date (presented, ratified…), a
contact arrangement on the day it started. Where nothing on the record dates the event, or its
date had not yet come when it was entered (a meeting booked for next month), the entry sits on
the day it was entered. When the two differ the page says when it was entered and by whom.

It is read from the history every case record keeps (simple-history: who, when, why, what
changed) across the child, episodes, a connected person's temporary approval, plan, reviews,
forum bookings and forms, meetings and disruptions, plus the alerts the deadline jobs raised.
One query per kind of record, whatever the length of the child's history: the changes are worked
out by comparing each history row with the one before it in memory, never by asking the database
for the previous row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from forums.models import (
    Booking,
    Disruption,
    Meeting,
    MeetingAction,
    MeetingAssessment,
    Part1,
    Part2,
    Part2Task,
)
from permanence.models import (
    Child,
    ConnectedPersonApproval,
    ContactArrangement,
    DocumentDownload,
    Episode,
    OptionConsidered,
    PlacementSupport,
    Plan,
    PlanAction,
    SiblingAssessment,
    SiblingEvidence,
    SupervisionOrder,
    SupportingAdult,
    User,
)
from permanence.models.plans import SHORT_ROUTE_NAMES
from reviews.models import (
    IroAllocation,
    Ppn1,
    RatificationCheck,
    Review,
    SgoReferral,
    ordinal,
)
from tracker.deadlines.registry import alert_title
from tracker.models import Alert

KINDS = {
    "child": "Child's details and episodes",
    "family": "Family, contact and the child's world",
    "plan": "Plan",
    "reviews": "IRO and reviews",
    "forum": "Permanency forum",
    "meetings": "Meetings, panels and disruptions",
    "alerts": "Deadlines and alerts",
}
NEWEST, OLDEST = "newest", "oldest"
_ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
_HIDDEN = {"id", "created_at", "updated_at", "recorded_at", "requested_at"}
_TEXT_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    """One line of the chronology."""

    when: dt.datetime  # when it was entered
    who: str
    kind: str
    subject: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    link: str = ""
    on: dt.date | None = None  # the event's own date; the day it was entered when None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def entered_on(self) -> dt.date:
        return timezone.localdate(self.when)

    @property
    def happened_on(self) -> dt.date:
        return self.on or self.entered_on

    @property
    def entered_later(self) -> bool:
        """Entered on another day than the event happened: the page says when."""
        return self.happened_on != self.entered_on


@dataclass(frozen=True)
class Source:
    """A kind of case record with history, how to find the child's rows, and how to name one."""

    kind: str
    model: type[models.Model]
    rows: Callable[[Child], QuerySet]
    subject: Callable[[object], str]
    link: Callable[[object], str] = lambda record: ""
    related: tuple[str, ...] = ()
    # The field dating a new record (an episode's start), and the fields whose change dates a
    # change (an episode's end, a plan's ratification), first found first.
    began: str = ""
    dates: tuple[str, ...] = ()


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "no date"


def _path(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


_DOWNLOAD_KINDS = {
    "forum": ["part1", "part2"],
    "plan": ["plan"],
    "reviews": ["ratification"],
    "meetings": ["bundle_index"],
}


def _sources() -> list[Source]:
    sources = [
        Source(
            "child",
            Child,
            lambda c: Child.history.filter(id=c.pk),
            lambda r: "Child's details",
            dates=(
                "proceedings_issued_on",
                "proceedings_concluded_on",
                "told_how_to_complain_on",
                "told_about_advocacy_on",
            ),
        ),
        Source(
            "child",
            Episode,
            lambda c: Episode.history.filter(child_id=c.pk),
            lambda r: f"Looked-after episode from {_date(r.decom)}",
            began="decom",
            dates=("dec", "decom"),
        ),
        Source(
            "child",
            ConnectedPersonApproval,
            lambda c: ConnectedPersonApproval.history.filter(child_id=c.pk),
            lambda r: f"Connected person's temporary approval from {_date(r.placed_on)}",
            began="placed_on",
            dates=("resolved_on", "extended_on", "placed_on"),
        ),
        Source(
            "plan",
            Plan,
            lambda c: Plan.history.filter(child_id=c.pk),
            lambda r: f"Plan version {r.version} ({SHORT_ROUTE_NAMES.get(r.route, r.route)})",
            lambda r: _path("permanence:plan-detail", r.id),
            dates=(
                "superseded_on",
                "disrupted_on",
                "achieved_on",
                "implementation_started_on",
                "ratified_on",
                "presented_on",
            ),
        ),
        Source(
            "plan",
            PlanAction,
            lambda c: PlanAction.history.filter(
                plan_id__in=Plan.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: f"Plan action: {r.what[:80]}",
            dates=("done_on",),
        ),
        Source(
            "plan",
            OptionConsidered,
            lambda c: OptionConsidered.history.filter(child_id=c.pk),
            lambda r: f"Option considered and ruled out: {SHORT_ROUTE_NAMES.get(r.rung, r.rung)}",
            began="considered_on",
            dates=("reopened_on", "considered_on"),
        ),
        Source(
            "reviews",
            IroAllocation,
            lambda c: IroAllocation.history.filter(child_id=c.pk),
            lambda r: f"IRO allocated from {_date(r.allocated_on)}",
            began="allocated_on",
            dates=("ended_on", "allocated_on"),
        ),
        Source(
            "reviews",
            Review,
            lambda c: Review.history.filter(child_id=c.pk),
            lambda r: (
                f"{_first_upper(ordinal(r.sequence))} review"
                + (" (further review)" if r.kind == Review.Kind.FURTHER else "")
                + (f", held {_date(r.held_on)}" if r.held_on else f", due {_date(r.due_on)}")
            ),
            lambda r: _path("reviews:review-detail", r.id),
            began="held_on",
            dates=("held_on",),
        ),
        Source(
            "reviews",
            RatificationCheck,
            lambda c: RatificationCheck.history.filter(
                review_id__in=Review.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: f"Ratification checklist: {r.get_outcome_display().lower()}",
        ),
        Source(
            "reviews",
            Ppn1,
            lambda c: Ppn1.history.filter(child_id=c.pk),
            lambda r: "Form PPN1",
            lambda r: _path("reviews:ppn1-detail", r.id),
            began="completed_on",
            dates=("completed_on",),
        ),
        Source(
            "forum",
            Booking,
            lambda c: Booking.history.filter(child_id=c.pk).select_related("session"),
            lambda r: f"Permanency forum booking for {_date(r.session.forum_date)}",
            lambda r: _path("forums:booking-detail", r.id),
            dates=("presented_at", "ended_at", "declined_at", "confirmed_at"),
        ),
        Source(
            "forum",
            Part1,
            lambda c: Part1.history.filter(
                booking_id__in=Booking.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: "Part 1 (consultation form)",
            lambda r: _path("forums:part1-detail", r.booking_id),
            dates=("submitted_at",),
        ),
        Source(
            "forum",
            Part2,
            lambda c: Part2.history.filter(
                booking_id__in=Booking.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: "Part 2 (the chair's advice)",
            lambda r: _path("forums:part2-detail", r.booking_id),
            dates=("sent_at",),
        ),
        Source(
            "forum",
            Part2Task,
            lambda c: Part2Task.history.filter(part2__booking__child_id=c.pk),
            lambda r: f"Part 2 task: {r.what[:80]}",
        ),
        Source(
            "meetings",
            Meeting,
            lambda c: Meeting.history.filter(child_id=c.pk).select_related("meeting_type"),
            lambda r: f"{r.meeting_type.name} on {_date(r.scheduled_for)}",
            lambda r: _path("forums:meeting-detail", r.id),
            began="held_on",
            dates=("held_on",),
        ),
        Source(
            "meetings",
            MeetingAction,
            lambda c: MeetingAction.history.filter(
                meeting_id__in=Meeting.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: f"Meeting action: {r.what[:80]}",
            dates=("done_on",),
        ),
        Source(
            "meetings",
            MeetingAssessment,
            lambda c: MeetingAssessment.history.filter(
                meeting_id__in=Meeting.objects.filter(child_id=c.pk).values("pk")
            ),
            lambda r: f"Assessment asked for by Legal Gateway: {r.get_kind_display()}",
            dates=("completed_on",),
        ),
        Source(
            "meetings",
            Disruption,
            lambda c: Disruption.history.filter(child_id=c.pk),
            lambda r: f"Placement disruption on {_date(r.disrupted_on)}",
            lambda r: _path("forums:disruption-detail", r.id),
            began="disrupted_on",
            dates=("carer_review_held_on", "disrupted_on"),
        ),
    ]
    # Papers downloaded as PDFs (issue 17), each beside the records it was printed from.
    for kind, documents in _DOWNLOAD_KINDS.items():
        sources.append(
            Source(
                kind,
                DocumentDownload,
                lambda c, documents=documents: DocumentDownload.history.filter(
                    child_id=c.pk, document__in=documents
                ),
                lambda r: f"{r.get_document_display()} downloaded as a PDF",
            )
        )
    sources.append(
        Source(
            "reviews",
            SgoReferral,
            lambda c: SgoReferral.history.filter(child_id=c.pk),
            lambda r: "Special guardianship referral",
            began="sent_on",
            dates=("sent_on",),
        )
    )
    sources += _family_sources()
    return sources


def _family_sources() -> list[Source]:
    """The child's world: contact, supporting adults, orders, support, brothers and sisters."""
    return [
        Source(
            "family",
            ContactArrangement,
            lambda c: ContactArrangement.history.filter(child_id=c.pk),
            lambda r: f"Contact arrangement: {r.person_name or r.get_relationship_display()}",
            began="starts_on",
            dates=("ended_on", "starts_on"),
        ),
        Source(
            "family",
            SupportingAdult,
            lambda c: SupportingAdult.history.filter(child_id=c.pk),
            lambda r: f"Supporting adult: {r.name}",
        ),
        Source(
            "family",
            SupervisionOrder,
            lambda c: SupervisionOrder.history.filter(child_id=c.pk),
            lambda r: f"Supervision order made on {_date(r.made_on)}",
            began="made_on",
            dates=("ended_on", "extended_on", "made_on"),
        ),
        Source(
            "family",
            PlacementSupport,
            lambda c: PlacementSupport.history.filter(child_id=c.pk),
            lambda r: f"Placement support offered on {_date(r.offered_on)}",
            began="offered_on",
            dates=("offered_on",),
        ),
        Source(
            "family",
            SiblingAssessment,
            lambda c: SiblingAssessment.history.filter(group_id=c.sibling_group_id),
            lambda r: (
                f"Assessment of brothers and sisters living together, {_date(r.completed_on)}"
            ),
            began="completed_on",
            dates=("completed_on",),
        ),
        Source(
            "family",
            SiblingEvidence,
            lambda c: SiblingEvidence.history.filter(group_id=c.sibling_group_id),
            lambda r: f"New evidence on brothers and sisters living together, {_date(r.noted_on)}",
            began="noted_on",
            dates=("noted_on",),
        ),
    ]


def _shown(field: models.Field, value, people: dict[int, str]) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(field, models.ForeignKey):
        if field.related_model is User:
            return people.get(value, "a member of staff")
        return "another record"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return _date(value)
    text = str(value)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _who(user: User | None) -> str:
    return str(user) if user is not None else "Not recorded"


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def _happened_on(source: Source, record, previous) -> dt.date | None:
    """The event's own date: the date field that dates this new record or this change, if that
    day had come when it was entered; None means the day it was entered."""
    if record.history_type == "+":
        names = (source.began,) if source.began else ()
    elif record.history_type == "~" and previous is not None:
        names = tuple(n for n in source.dates if getattr(record, n) != getattr(previous, n))
    else:
        names = ()
    entered = timezone.localdate(record.history_date)
    for name in names:
        day = _day(getattr(record, name))
        if day is not None and day <= entered:
            return day
    return None


def _history_entries(source: Source, records: list, people: dict[int, str]) -> list[Entry]:
    by_object: dict[object, list] = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    excluded = {f.name for f in source.model._meta.many_to_many} | _HIDDEN
    out = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in rows:
            changes = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, excluded_fields=excluded)
                for change in delta.changes:
                    model_field = source.model._meta.get_field(change.field)
                    changes.append(
                        (
                            _first_upper(str(model_field.verbose_name)),
                            _shown(model_field, change.old, people),
                            _shown(model_field, change.new, people),
                        )
                    )
            out.append(
                Entry(
                    when=record.history_date,
                    who=_who(record.history_user),
                    kind=source.kind,
                    subject=source.subject(record),
                    action=_ACTIONS.get(record.history_type, record.history_type),
                    reason=record.history_change_reason or "",
                    changes=changes,
                    link=source.link(record) if record.history_type != "-" else "",
                    on=_happened_on(source, record, previous),
                )
            )
            previous = record
    return out


def _user_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is User
    ]


def _alert_entries(child: Child, system: str) -> list[Entry]:
    """The alerts as sentences, in the notification titles' words (the registry's title per
    rule): "Alert raised: Allocating an IRO is overdue (due 5 Feb 2026)"."""
    out = []
    alerts = Alert.objects.filter(child=child).select_related("rule", "owner").order_by("pk")
    closed = {
        Alert.CloseReason.MET: ("is met", Alert.CloseReason.MET.label),
        Alert.CloseReason.NO_LONGER_APPLIES: ("no longer applies", ""),
        Alert.CloseReason.NOT_DUE_YET: ("is no longer due soon", ""),
    }
    for alert in alerts:
        title = alert_title(alert.rule.code, alert.rule.name)
        due = f"(due {_date(alert.due)})"
        late = timezone.localdate(alert.raised_at) > alert.due
        if alert.backlog:
            told = "Overdue since before the service went live: on the managers' backlog list"
        else:
            told = f"Sent to {alert.owner}" if alert.owner else ""
        state = "is overdue" if late else "is due soon"
        out.append(
            Entry(alert.raised_at, system, "alerts", f"{title} {state} {due}", "Alert raised", told)
        )
        if alert.escalated_at:
            out.append(
                Entry(
                    alert.escalated_at,
                    system,
                    "alerts",
                    f"{title} is overdue, and is escalated {due}",
                    "Alert escalated",
                    "Told the team manager",
                )
            )
        if alert.closed_at:
            words, reason = closed.get(alert.close_reason, ("is closed", ""))
            out.append(
                Entry(
                    alert.closed_at,
                    system,
                    "alerts",
                    f"{title} {words} {due}",
                    "Alert closed",
                    reason,
                )
            )
    return out


def chronology(*, child: Child, kinds: set[str] | None = None, order: str = NEWEST) -> list[Entry]:
    """Everything recorded about the child by the date it happened, newest first (or oldest
    first), with who entered it and when (SPEC §6, §7; issue 16)."""
    wanted = kinds or set(KINDS)
    fetched: list[tuple[Source, list]] = []
    user_ids: set[int] = set()
    for source in _sources():
        if source.kind not in wanted:
            continue
        records = list(source.rows(child).select_related("history_user"))
        user_fields = _user_fields(source.model)
        for record in records:
            user_ids.update(getattr(record, name) for name in user_fields)
        fetched.append((source, records))
    user_ids.discard(None)
    people = (
        {
            pk: f"{first} {last}".strip() or username
            for pk, first, last, username in User.objects.filter(pk__in=user_ids).values_list(
                "pk", "first_name", "last_name", "username"
            )
        }
        if user_ids
        else {}
    )
    entries: list[Entry] = []
    for source, records in fetched:
        entries += _history_entries(source, records, people)
    if "alerts" in wanted:
        entries += _alert_entries(child, "The service (automatic)")
    entries.sort(key=lambda e: (e.happened_on, e.when), reverse=order != OLDEST)
    return entries
