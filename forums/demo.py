"""Demo records for the forums app: forum sessions past and to come, meetings of every type, and
one placement disruption (permanence.demo).

The bookings are made as the demo's own staff would have made them, with their past dates, so
each one's history names the social worker, CPS duty or the chair. Part 2's tasks are added to
the child's plan through the plan's own service. Loading the demo twice changes nothing: the
first session's venue marks the forums demo as loaded.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from forums import plans
from forums.models import (
    Booking,
    Disruption,
    ForumSession,
    Meeting,
    MeetingAction,
    MeetingAssessment,
    MeetingType,
    Part1,
    Part2,
    Part2Task,
    Pathway,
)
from forums.models.meetings import PANEL_ATTENDEES, bundle_for
from forums.services import CPR_TASK, next_due_on
from forums.services.common import connected_person_episode
from forums.services.meetings import set_attendees
from permanence import dates
from permanence.history import save_with_history
from permanence.models import Child, PotentialMatch, User
from permanence.models.plans import Route

DEMO_VENUE = "Shirehall, Permanence Room 2"
OTHER_VENUE = "Civic Centre, Meeting Room 4"
# Children for the session soon, in order of preference (permanence.demo numbers them); any
# placed with a connected person is passed over, since they need no forum (seed 000).
SOON_CANDIDATES = (
    "DEMO0017",
    "DEMO0013",
    "DEMO0015",
    "DEMO0022",
    "DEMO0004",
    "DEMO0010",
    "DEMO0011",
    "DEMO0012",
    "DEMO0014",
    "DEMO0018",
)

PART1_TEXT = {
    "reason_for_referral": "The parenting assessment concluded that the parents cannot meet "
    "the child's needs within the child's timescales. The legal planning meeting agreed to "
    "explore permanence outside the birth family.",
    "child_situation": "Settled with experienced foster carers since becoming looked after. "
    "Meeting developmental milestones; attends nursery three mornings a week. Needs a secure "
    "attachment figure and consistent routines.",
    "family_explored": "Family network meeting held. Maternal grandmother and a paternal aunt "
    "were put forward; both viability assessments were negative.",
    "child_consulted": "not_appropriate",
    "child_views": "Too young to give views; the carers describe a settled, happy child.",
    "parents_consulted": "yes",
    "parents_views": "Mother opposes the plan and wants the child home; father has not engaged.",
    "others_consulted": "yes",
    "others_views": "Foster carers and the nursery key worker support a plan of permanence.",
    "options_considered": "Return home: ruled out by the parenting assessment. Connected "
    "person: viabilities negative. SGO: no carer able. Long-term fostering: would not give the "
    "lifelong security this young child needs.",
    "proposed_route": Route.ADOPTION,
    "contingency_route": Route.LONG_TERM_FOSTERING,
    "route_details": "Placement order sought; early family finding with the regional adoption "
    "agency. Contingency: long-term fostering with the current carers.",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _working_day_on_or_after(day: dt.date) -> dt.date:
    return day if dates.is_working_day(day) else dates.add_working_days(day, 1)


def _looked_after_since(child: Child) -> dt.date | None:
    """The start of the period of care the child is in now (RNE S), or None."""
    episodes = list(child.episodes.order_by("decom").values_list("decom", "dec", "rne"))
    if not episodes or episodes[-1][1] is not None:
        return None
    starts = [decom for decom, _dec, rne in episodes if rne == "S"]
    return starts[-1] if starts else episodes[0][0]


def seed_forums(context: dict) -> None:
    """Forum sessions (one past with Part 2 sent, one soon with Part 1s in every state, one
    later with free slots), a few meetings of each type and a disruption (000, 003, 004)."""
    if ForumSession.objects.filter(venue=DEMO_VENUE).exists():
        return
    _Seed(context).run()


class _Seed:
    def __init__(self, context: dict) -> None:
        self.today: dt.date = context["today"]
        self.users: dict[str, User] = context["users"]
        self.children = {c.child_id: c for c in context["children"]}
        self.cps = self.users["cps1"]
        self.chair = self.users["chair1"]

    def child(self, child_id: str) -> Child | None:
        child = self.children.get(child_id)
        if child is None or connected_person_episode(child) is not None:
            return None
        return child

    def run(self) -> None:
        self.sessions()
        self.meetings()
        self.disruption()

    # -- sessions and bookings ------------------------------------------------------------------

    def _session(self, forum_date: dt.date, slots: int, venue: str = DEMO_VENUE) -> ForumSession:
        session = ForumSession(
            forum_date=forum_date,
            start_time=dt.time(10, 0),
            slot_minutes=30,
            venue=venue,
            chair=self.chair,
            slot_count=slots,
            opened_by=self.cps,
        )
        return save_with_history(session, by=self.cps, reason="Forum session opened")

    def _booking(
        self,
        session: ForumSession,
        child: Child,
        slot: int,
        status: str,
        *,
        pathway: str = Pathway.BEFORE_SECOND_REVIEW,
    ) -> Booking:
        worker = child.social_worker or self.users["sw1"]
        requested = _at(dates.add_days(session.forum_date, -21), 11)
        booking = Booking(
            session=session,
            child=child,
            slot_number=slot,
            pathway=pathway,
            status=status,
            requested_by=worker,
            requested_at=requested,
        )
        if status != Booking.Status.REQUESTED:
            booking.decided_by = self.cps
            booking.confirmed_at = requested + dt.timedelta(days=1)
        if status in (Booking.Status.PRESENTED, Booking.Status.PART2_SENT):
            booking.presented_at = session.slot_starts_at(slot)
        return save_with_history(
            booking, by=worker, reason=f"Demo: {booking.get_status_display()}", exclude=["status"]
        )

    def _part1(self, booking: Booking, *, submitted_at: dt.datetime | None) -> Part1:
        worker = booking.requested_by
        part1 = Part1(booking=booking, **PART1_TEXT)
        if submitted_at is None:
            # A draft, half written.
            part1.options_considered = part1.route_details = ""
            part1.proposed_route = part1.contingency_route = ""
        else:
            part1.submitted_at = submitted_at
            part1.submitted_by = worker
        reason = "Part 1 submitted" if submitted_at else "Part 1 draft saved"
        return save_with_history(part1, by=worker, reason=reason)

    def sessions(self) -> None:
        today = self.today
        # One past session, three weeks ago, whose Part 2s have been sent.
        past = self._session(_working_day_on_or_after(dates.add_days(today, -21)), 4)
        for slot, child_id, route, contingency in (
            (1, "DEMO0021", Route.SGO_CAO, Route.LONG_TERM_FOSTERING),
            (2, "DEMO0023", Route.LONG_TERM_FOSTERING, Route.RESIDENTIAL),
        ):
            child = self.child(child_id)
            if child is None:
                continue
            booking = self._booking(past, child, slot, Booking.Status.PART2_SENT)
            self._part1(
                booking, submitted_at=_at(dates.subtract_working_days(past.forum_date, 4), 15)
            )
            self._part2(booking, route, contingency)

        # One soon, in two working days: Part 1 was due by 17:00 on the last working day.
        soon = self._session(dates.add_working_days(today, 2), 6)
        due = soon.part1_due_at
        late = max(due + dt.timedelta(minutes=1), timezone.now() - dt.timedelta(hours=1))
        wanted = [
            (Booking.Status.PART1_SUBMITTED, due - dt.timedelta(days=1, hours=3), False),
            (Booking.Status.PART1_SUBMITTED, late, False),
            (Booking.Status.CONFIRMED, None, True),  # a draft, not submitted: missing
            (Booking.Status.CONFIRMED, None, False),  # not started: missing
            (Booking.Status.REQUESTED, None, False),  # waiting for CPS duty
        ]
        candidates = [c for c in map(self.child, SOON_CANDIDATES) if c is not None]
        for slot, ((status, submitted, draft), child) in enumerate(
            zip(wanted, candidates, strict=False), start=1
        ):
            pathway = (
                Pathway.LEGAL_PLANNING_MEETING
                if child.court_stage != Child.CourtStage.NONE
                else Pathway.BEFORE_SECOND_REVIEW
            )
            booking = self._booking(soon, child, slot, status, pathway=pathway)
            if submitted is not None or draft:
                self._part1(booking, submitted_at=submitted)

        # One later, with free slots, so that social workers can book during a demonstration.
        later = self._session(dates.add_working_days(today, 12), 6, OTHER_VENUE)
        unborn = self.child("DEMO0001")
        if unborn is not None:
            self._booking(
                later, unborn, 1, Booking.Status.REQUESTED, pathway=Pathway.UNBORN_ADOPTION_REQUEST
            )

    def _part2(self, booking: Booking, route: str, contingency: str) -> None:
        child = booking.child
        sent = booking.session.slot_starts_at(booking.slot_number) + dt.timedelta(hours=4)
        part2 = Part2(
            booking=booking,
            advice="The forum agreed the proposed plan is the right one and that all options on "
            "the ladder above it have been explored and ruled out. Parallel plan to be pursued.",
            advised_route=route,
            advised_contingency_route=contingency,
            sent_at=sent,
            sent_by=self.chair,
        )
        save_with_history(part2, by=self.chair, reason="Part 2 sent")
        forum_day = booking.session.forum_date
        worker = child.social_worker or self.users["sw1"]
        tasks = [
            ("Update the chronology and the care plan with the forum's advice", worker, 14),
            ("Arrange a care planning meeting to agree the parallel plan", worker, 21),
        ]
        if plans.is_outside_birth_family(route):
            tasks.insert(0, (CPR_TASK, worker, 42))
        plan = plans.current_plan(child=child)
        for position, (what, owner, days) in enumerate(tasks):
            task = Part2Task(
                part2=part2,
                what=what,
                owner=owner,
                due_on=dates.add_days(forum_day, days),
                is_child_permanence_report=what == CPR_TASK,
                position=position,
            )
            if plan is not None:
                action = plans.add_plan_action(
                    plan=plan,
                    by=self.chair,
                    what=what,
                    owner=owner,
                    due_on=task.due_on,
                    source=f"Permanency forum Part 2, {forum_day:%-d %B %Y}",
                )
                task.plan_action_id = action.pk
            save_with_history(task, by=self.chair, reason="Part 2 task")

    # -- meetings -------------------------------------------------------------------------------

    def _meeting(
        self,
        code: str,
        child_id: str,
        days_ago: int,
        *,
        held: bool = True,
        decisions: str = "",
        by: str = "sw1",
        **fields,
    ) -> Meeting | None:
        child = self.children.get(child_id)
        meeting_type = MeetingType.objects.filter(code=code).first()
        if child is None or meeting_type is None:
            return None
        day = _working_day_on_or_after(dates.add_days(self.today, -days_ago))
        if held and day > self.today:
            day = dates.subtract_working_days(day, 1)
        actor = self.users[by]
        meeting = Meeting(
            meeting_type=meeting_type,
            child=child,
            scheduled_for=day,
            start_time=dt.time(14, 0),
            venue="Teams call" if code == "care-planning" else OTHER_VENUE,
            created_by=actor,
            **fields,
        )
        if held:
            meeting.held_on = day
            meeting.decisions = decisions
            meeting.recorded_by = actor
            meeting.recorded_at = _at(day, 17)
            meeting.next_due_on = next_due_on(meeting)
        save_with_history(meeting, by=actor, reason="Demo meeting")
        attendees = [child.social_worker, child.iro, actor]
        set_attendees(
            meeting, [a for a in attendees if a is not None], by=actor, reason="Staff attending"
        )
        return meeting

    def _action(self, meeting: Meeting | None, what: str, owner: str, due_in: int) -> None:
        if meeting is None:
            return
        save_with_history(
            MeetingAction(
                meeting=meeting,
                what=what,
                owner=self.users[owner],
                due_on=dates.add_days(meeting.held_on or meeting.scheduled_for, due_in),
            ),
            by=meeting.created_by,
            reason="Action agreed",
        )

    def meetings(self) -> None:
        gateway = self._meeting(
            "legal-gateway",
            "DEMO0016",
            70,
            decisions="Enter the pre-proceedings process; initial plan of return home ratified, "
            "contingency connected person.",
            gateway_decision=Meeting.GatewayDecision.PRE_PROCEEDINGS,
            by="tm3",
        )
        if gateway is not None:
            for kind, weeks in (
                (MeetingAssessment.Kind.PARENTING, 12),
                (MeetingAssessment.Kind.FAMILY_GROUP_CONFERENCE, 4),
                (MeetingAssessment.Kind.VIABILITY, 8),
            ):
                save_with_history(
                    MeetingAssessment(
                        meeting=gateway, kind=kind, due_on=dates.add_weeks(gateway.held_on, weeks)
                    ),
                    by=gateway.created_by,
                    reason="Assessment agreed at Legal Gateway",
                )
        self._meeting(
            "legal-gateway",
            "DEMO0019",
            100,
            decisions="Initiate care proceedings; interim care order to be sought.",
            gateway_decision=Meeting.GatewayDecision.CARE_PROCEEDINGS,
            by="tm1",
        )
        early = self._meeting(
            "early-permanence",
            "DEMO0005",
            7,
            decisions="Fostering for adoption to be explored; adoption family finder allocated.",
            by="cps1",
        )
        self._action(early, "Allocate an adoption family finder", "cps1", 7)
        self._meeting("early-permanence", "DEMO0006", -5, held=False, by="cps1")
        self._meeting(
            "permanency-planning",
            "DEMO0020",
            24,
            decisions="Family finding progressing; two prospective adopters identified.",
            by="sw1",
        )
        self._meeting("permanency-planning", "DEMO0020", -7, held=False, by="sw1")
        cpm = self._meeting(
            "care-planning",
            "DEMO0019",
            28,
            decisions="Contingency of long-term fostering actively pursued; sibling assessment "
            "to be completed before the final evidence.",
            by="tm1",
        )
        self._action(cpm, "Complete the sibling assessment (together or apart)", "sw1", 21)
        self._meeting(
            "care-planning",
            "DEMO0024",
            56,
            decisions="Placement stable; review the plan at the next meeting.",
            by="tm1",
        )
        self._meeting(
            "permanence-panel",
            "DEMO0025",
            14,
            decisions="Assessments late; the final evidence is at risk against the court "
            "timetable.",
            rag_rating=Meeting.Rag.RED,
            rag_reason="Parenting assessment overdue by three weeks; week 20 of 26.",
            by="hos1",
        )
        self._meeting(
            "permanence-panel",
            "DEMO0021",
            14,
            decisions="On track.",
            rag_rating=Meeting.Rag.GREEN,
            rag_reason="Assessments complete and the final care plan is ready.",
            by="hos1",
        )
        self._matching()
        self._family_finding()
        self._routine()

    def _routine(self) -> None:
        """Most children in care have had a care planning meeting in the last six weeks, and
        most who came into care this year went to the early permanence panel within two weeks
        (003, 004); every fifth or fourth has not, so the tracker has something to raise."""
        had = set(
            Meeting.objects.filter(held_on__isnull=False).values_list(
                "child_id", "meeting_type__code"
            )
        )
        for i, child in enumerate(sorted(self.children.values(), key=lambda c: c.child_id)):
            started = _looked_after_since(child)
            if started is None:
                continue
            if i % 5 and (child.pk, "care-planning") not in had:
                days_ago = 3 + (i * 11) % 38
                if dates.add_days(self.today, -days_ago) > started:
                    self._meeting(
                        "care-planning",
                        child.child_id,
                        days_ago,
                        decisions="Plan on track; actions reviewed.",
                        by="tm1",
                    )
            early = dates.add_working_days(started, 6)
            due = (self.today - started).days <= 200 and early < self.today
            if due and i % 4 and (child.pk, "early-permanence") not in had:
                self._meeting(
                    "early-permanence",
                    child.child_id,
                    (self.today - early).days,
                    decisions="Early permanence options discussed; next steps agreed.",
                    by="cps1",
                )
                planning = dates.add_weeks(early, 4)
                if i % 3 and planning < self.today:
                    self._meeting(
                        "permanency-planning",
                        child.child_id,
                        (self.today - planning).days,
                        decisions="Permanence options agreed; family finding to start.",
                        by="sw1",
                    )

    def _matching(self) -> None:
        child = self.children.get("DEMO0034")
        meeting_type = MeetingType.objects.filter(code="matching-panel").first()
        if child is None or meeting_type is None:
            return
        panel = _working_day_on_or_after(dates.add_days(self.today, 21))
        worker = child.social_worker or self.users["sw1"]
        meeting = Meeting(
            meeting_type=meeting_type,
            child=child,
            scheduled_for=panel,
            start_time=dt.time(9, 30),
            venue=DEMO_VENUE,
            match_carers="Mr and Mrs Example (current foster carers)",
            form_f_updated_on=dates.add_months(self.today, -8),
            cpr_updated_on=dates.add_months(self.today, -2),
            created_by=worker,
        )
        meeting.matching_report.save("matching-report.pdf", ContentFile(_DEMO_PDF), save=False)
        save_with_history(meeting, by=worker, reason="Match listed for fostering panel")
        set_attendees(meeting, [worker, self.cps], by=worker, reason="Staff attending")

    def _family_finding(self) -> None:
        """Family finding further on for three children whose adoption plan is in
        implementation (000, 003), so the family finding list shows every stage: a matching
        meeting held; the match then heard at the adoption panel; and one the agency decision
        maker has approved. The others stay at a potential match."""
        for child_id, step in (("DEMO0038", 1), ("DEMO0037", 2), ("DEMO0039", 3)):
            child = self.children.get(child_id)
            match = (
                PotentialMatch.objects.filter(
                    plan__child=child, outcome=PotentialMatch.Outcome.PROCEEDING
                )
                .select_related("carer")
                .first()
                if child is not None
                else None
            )
            if match is None:
                continue
            self._match_heard(child_id, match, step)

    def _match_heard(self, child_id: str, match: PotentialMatch, step: int) -> None:
        finder = self.users.get("ff1") or self.cps
        meeting = self._meeting(
            "matching-meeting",
            child_id,
            45,
            decisions=f"{match.carer} can meet the child's needs: the match goes to panel.",
            potential_match=match,
            match_carers=match.carer.name,
            arranged_by=finder,
            chair=self.users["tm1"],
        )
        if meeting is None:
            return
        meeting.matching_report.save("matching-report.pdf", ContentFile(_DEMO_PDF), save=False)
        save_with_history(meeting, by=finder, reason="Matching report attached")
        # The stage counts from when the meeting was arranged.
        Meeting.objects.filter(pk=meeting.pk).update(created_at=_at(meeting.held_on, 9))
        if step < 2:
            return
        papers_on = dates.add_days(self.today, -60)
        panel = self._meeting(
            "adoption-panel",
            child_id,
            21,
            decisions="The panel recommends the match.",
            by="cps1",
            potential_match=match,
            match_carers=match.carer.name,
            match_recommendation=Meeting.MatchRecommendation.RECOMMENDED,
            attended_roles=[*PANEL_ATTENDEES],
            **{
                item.field: papers_on
                for item in bundle_for(MeetingType.Kind.ADOPTION_PANEL)
                if item.field != "matching_report"
            },
        )
        if panel is None:
            return
        panel.matching_report = meeting.matching_report.name
        save_with_history(panel, by=self.cps, reason="Matching report for the panel")
        Meeting.objects.filter(pk=panel.pk).update(created_at=_at(panel.held_on, 9))
        match.panel_recommendation = PotentialMatch.Recommendation.RECOMMENDED
        match.panel_on = panel.held_on
        if step >= 3:
            match.decision = PotentialMatch.Decision.APPROVED
            match.decided_on = min(dates.add_days(panel.held_on, 7), self.today)
            match.decided_by = "Agency decision maker"
        save_with_history(match, by=self.cps, reason="Demo authority")

    # -- disruption -----------------------------------------------------------------------------

    def disruption(self) -> None:
        child = self.children.get("DEMO0035")
        if child is None:
            return
        worker = child.social_worker or self.users["sw1"]
        plan = plans.current_plan(child=child)
        disrupted_on = (
            plan.disrupted_on
            if plan is not None and plan.disrupted_on
            else dates.add_days(self.today, -6)
        )
        save_with_history(
            Disruption(
                child=child,
                disrupted_on=disrupted_on,
                carer_name="Ms Demo Carer",
                details="Placement broke down after an escalation in the child's behaviour; "
                "the child moved to an emergency placement.",
                carer_review_due_on=dates.add_weeks(disrupted_on, 2),
                fee_paid_until=dates.add_weeks(disrupted_on, 2),
                recorded_by=worker,
            ),
            by=worker,
            reason="Long-term placement disrupted",
        )


# A one-page PDF saying what it is: enough for a browser to open.
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Demo matching report) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
