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
Every kind of record is read in one statement (a UNION ALL of the history tables, each row as a
JSON object), then the names of the people in them: two queries, whatever the kinds ticked and
the length of the child's history (issue 19). The changes are worked out by comparing each
history row with the one before it in memory, never by asking the database for the previous
row.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import F, Func, QuerySet, Value
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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
from permanence.escaping import escape
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
    # What changed, worked out when first asked for: the page shows 50 entries of a history of
    # hundreds, and comparing each record with the one before was a fifth of its time.
    changes_of: Callable[[], list[tuple[str, str, str]]] | None = None
    link: str = ""
    on: dt.date | None = None  # the event's own date; the day it was entered when None
    # The day it was entered, when the caller has worked it out (the chronology does, with the
    # zone looked up once for all its rows rather than twice for each).
    day_entered: dt.date | None = None

    @functools.cached_property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field, old value, new value) for each field the change altered."""
        return self.changes_of() if self.changes_of is not None else []

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def entered_on(self) -> dt.date:
        return self.day_entered or timezone.localdate(self.when)

    @property
    def happened_on(self) -> dt.date:
        return self.on or self.entered_on

    @property
    def entered_later(self) -> bool:
        """Entered on another day than the event happened: the page says when."""
        return self.happened_on != self.entered_on

    # The page's words for its dates, written here once per entry shown: a page of 50 entries
    # has 200 dates, and Django's date filter took a tenth of the page's time (issue 19).

    @functools.cached_property
    def _entered_at(self) -> dt.datetime:
        return timezone.localtime(self.when)

    @property
    def happened_iso(self) -> str:
        return self.happened_on.isoformat()

    @property
    def happened_text(self) -> str:
        return _long_date(self.happened_on)

    @property
    def entered_iso(self) -> str:
        return self._entered_at.isoformat()

    @property
    def entered_text(self) -> str:
        return _long_date(self._entered_at)

    @property
    def entered_time(self) -> str:
        return f"{self._entered_at:%H:%M}"


def entries_html(entries: Iterable[Entry]) -> SafeString:
    """The page's list items for ENTRIES: when it happened, when and by whom it was entered
    (with the day when that was later), the kind, what was done, to what (linked when it can
    be opened), why, and what changed. Written here, not by a template: a page of 50 entries
    has about a thousand values (issue 19)."""
    out = []
    for entry in entries:
        if entry.entered_later:
            entered = (
                f'<span class="app-history__entered">entered on <time datetime='
                f'"{entry.entered_iso}">{entry.entered_text}</time> by {escape(entry.who)}</span>'
            )
        else:
            entered = f"{entry.entered_time} · {escape(entry.who)}"
        subject = escape(entry.subject)
        if entry.link:
            subject = f'<a class="govuk-link" href="{escape(entry.link)}">{subject}</a>'
        reason = f" – {escape(entry.reason)}" if entry.reason else ""
        out.append(
            '<li class="app-history__item"><p class="govuk-body-s app-history__meta">'
            f'<time datetime="{entry.happened_iso}">{entry.happened_text}</time> · {entered} · '
            f"{escape(entry.kind_label)}</p>"
            '<p class="govuk-body govuk-!-margin-bottom-1">'
            f"<strong>{escape(entry.action)}:</strong> {subject}{reason}</p>"
        )
        if entry.changes:
            out.append('<ul class="govuk-list govuk-list--bullet govuk-body-s">')
            out += [
                f"<li>{escape(label)}: {escape(old)} → {escape(new)}</li>"
                for label, old, new in entry.changes
            ]
            out.append("</ul>")
        out.append("</li>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


@dataclass(frozen=True)
class Source:
    """A kind of case record with history, how to find the child's rows, and how to name one."""

    kind: str
    model: type[models.Model]
    rows: Callable[[Child], QuerySet]
    subject: Callable[[object], str]
    link: Callable[[object], str] = lambda record: ""
    # Values of related records the subject names, read with the row: {attribute: lookup}.
    looked_up: dict[str, str] = field(default_factory=dict)
    # The field dating a new record (an episode's start), and the fields whose change dates a
    # change (an episode's end, a plan's ratification), first found first.
    began: str = ""
    dates: tuple[str, ...] = ()


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _long_date(day: dt.date) -> str:
    """ "5 December 2026", as the date filter's "j F Y" writes it."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


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
            lambda c: Booking.history.filter(child_id=c.pk),
            lambda r: f"Permanency forum booking for {_date(r.forum_date)}",
            lambda r: _path("forums:booking-detail", r.id),
            looked_up={"forum_date": "session__forum_date"},
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
            lambda c: Meeting.history.filter(child_id=c.pk),
            lambda r: f"{r.meeting_type_name} on {_date(r.scheduled_for)}",
            lambda r: _path("forums:meeting-detail", r.id),
            looked_up={"meeting_type_name": "meeting_type__name"},
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


def _who(user_id: int | None, people: dict[int, str]) -> str:
    return people.get(user_id, "Not recorded") if user_id is not None else "Not recorded"


def _day(value, zone) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(zone).date()
    return value


def _happened_on(source: Source, record, previous, entered: dt.date, zone) -> dt.date | None:
    """The event's own date: the date field that dates this new record or this change, if that
    day had come when it was ENTERED; None means the day it was entered."""
    if record.history_type == "+":
        names = (source.began,) if source.began else ()
    elif record.history_type == "~" and previous is not None:
        names = tuple(n for n in source.dates if getattr(record, n) != getattr(previous, n))
    else:
        names = ()
    for name in names:
        day = _day(getattr(record, name), zone)
        if day is not None and day <= entered:
            return day
    return None


def _changes(model, record, previous, excluded: set[str], people: dict[int, str]) -> list:
    """What RECORD changed since PREVIOUS (the same record's history row before it)."""
    changes = []
    for change in record.diff_against(previous, excluded_fields=excluded).changes:
        model_field = model._meta.get_field(change.field)
        changes.append(
            (
                _first_upper(str(model_field.verbose_name)),
                _shown(model_field, change.old, people),
                _shown(model_field, change.new, people),
            )
        )
    return changes


def _history_entries(source: Source, records: list, people: dict[int, str], zone) -> list[Entry]:
    by_object: dict[object, list] = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    excluded = {f.name for f in source.model._meta.many_to_many} | _HIDDEN
    out = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in rows:
            entered = record.history_date.astimezone(zone).date()
            changes_of = None
            if previous is not None and record.history_type == "~":
                changes_of = functools.partial(
                    _changes, source.model, record, previous, excluded, people
                )
            out.append(
                Entry(
                    when=record.history_date,
                    who=_who(record.history_user_id, people),
                    kind=source.kind,
                    subject=source.subject(record),
                    action=_ACTIONS.get(record.history_type, record.history_type),
                    reason=record.history_change_reason or "",
                    changes_of=changes_of,
                    link=source.link(record) if record.history_type != "-" else "",
                    on=_happened_on(source, record, previous, entered, zone),
                    day_entered=entered,
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


# -- reading every kind in one statement --------------------------------------------------------
#
# Each kind of record is its own history table with its own columns, so the kinds cannot share
# columns in a plain UNION. Each part of the statement instead returns its row as one JSON
# object (the same two columns everywhere: which part, and the row); the rows are then rebuilt
# as model instances with each field's own type, so the rest of this module works on them as on
# rows read one kind at a time (issue 19: a few queries per page, however long the history).

# PostgreSQL's jsonb_build_object() takes at most 100 arguments (50 pairs): a wide table's row is
# split into several objects, nested in one.
_PAIRS_PER_OBJECT = 40


class _JSONObject(JSONObject):
    """JSONObject without asking SQLite, the first time each thread builds one, whether it has
    JSON functions (a query of its own, so the first chronology would cost more than the next).
    The project's JSON fields already need them."""

    def as_sql(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, **extra_context)


@dataclass(frozen=True)
class _Part:
    """One SELECT of the combined statement: the rows of `model` that `rows` finds, each rebuilt
    as an instance of `model` with the values of `looked_up` ({attribute: lookup}) beside."""

    model: type[models.Model]
    rows: QuerySet
    looked_up: dict[str, str] = field(default_factory=dict)


def _looked_up_field(model: type[models.Model], lookup: str) -> models.Field:
    *path, name = lookup.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    return model._meta.get_field(name)


def _columns(part: _Part) -> dict[str, models.Field]:
    columns = {f.attname: f for f in part.model._meta.concrete_fields}
    for attribute, lookup in part.looked_up.items():
        columns[attribute] = _looked_up_field(part.model, lookup)
    return columns


def _json_row(part: _Part, columns: dict[str, models.Field]) -> _JSONObject:
    values = {}
    for name, model_field in columns.items():
        expression = F(part.looked_up.get(name, name))
        if isinstance(model_field, models.JSONField):
            expression = Cast(expression, models.TextField())  # read back with json.loads
        values[name] = expression
    pairs = list(values.items())
    return _JSONObject(
        **{
            f"p{n}": _JSONObject(**dict(pairs[start : start + _PAIRS_PER_OBJECT]))
            for n, start in enumerate(range(0, len(pairs), _PAIRS_PER_OBJECT))
        }
    )


def _moment(value: str) -> dt.datetime:
    # The ISO form both databases write, read by the standard library (about a thousand a page).
    moment = dt.datetime.fromisoformat(value)
    # SQLite keeps moments as UTC without an offset; PostgreSQL's JSON says +00:00.
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


# Fields whose JSON value is already what the database driver gives: a string, a whole number or
# true/false. Everything else is converted (a chronology of 300 changes has some 10,000 values,
# and converting each through its field was half the page's time).
_AS_READ = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)


def _converter(model_field: models.Field):
    """How a value is turned from its JSON form into what the database would have given for the
    field: None when it needs nothing."""
    if isinstance(model_field, models.ForeignKey):
        model_field = model_field.target_field
    if isinstance(model_field, models.JSONField):
        return json.loads
    if isinstance(model_field, models.DateTimeField):
        return _moment
    if isinstance(model_field, models.DateField):
        return dt.date.fromisoformat
    if isinstance(model_field, _AS_READ):
        return None
    return model_field.to_python


# Stand-ins for the child's number and its brothers-and-sisters group while the statement is
# built: negative, so never a real record's, and within a 4-byte integer, so that Django does not
# drop the condition as out of range.
_CHILD_STAND_IN = -2_147_480_001
_GROUP_STAND_IN = -2_147_480_002


@dataclass(frozen=True)
class _StandInChild:
    pk: int
    sibling_group_id: int | None


@dataclass(frozen=True)
class _Statement:
    """The chronology's one statement for a choice of kinds, compiled once per process: building
    and compiling its 30-odd SELECTs cost the ORM about 25 ms a page, the same for every child.
    Only the child's number and its group's are put in at each reading."""

    sql: str
    params: tuple
    child_at: tuple[int, ...]
    group_at: tuple[int, ...]
    # Per part: the model, how many of its own columns it takes, each column's name, and the
    # place and converter of each column that needs one.
    plans: tuple[
        tuple[type[models.Model], int, tuple[str, ...], tuple[tuple[int, Callable], ...]], ...
    ]

    def params_for(self, child: Child) -> list:
        params = list(self.params)
        for n in self.child_at:
            params[n] = child.pk
        for n in self.group_at:
            params[n] = child.sibling_group_id
        return params


def _parts(sources: list[Source], child, alerts: bool) -> list[_Part]:
    parts = [_history_part(source, child) for source in sources]
    if alerts:
        parts.append(_alerts_part(child))
    return parts


@functools.lru_cache(maxsize=64)
def _statement(kinds: frozenset[str], in_a_group: bool, vendor: str) -> _Statement:
    """The statement reading every part's rows in one go (UNION ALL), for a stand-in child."""
    stand_in = _StandInChild(_CHILD_STAND_IN, _GROUP_STAND_IN if in_a_group else None)
    sources = [source for source in _sources() if source.kind in kinds]
    parts = _parts(sources, stand_in, "alerts" in kinds)
    columns = [_columns(part) for part in parts]
    selects = [
        part.rows.order_by().values(
            chronology_part=Value(n), chronology_row=_json_row(part, columns[n])
        )
        for n, part in enumerate(parts)
    ]
    statement = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    sql, params = statement.query.get_compiler(DEFAULT_DB_ALIAS).as_sql()
    child_at = tuple(n for n, value in enumerate(params) if value == _CHILD_STAND_IN)
    group_at = tuple(n for n, value in enumerate(params) if value == _GROUP_STAND_IN)
    if not child_at:
        raise RuntimeError("The chronology's statement lost the child it reads.")
    # Each instance is made as the ORM makes one it has read: the model's own columns first, in
    # the order it takes them, then the looked-up values beside.
    plans = []
    for n, part in enumerate(parts):
        own = [f.attname for f in part.model._meta.concrete_fields]
        names = own + [name for name in part.looked_up if name not in own]
        converters = ((place, _converter(columns[n][name])) for place, name in enumerate(names))
        converting = tuple((place, convert) for place, convert in converters if convert)
        plans.append((part.model, len(own), tuple(names), converting))
    return _Statement(sql, tuple(params), child_at, group_at, tuple(plans))


def _read_together(statement: _Statement, child: Child) -> list[list[models.Model]]:
    """The child's rows of every part, as instances, part by part."""
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params_for(child))
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    at_part, at_row = names.index("chronology_part"), names.index("chronology_row")
    read: list[list[models.Model]] = [[] for _ in statement.plans]
    for row in rows:
        n, record = row[at_part], row[at_row]
        if isinstance(record, str):  # the driver hands JSON over as text for Django to read
            record = json.loads(record)
        values = {}
        for chunk in record.values():
            values.update(chunk)
        model, width, names, converting = statement.plans[n]
        converted = [values[name] for name in names]
        for place, convert in converting:
            if converted[place] is not None:
                converted[place] = convert(converted[place])
        instance = model(*converted[:width])
        for name, value in zip(names[width:], converted[width:], strict=True):
            setattr(instance, name, value)
        read[n].append(instance)
    return read


def _history_part(source: Source, child: Child) -> _Part:
    return _Part(source.model.history.model, source.rows(child), source.looked_up)


def _alerts_part(child: Child) -> _Part:
    return _Part(
        Alert,
        Alert.objects.filter(child_id=child.pk),
        {"rule_code": "rule__code", "rule_name": "rule__name"},
    )


def _alert_entries(alerts: list[Alert], people: dict[int, str], system: str) -> list[Entry]:
    """The alerts as sentences, in the notification titles' words (the registry's title per
    rule): "Alert raised: Allocating an IRO is overdue (due 5 Feb 2026)"."""
    out = []
    closed = {
        Alert.CloseReason.MET: ("is met", Alert.CloseReason.MET.label),
        Alert.CloseReason.NO_LONGER_APPLIES: ("no longer applies", ""),
        Alert.CloseReason.NOT_DUE_YET: ("is no longer due soon", ""),
        Alert.CloseReason.PERMANENCE_ACHIEVED: ("ended when permanence was achieved", ""),
    }
    for alert in sorted(alerts, key=lambda a: a.pk):
        title = alert_title(alert.rule_code, alert.rule_name)
        due = f"(due {_date(alert.due)})"
        late = timezone.localdate(alert.raised_at) > alert.due
        owner = people.get(alert.owner_id) if alert.owner_id else None
        if alert.backlog:
            told = "Overdue since before the service went live: on the managers' backlog list"
        else:
            told = f"Sent to {owner}" if owner else ""
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
    first), with who entered it and when (SPEC §6, §7; issue 16). Two queries, whatever the
    kinds and however long the history: every kind's rows in one statement, then the names of
    the people in them."""
    wanted = frozenset(kinds or KINDS)
    sources = [source for source in _sources() if source.kind in wanted]
    statement = _statement(wanted, child.sibling_group_id is not None, connection.vendor)
    read = _read_together(statement, child)
    user_ids: set[int] = set()
    for source, records in zip(sources, read, strict=False):
        # Newest first, as the history is ordered: what happened on the same day keeps the
        # order of reading one kind at a time.
        records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
        names = ["history_user_id", *_user_fields(source.model)]
        for record in records:
            user_ids.update(getattr(record, name) for name in names)
    alerts = read[len(sources)] if "alerts" in wanted else []
    user_ids.update(alert.owner_id for alert in alerts)
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
    zone = timezone.get_current_timezone()
    for source, records in zip(sources, read, strict=False):
        entries += _history_entries(source, records, people, zone)
    if "alerts" in wanted:
        entries += _alert_entries(alerts, people, "The service (automatic)")
    entries.sort(key=lambda e: (e.happened_on, e.when), reverse=order != OLDEST)
    return entries
