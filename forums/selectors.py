"""Reads for the forums app, limited to what the user may see (SPEC §1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forums import plans
from forums.models import (
    Booking,
    Disruption,
    ForumSession,
    Meeting,
    MeetingAction,
    MeetingType,
    Part1,
    Part1Attachment,
    Part1Status,
    Part2,
    part1_status,
)
from forums.models.meetings import BUNDLE_PANEL_KINDS, bundle_for
from forums.services.common import connected_person_episode
from permanence import dates, timescales
from permanence.access import child_visibility_q
from permanence.models import Child, Code, Episode, User
from permanence.models.children import CONNECTED_PLACEMENTS
from permanence.models.plans import Route
from permanence.navigation import ALL_CASE_ROLES
from permanence.panels import child_date
from permanence.plans.selectors import plan_current_for_page
from permanence.prepared import prepared
from permanence.roles import Role
from permanence.selectors import HistoryEntry, children_for_user, code_meanings

RECENT_DAYS = 28


def _visible(qs: QuerySet, user: User, prefix: str = "child__") -> QuerySet:
    """Only rows about children the user may see (the same rule as the child register)."""
    q = child_visibility_q(user)
    if q is None:
        return qs.none()
    ids = Child.objects.filter(q).values("pk")
    return qs.filter(**{f"{prefix}in": ids})


# -- sessions ---------------------------------------------------------------------------------


def _with_fill(qs: QuerySet[ForumSession]) -> QuerySet[ForumSession]:
    return qs.annotate(
        live_count=Count("bookings", filter=Q(bookings__status__in=Booking.LIVE), distinct=True)
    )


def sessions_with_space(*, now: dt.datetime | None = None) -> list[ForumSession]:
    """Sessions not yet begun or cancelled with at least one free slot, soonest first (000)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sessions = _with_fill(
        ForumSession.objects.not_cancelled().filter(forum_date__gte=today)
    ).select_related("chair")
    open_sessions = [s for s in sessions if s.live_count < s.slot_count and not s.has_started(now)]
    for session in open_sessions:
        session.free_slots = session.slot_count - session.live_count
    return open_sessions


def sessions_for_duty(*, today: dt.date | None = None) -> QuerySet[ForumSession]:
    """CPS duty's sessions: the last four weeks and every one to come, with slot fill; a
    cancelled one stays listed, tagged, so that duty can see what happened to it."""
    today = today or timezone.localdate()
    since = dates.add_days(today, -RECENT_DAYS)
    return (
        _with_fill(ForumSession.objects.filter(forum_date__gte=since))
        .select_related("chair")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.live().select_related("part1"),
                to_attr="live_bookings",
            )
        )
        .order_by("forum_date", "start_time")
    )


def sessions_for_chair(*, user: User, today: dt.date | None = None) -> QuerySet[ForumSession]:
    """The sessions this chair chairs, recent and to come."""
    today = today or timezone.localdate()
    return (
        _with_fill(
            ForumSession.objects.filter(
                chair=user, forum_date__gte=dates.add_days(today, -RECENT_DAYS)
            )
        )
        .select_related("chair")
        .order_by("forum_date", "start_time")
    )


def can_see_session(user: User, session: ForumSession) -> bool:
    return user.has_role(Role.CPS_DUTY) or session.chair_id == user.pk


def session_get_for_user(*, user: User, pk: int) -> ForumSession:
    """A session's slots name children: only CPS duty and its chair see it (404 otherwise)."""
    session = (
        ForumSession.objects.select_related("chair", "opened_by", "cancelled_by")
        .filter(pk=pk)
        .first()
    )
    if session is None or not can_see_session(user, session):
        raise Http404("No such forum session")
    return session


@dataclass(frozen=True)
class SlotRow:
    number: int
    starts_at: dt.datetime
    booking: Booking | None
    part1: str


def session_slots(*, session: ForumSession, now: dt.datetime | None = None) -> list[SlotRow]:
    """Every slot of the session, with the live booking holding it and its Part 1 status."""
    now = now or timezone.now()
    bookings = {
        b.slot_number: b
        for b in session.bookings.live()
        .select_related("child", "child__social_worker", "child__iro", "part1", "part2")
        .order_by("slot_number")
    }
    rows = []
    for number in range(1, session.slot_count + 1):
        booking = bookings.get(number)
        rows.append(
            SlotRow(
                number=number,
                starts_at=session.slot_starts_at(number),
                booking=booking,
                part1=part1_status(booking, now) if booking else "",
            )
        )
    return rows


def session_live_count(*, session: ForumSession) -> int:
    """How many children hold a slot in the session (shown before it is cancelled)."""
    return session.bookings.live().count()


def session_other_bookings(*, session: ForumSession) -> QuerySet[Booking]:
    """Declined, cancelled and withdrawn bookings, for CPS duty's record."""
    return (
        session.bookings.exclude(status__in=Booking.LIVE)
        .select_related("child")
        .order_by("requested_at")
    )


def part1_counts(session: ForumSession, now: dt.datetime | None = None) -> dict[str, int]:
    """How many of the session's Part 1s are in each state (CPS duty's overview)."""
    now = now or timezone.now()
    counts = dict.fromkeys(Part1Status.values, 0)
    for booking in getattr(session, "live_bookings", None) or session.bookings.live():
        counts[part1_status(booking, now)] += 1
    return counts


# -- bookings ---------------------------------------------------------------------------------


def booking_get_for_user(*, user: User, pk: int) -> Booking:
    """One booking, or 404 when the user may not see the child (CONVENTIONS: Access)."""
    qs = _visible(
        Booking.objects.select_related(
            "session",
            "session__chair",
            "child",
            "child__social_worker",
            "child__iro",
            "child__team",
            "requested_by",
            "decided_by",
            "ended_by",
        ),
        user,
    )
    booking = qs.filter(pk=pk).first()
    if booking is None:
        raise Http404("No such booking")
    return booking


def bookings_for_worker(*, user: User) -> QuerySet[Booking]:
    """The social worker's bookings: theirs, or for the children allocated to them."""
    qs = Booking.objects.select_related("session", "child", "part1", "part2")
    if user.is_manager:
        qs = _visible(qs, user)
    else:
        qs = _visible(qs.filter(Q(requested_by=user) | Q(child__social_worker=user)), user)
    return qs.order_by("-session__forum_date", "slot_number")


def child_has_open_booking(*, child: Child) -> bool:
    """A child waits for one forum at a time (seed 000)."""
    return Booking.objects.open().filter(child=child).exists()


def requests_awaiting_confirmation() -> QuerySet[Booking]:
    """Requests CPS duty has still to confirm or decline (seed 000)."""
    return (
        Booking.objects.filter(status=Booking.Status.REQUESTED)
        .select_related("session", "child", "requested_by")
        .order_by("requested_at")
    )


def part1_late_or_missing(*, now: dt.datetime | None = None) -> list[tuple[Booking, str]]:
    """Part 1s past their due time and not in, or submitted late, for sessions to come (000)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    bookings = (
        Booking.objects.live()
        .filter(session__forum_date__gte=today)
        .select_related("session", "child", "child__social_worker", "part1")
        .order_by("session__forum_date", "slot_number")
    )
    flagged = (Part1Status.MISSING, Part1Status.SUBMITTED_LATE)
    return [(b, s) for b in bookings if (s := part1_status(b, now)) in flagged]


def children_to_book(*, user: User) -> QuerySet[Child]:
    """Children this user may book a slot for: their own team's (or, for a manager, service's)."""
    qs = children_for_user(user=user)
    if user.has_role(Role.SOCIAL_WORKER) and not user.is_manager:
        qs = qs.filter(team_id=user.team_id)
    return qs.order_by("last_name", "first_name")


def part1_cutoff_warning(session: ForumSession, now: dt.datetime | None = None) -> str:
    """Words warning that the session's Part 1 cut-off has passed or is near, or "" (seed 000:
    Part 1 reaches CPS duty before the forum; the cut-off and "near" are the rule's own)."""
    standing = session.part1_standing(now)
    due = f"{timezone.localtime(session.part1_due_at):%H:%M on %A %-d %B %Y}"
    forum = f"{session.forum_date:%A %-d %B %Y}"
    if standing == timescales.Standing.OVERDUE:
        return (
            f"Part 1 for the forum on {forum} was due by {due}: that cut-off has passed. "
            "You can still book this forum, but Part 1 will be marked late. Choose a later "
            "forum if the case can wait."
        )
    if standing == timescales.Standing.DUE_SOON:
        return (
            f"Part 1 for the forum on {forum} is due soon: by {due}. You can write and "
            "submit it as soon as the slot is requested, without waiting for CPS duty to "
            "confirm it."
        )
    return ""


def exemption_for(child: Child) -> dict | None:
    """The connected-person exemption, to show before the worker tries to book (seed 000)."""
    if "episodes" in getattr(child, "_prefetched_objects_cache", {}):
        # The child's page has read the episodes: the open one is among them (issue 19).
        episode = next((e for e in child.episodes.all() if e.dec is None), None)
        if episode is not None and episode.place not in CONNECTED_PLACEMENTS:
            episode = None
    else:
        episode = connected_person_episode(child)
    if episode is None:
        return None
    return {"place": episode.place, "since": episode.decom}


def immediate_booking_prompt(*, child: Child, bookings: list[Booking] | None = None) -> str:
    """Why the child should be booked into the forum now, or "" (seed 000's first pathways): a
    mother's request that her unborn child be adopted (read as an unborn child whose plan is
    adoption), or a plan outside the birth family before the first review is held. Neither waits
    for the second review. BOOKINGS, when given, are all the child's bookings, already read."""
    if bookings is not None:
        if any(b.status in Booking.LIVE for b in bookings):  # an open booking is live too
            return ""
        plan = plan_current_for_page(child=child)
    elif child_has_open_booking(child=child) or Booking.objects.live().filter(child=child).exists():
        return ""
    else:
        plan = plans.current_plan(child=child)
    route = plan.route if plan is not None else ""
    if child.is_unborn and route == Route.ADOPTION:
        return (
            f"{child.first_name} is not yet born and the plan is adoption, as the mother asked: "
            "book a permanency forum slot now, without waiting for a review."
        )
    if (
        plans.is_outside_birth_family(route)
        and child_date("first_review_held", child=child) is None
    ):
        return (
            f"The plan for {child.first_name} is {Route(route).label.lower()}, outside the birth "
            "family, and the first review has not been held: book a permanency forum slot now, "
            "without waiting for the second review."
        )
    return ""


# -- Part 2 -----------------------------------------------------------------------------------


def part2_copies_for_iro(*, user: User) -> QuerySet[Part2]:
    """Part 2s sent for the children allocated to this IRO: their copies (seed 000)."""
    return (
        Part2.objects.filter(sent_at__isnull=False, booking__child__iro=user)
        .select_related("booking", "booking__session", "booking__child", "sent_by")
        .order_by("-sent_at")
    )


def task_owner_choices() -> QuerySet[User]:
    """Staff who can be given a task: anyone active who works on cases."""
    case_roles = [Role(r).label for r in ALL_CASE_ROLES]
    return (
        User.objects.filter(is_active=True, groups__name__in=case_roles)
        .distinct()
        .order_by("first_name", "last_name")
    )


# -- meetings ---------------------------------------------------------------------------------


def meeting_types() -> QuerySet[MeetingType]:
    return MeetingType.objects.filter(is_active=True)


def meetings_for_user(
    *, user: User, meeting_type: MeetingType | None = None, upcoming: bool = True
) -> QuerySet[Meeting]:
    """Meetings about the children the user may see: to come (soonest first) or held."""
    qs = _visible(Meeting.objects.select_related("meeting_type", "child"), user)
    if meeting_type is not None:
        qs = qs.filter(meeting_type=meeting_type)
    if upcoming:
        return qs.filter(held_on__isnull=True).order_by("scheduled_for", "start_time", "pk")
    return qs.filter(held_on__isnull=False).order_by("-held_on", "-pk")


def panel_actions_for_user(*, user: User, open_only: bool = True) -> QuerySet[MeetingAction]:
    """The Permanence Coordinator's list: actions Permanence Panel agreed, across the children
    the user may see, soonest due first (seed 004)."""
    meetings = _visible(Meeting.objects.filter(meeting_type__kind="permanence_panel"), user)
    qs = MeetingAction.objects.filter(meeting__in=meetings).select_related(
        "owner", "joint_owner", "meeting", "meeting__child"
    )
    if open_only:
        qs = qs.filter(done_on__isnull=True)
    return qs.order_by("due_on", "pk")


def meeting_get_for_user(*, user: User, pk: int) -> Meeting:
    qs = _visible(
        Meeting.objects.select_related(
            "meeting_type", "child", "child__team", "created_by", "recorded_by"
        ),
        user,
    )
    meeting = qs.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def disruption_get_for_user(*, user: User, pk: int) -> Disruption:
    qs = _visible(Disruption.objects.select_related("child", "recorded_by"), user)
    disruption = qs.filter(pk=pk).first()
    if disruption is None:
        raise Http404("No such disruption")
    return disruption


# -- the child's page -------------------------------------------------------------------------


@prepared
def _bookings_of(child_id: int):
    return (
        Booking.objects.filter(child_id=child_id)
        .select_related("session", "part1", "part2")
        .order_by("-session__forum_date")
    )


@prepared
def _latest_meetings_of(child_id: int):
    return (
        Meeting.objects.filter(child_id=child_id)
        .select_related("meeting_type")
        .order_by("-scheduled_for", "-pk")[:20]
    )


def child_panel_context(*, child: Child, user: User) -> dict:
    """The forum bookings, meetings and disruptions on the child's page."""
    now = timezone.now()
    bookings = _bookings_of(child.pk)
    meetings = _latest_meetings_of(child.pk)
    for row in (*bookings, *meetings):
        row.child = child  # read already: the page's child, not read again
    return {
        "child": child,
        "bookings": [(b, part1_status(b, now)) for b in bookings],
        "can_book": user.has_perm("forums.add_booking", child),
        "exemption": exemption_for(child),
        "meetings": meetings,
        "can_add_meeting": user.has_perm("forums.add_meeting", child),
        "disruptions": list(child.disruptions.all()),
        "can_add_disruption": user.has_perm("forums.add_disruption", child),
        "can_escalate": user.has_perm("forums.add_panelescalation", child),
        "book_now": immediate_booking_prompt(child=child, bookings=bookings),
    }


# -- calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    starts_at: dt.datetime | dt.date
    ends_at: dt.datetime | dt.date
    summary: str
    location: str
    path: str


CALENDAR_PAST_DAYS = 90


def calendar_entries_for_user(*, user: User, today: dt.date | None = None) -> list[CalendarEntry]:
    """The user's forum sessions and meetings, from three months ago on (for the ICS feed)."""
    today = today or timezone.localdate()
    since = dates.add_days(today, -CALENDAR_PAST_DAYS)
    entries: list[CalendarEntry] = []
    # A cancelled forum leaves the calendar: it no longer takes anyone's time.
    sessions = ForumSession.objects.not_cancelled().filter(forum_date__gte=since)
    if not user.has_role(Role.CPS_DUTY):
        sessions = sessions.filter(chair=user)
    for session in sessions:
        entries.append(
            CalendarEntry(
                uid=f"forum-session-{session.pk}",
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                summary="Permanency forum"
                + (" (you are chairing)" if session.chair_id == user.pk else ""),
                location=session.venue,
                path=session.get_absolute_url(),
            )
        )
    bookings = (
        Booking.objects.live()
        .filter(session__forum_date__gte=since)
        .filter(Q(requested_by=user) | Q(child__social_worker=user))
        .select_related("session", "child")
    )
    for booking in bookings:
        starts = booking.slot_starts_at
        entries.append(
            CalendarEntry(
                uid=f"forum-booking-{booking.pk}",
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=booking.session.slot_minutes),
                summary=f"Permanency forum: child {booking.child.child_id}, "
                f"slot {booking.slot_number} ({booking.get_status_display()})",
                location=booking.session.venue,
                path=booking.get_absolute_url(),
            )
        )
    meetings = (
        Meeting.objects.filter(scheduled_for__gte=since)
        .filter(
            Q(staff_attendees=user)
            | Q(created_by=user)
            | Q(child__social_worker=user)
            | Q(child__iro=user)
        )
        .select_related("meeting_type", "child")
        .distinct()
    )
    for meeting in meetings:
        day = meeting.held_on or meeting.scheduled_for
        if meeting.start_time is not None:
            starts = dt.datetime.combine(
                day, meeting.start_time, tzinfo=timezone.get_current_timezone()
            )
            ends: dt.datetime | dt.date = starts + dt.timedelta(hours=1)
        else:
            starts, ends = day, dates.add_days(day, 1)
        entries.append(
            CalendarEntry(
                uid=f"meeting-{meeting.pk}",
                starts_at=starts,
                ends_at=ends,
                summary=f"{meeting.meeting_type}: child {meeting.child.child_id}",
                location=meeting.venue,
                path=meeting.get_absolute_url(),
            )
        )
    return sorted(entries, key=lambda e: (_sort_key(e.starts_at), e.uid))


def _sort_key(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())


# -- history ----------------------------------------------------------------------------------


def booking_history(*, booking: Booking) -> list[HistoryEntry]:
    """Who changed the booking, its Part 1 and its Part 2, and why, newest first (SPEC §7)."""
    rows = [
        ("Booking", r) for r in Booking.history.filter(id=booking.pk).select_related("history_user")
    ]
    rows += [
        ("Part 1", r)
        for r in Part1.history.filter(booking_id=booking.pk).select_related("history_user")
    ]
    rows += [
        ("Part 2", r)
        for r in Part2.history.filter(booking_id=booking.pk).select_related("history_user")
    ]
    entries = []
    for subject, record in rows:
        changes = []
        previous = record.prev_record if record.history_type == "~" else None
        if subject == "Booking" and previous is not None and previous.status != record.status:
            changes.append(
                (
                    "Status",
                    Booking.Status(previous.status).label,
                    Booking.Status(record.status).label,
                )
            )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=subject,
                action={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def meeting_history(*, meeting: Meeting) -> list[HistoryEntry]:
    """Who arranged and recorded the meeting, and why, newest first (SPEC §7)."""
    records = Meeting.history.filter(id=meeting.pk).select_related("history_user")
    return sorted(
        (
            HistoryEntry(
                when=r.history_date,
                who=r.history_user,
                subject=str(meeting.meeting_type),
                action={"+": "created", "~": "changed", "-": "deleted"}[r.history_type],
                reason=r.history_change_reason or "",
                changes=[],
            )
            for r in records
        ),
        key=lambda e: e.when,
        reverse=True,
    )


@dataclass(frozen=True)
class BundlePaper:
    paper: str
    prepared_by: str
    state: str


def matching_bundle_index(*, meeting: Meeting) -> list[BundlePaper]:
    """The permanence bundle for a matching panel, paper by paper, with what the record holds
    of each (seed 003: the permanency worker coordinates the bundle for the fostering panel)."""

    def dated(day: dt.date | None) -> str:
        return f"Completed or updated {day:%-d %B %Y}" if day else "No date recorded"

    elsewhere = "Kept outside this service: bring it to the panel"
    if meeting.meeting_type.kind in BUNDLE_PANEL_KINDS:
        # The adoption or fostering panel holds every paper by its date (003).
        return [
            BundlePaper(
                item.label,
                item.prepared_by,
                (
                    ("Uploaded to this meeting" if meeting.matching_report else "Not uploaded yet")
                    if item.field == "matching_report"
                    else dated(getattr(meeting, item.field))
                ),
            )
            for item in bundle_for(meeting.meeting_type.kind)
        ]
    return [
        BundlePaper(
            "Matching meeting report",
            "Permanency worker",
            "Uploaded to this meeting" if meeting.matching_report else "Not uploaded yet",
        ),
        BundlePaper("Child Permanence Report", "Social worker", dated(meeting.cpr_updated_on)),
        BundlePaper("Fostering permanency assessment report", "Social worker", elsewhere),
        BundlePaper("Form F assessment", "Permanency worker", dated(meeting.form_f_updated_on)),
        BundlePaper("Foster home review", "Permanency worker", elsewhere),
        BundlePaper("DBS checks and medicals", "Permanency worker", elsewhere),
        BundlePaper("Risk assessment", "Permanency worker", elsewhere),
        BundlePaper("References", "Permanency worker", elsewhere),
        BundlePaper("Motivation questionnaire", "Permanency worker", elsewhere),
    ]


def forum_advice_notes(*, child, user) -> list:
    """For the IRO's review and ratification pages: the forum advised a different route from
    the child's plan (seed 000). Read from the latest Part 2 sent for the child."""
    from permanence.models.plans import Route
    from permanence.panels import PlanNote

    part2 = (
        Part2.objects.filter(booking__child=child, sent_at__isnull=False)
        .select_related("booking__session")
        .order_by("-sent_at")
        .first()
    )
    if part2 is None or not part2.differs_from_plan:
        return []
    labels = dict(Route.choices)
    day = f"{part2.booking.session.forum_date:%-d %B %Y}"
    text = (
        f"The permanency forum on {day} advised {labels[part2.advised_route].lower()}; the plan's "
        f"route was {labels[part2.plan_route_when_sent].lower()} when its advice was sent."
    )
    booking = part2.booking
    if user.has_perm("forums.view_part2", booking):
        return [PlanNote(text, reverse("forums:part2-detail", args=[booking.pk]), "Read Part 2")]
    return [PlanNote(text)]


# -- what the record already knows, for Part 1 and the chair's agenda --------------------------


@dataclass(frozen=True)
class CourtTimescale:
    """Care proceedings against the 26-week timescale (Children Act 1989 s32; seed 004)."""

    issued_on: dt.date
    due: dt.date
    week: int
    weeks: int
    standing: str
    concluded_on: dt.date | None = None

    @property
    def is_overdue(self) -> bool:
        return self.standing == timescales.Standing.OVERDUE and self.concluded_on is None


@dataclass(frozen=True)
class ChildRecord:
    """The child's plan, placement and legal status, as the record holds them today."""

    plan: object | None
    plan_route: str
    plan_contingency: str
    placement: str
    legal_status: str
    since: dt.date | None
    court: CourtTimescale | None


def _coded(code: str, meanings: dict[str, str]) -> str:
    meaning = meanings.get(code)
    return f"{code}: {meaning}" if meaning else code


def court_timescale(child: Child, now: dt.datetime | None = None) -> CourtTimescale | None:
    """Where the child's care proceedings stand against 26 weeks: the due date and the standing
    from the one timescale registry; the week is the week of the proceedings the day falls in."""
    issued = child.proceedings_issued_on
    if issued is None or child.court_stage not in (
        Child.CourtStage.ISSUED,
        Child.CourtStage.CONCLUDED,
    ):
        return None
    now = now or timezone.now()
    due, standing = timescales.standing("proceedings_concluded", issued, now)
    concluded = child.proceedings_concluded_on
    upto = concluded or timezone.localdate(now)
    return CourtTimescale(
        issued_on=issued,
        due=due.on,
        week=dates.weeks_between(issued, upto) + 1,
        weeks=dates.weeks_between(issued, due.on) + 1,
        standing=standing,
        concluded_on=concluded,
    )


_UNREAD = object()


def child_record(
    child: Child, now: dt.datetime | None = None, *, plan=_UNREAD, episode=_UNREAD
) -> ChildRecord:
    """The child's plan, current placement and legal status (with their SSDA903 meanings) and
    the proceedings against 26 weeks, read once for Part 1 and the agenda. The agenda passes
    the plan and open episode it read for every child at once."""
    if plan is _UNREAD:
        plan = plans.current_plan(child=child)
    if episode is _UNREAD:
        episode = child.episodes.open().order_by("-decom").first()
    placement = legal = ""
    if episode is not None:
        placement = _coded(episode.place, code_meanings(Code.List.PLACE))
        legal = _coded(episode.legal_status, code_meanings(Code.List.LS))
    return ChildRecord(
        plan=plan,
        plan_route=Route(plan.route).label if plan and plan.route in Route.values else "",
        plan_contingency=(
            Route(plan.contingency_route).label
            if plan and plan.contingency_route in Route.values
            else ""
        ),
        placement=placement,
        legal_status=legal,
        since=episode.decom if episode is not None else None,
        court=court_timescale(child, now),
    )


def part1_initial(booking: Booking) -> dict:
    """A new Part 1 starts from what the record knows: the plan's route, contingency and the
    options ruled out, and the child's placement and legal status. Every value is editable."""
    child = booking.child
    record = child_record(child)
    initial: dict = {}
    if record.plan is not None:
        initial["proposed_route"] = record.plan.route
        initial["contingency_route"] = record.plan.contingency_route
        if record.plan.summary:
            initial["route_details"] = record.plan.summary
    ruled_out = plans.options_ruled_out(child=child)
    if ruled_out:
        initial["options_considered"] = "\n".join(
            f"{o.get_rung_display()}: ruled out on {o.considered_on:%-d %B %Y} by "
            f"{o.considered_by}. {o.why_ruled_out.strip()}"
            for o in ruled_out
        )
    if record.placement or record.legal_status:
        since = f" since {record.since:%-d %B %Y}" if record.since else ""
        initial["child_situation"] = (
            f"Placement: {record.placement or 'not recorded'}{since}.\n"
            f"Legal status: {record.legal_status or 'not recorded'}.\n"
        )
    return initial


@dataclass(frozen=True)
class AgendaItem:
    """What the chair reads about one child before the forum (seed 000)."""

    record: ChildRecord
    route_differs: bool
    proposed_route: str
    papers: list


def agenda_items(*, slots: list[SlotRow], now: dt.datetime | None = None) -> dict[int, AgendaItem]:
    """For each booked slot, by booking id: the child's record (plan, placement, legal status,
    proceedings against 26 weeks), whether Part 1 proposes a route other than the plan's, and
    the papers sent with Part 1."""
    bookings = [s.booking for s in slots if s.booking is not None]
    papers: dict[int, list] = {}
    for paper in Part1Attachment.objects.filter(part1__booking__in=bookings).select_related(
        "part1"
    ):
        papers.setdefault(paper.part1.booking_id, []).append(paper)
    # Every child's plan and open episode in two queries, not two per child (issue 19).
    child_ids = [booking.child_id for booking in bookings]
    current = plans.current_plans(child_ids=child_ids)
    open_episodes: dict[int, Episode] = {}
    for episode in Episode.objects.open().filter(child_id__in=child_ids).order_by("-decom"):
        open_episodes.setdefault(episode.child_id, episode)
    items = {}
    for booking in bookings:
        record = child_record(
            booking.child,
            now,
            plan=current.get(booking.child_id),
            episode=open_episodes.get(booking.child_id),
        )
        part1 = getattr(booking, "part1", None)
        proposed = part1.proposed_route if part1 is not None else ""
        items[booking.pk] = AgendaItem(
            record=record,
            route_differs=bool(proposed)
            and record.plan is not None
            and proposed != record.plan.route,
            proposed_route=Route(proposed).label if proposed in Route.values else "",
            papers=papers.get(booking.pk, []),
        )
    return items
