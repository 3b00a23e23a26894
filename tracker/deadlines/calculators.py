"""How each SPEC §5 deadline is found from a child's facts: pure functions, no database.

A calculator takes one child's facts, the rule's current settings and today's date, and returns
the child's deadline under that rule (`Occurrence`), `NOT_YET` when the rule applies to the child
but the event it counts from has not happened, or None when it does not apply at all.

Two rules hold throughout:
- an event dated after today has not happened yet: it neither starts a deadline nor meets one
  early (a review typed in with next month's date does not meet this month's deadline);
- every due date is counted by `permanence.timescales.count` (the pages' function too), which
  moves dates with `permanence.dates`, the one module that adds days to dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from permanence import dates, timescales
from permanence.models.children import CONNECTED_PLACEMENTS
from permanence.models.family import ADULT_AGE_MONTHS
from permanence.models.plans import Status as PlanStatus
from tracker.deadlines.facts import ChildFacts, EpisodeFact, MeetingFact

LONDON = ZoneInfo("Europe/London")

# Connected-person placements that need the carers' full approval: long-term fostering (U1)
# and fostering for adoption with approved adopters (U2). U3 may still be a reg 24 placement.
APPROVED_CONNECTED_PLACEMENTS = frozenset({"U1", "U2"})
# SSDA903 REC codes: the child left care on a special guardianship order.
SGO_REASONS = frozenset({"E45", "E46", "E47", "E48"})
SECTION_20 = "V2"


class Meeting:
    """Kinds of meeting the calculators read (`MeetingFact.kind`)."""

    LEGAL_GATEWAY = "legal_gateway"
    EARLY_PERMANENCE = "early_permanence"
    PERMANENCY_PLANNING = "permanency_planning"
    CARE_PLANNING = "care_planning"
    PERMANENCE_PANEL = "permanence_panel"


class Gateway:
    """Decisions of the Legal Gateway Panel (seed 004)."""

    PRE_PROCEEDINGS = "pre_proceedings"
    CARE_PROCEEDINGS = "care_proceedings"
    NEITHER = "neither"


RED = "red"
# A Legal Gateway hearing this many weeks before a child came into care means the admission was
# planned: pre-proceedings cases are heard again every 12 weeks (seed 004).
PLANNED_ADMISSION_WEEKS = 12


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """The administrator's settings for one rule, detached from the database."""

    pk: int
    code: str
    amount: int
    unit: str
    direction: str = "after"
    counts_start_day: bool = False
    due_time: dt.time | None = None
    extension_amount: int = 0
    warning_days: int = 0
    owner_role: str = "social_worker"
    copy_role: str = ""
    name: str = ""
    counts_from: str = ""
    met_by: str = ""
    applies_from: dt.date | None = None

    @classmethod
    def from_model(cls, rule) -> RuleConfig:
        return cls(
            pk=rule.pk,
            code=rule.code,
            amount=rule.amount,
            unit=rule.unit,
            direction=rule.direction,
            counts_start_day=rule.counts_start_day,
            due_time=rule.due_time,
            extension_amount=rule.extension_amount,
            warning_days=rule.warning_days,
            owner_role=rule.owner_role,
            copy_role=rule.copy_role,
            name=rule.name,
            counts_from=rule.counts_from,
            met_by=rule.met_by,
            applies_from=rule.applies_from,
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A deadline: the date it counts from, when it is due, and when it was met."""

    anchor_on: dt.date | None
    due: dt.date | None
    due_at: dt.datetime | None = None
    met_on: dt.date | None = None


NOT_YET = Occurrence(None, None)


def due_for(
    anchor: dt.date,
    rule: RuleConfig,
    *,
    extended: bool = False,
    extension: dates.Offset | None = None,
) -> Occurrence:
    """The deadline counted from ANCHOR under RULE, not yet met (SPEC §5 counting).

    Counted by `permanence.timescales.count`, the one function every page and form uses too.
    EXTENDED adds the rule's whole extension; EXTENSION adds an amount decided on the record
    instead (a connected person's approval extended by 6 of the 8 weeks allowed)."""
    due = timescales.count(rule, anchor, extended=extended, extension=extension)
    return Occurrence(anchor, due.on, due.at)


def met(occurrence: Occurrence, met_on: dt.date | None) -> Occurrence:
    return Occurrence(occurrence.anchor_on, occurrence.due, occurrence.due_at, met_on)


def _first_on_or_after(days, start: dt.date, today: dt.date) -> dt.date | None:
    return min((d for d in days if start <= d <= today), default=None)


# --- periods of care -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A period of care: from an episode starting with RNE S to the episode that ends it."""

    start: dt.date
    episodes: tuple[EpisodeFact, ...]
    is_open: bool

    @property
    def last(self) -> EpisodeFact:
        return self.episodes[-1]


def latest_period(facts: ChildFacts, today: dt.date) -> Period | None:
    """The child's latest period of care as known today, open or ended."""
    key = ("period", today)
    if key not in facts.derived:
        facts.derived[key] = _latest_period(facts, today)
    return facts.derived[key]


def _latest_period(facts: ChildFacts, today: dt.date) -> Period | None:
    known = [e for e in facts.episodes if e.decom <= today]
    if not known:
        return None
    # A period starts with RNE S (SSDA903). A record imported without its S episode still has
    # a period: from its earliest known episode.
    starts = [i for i, e in enumerate(known) if e.rne == "S"]
    first = starts[-1] if starts else 0
    episodes = tuple(known[first:])
    last = episodes[-1]
    # An end date after today has not happened yet.
    is_open = last.dec is None or last.dec > today
    return Period(episodes[0].decom, episodes, is_open)


def current_period(facts: ChildFacts, today: dt.date) -> Period | None:
    """The period of care the child is in today, or None when not looked after."""
    period = latest_period(facts, today)
    return period if period is not None and period.is_open else None


def achieved_in_period(
    plan_status: str, achieved_on: dt.date | None, period_start: dt.date | None
) -> bool:
    """Whether the plan in force, in PLAN_STATUS and achieved on ACHIEVED_ON, has achieved
    permanence for the period of care that began on PERIOD_START (SPEC §3), ending the
    timescales that lead to it. Not once it is disrupted or replaced, nor when the child came
    back into care after it (a return home that broke down), whose new period's timescales run
    from its start. A plan recorded as achieved always has its day (`plan_achieve`); without
    one, the plan's word is taken."""
    if plan_status != PlanStatus.ACHIEVED:
        return False
    if achieved_on is None or period_start is None:
        return True
    return achieved_on >= period_start


def permanence_achieved(facts: ChildFacts, today: dt.date) -> bool:
    """The plan in force is achieved, in the child's latest period of care."""
    period = latest_period(facts, today)
    return achieved_in_period(
        PlanStatus.ACHIEVED if facts.permanence_achieved else "",
        facts.permanence_achieved_on,
        period.start if period else None,
    )


def _connected_run(period: Period) -> tuple[dt.date, EpisodeFact] | None:
    """Start of the latest unbroken run of connected-person placements ending the period."""
    start = None
    for episode in reversed(period.episodes):
        if episode.place not in CONNECTED_PLACEMENTS:
            break
        start = episode.decom
    return (start, period.last) if start is not None else None


def _held(
    meetings: list[MeetingFact], kind: str, start: dt.date, today: dt.date
) -> list[MeetingFact]:
    return sorted(
        (m for m in meetings if m.kind == kind and start <= m.held_on <= today),
        key=lambda m: m.held_on,
    )


def _reviews_in(facts: ChildFacts, period: Period, today: dt.date) -> list[dt.date]:
    return sorted(r.held_on for r in facts.reviews if period.start <= r.held_on <= today)


# --- the SPEC §5 rules -------------------------------------------------------------------------


def iro_allocated(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """An IRO is allocated within 5 working days of becoming looked after (seed 004)."""
    period = current_period(facts, today)
    if period is None:
        return None
    # An IRO already allocated when the child became looked after (and still allocated then)
    # meets it on the first day; otherwise the first allocation made since.
    covering = [
        max(a.allocated_on, period.start)
        for a in facts.iro_allocations
        if a.allocated_on <= today and (a.ended_on is None or a.ended_on >= period.start)
    ]
    return met(due_for(period.start, rule), min(covering, default=None))


def first_review(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The first looked-after review within 20 working days of becoming looked after (004)."""
    period = current_period(facts, today)
    if period is None:
        return None
    held = _reviews_in(facts, period, today)
    return met(due_for(period.start, rule), held[0] if held else None)


def second_review(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The second review, which ratifies the plan, within 3 months of the first (000-004)."""
    period = current_period(facts, today)
    if period is None:
        return None
    held = _reviews_in(facts, period, today)
    if not held:
        return NOT_YET
    return met(due_for(held[0], rule), held[1] if len(held) > 1 else None)


def later_review(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Each later review within 6 months of the one before (seed 004)."""
    period = current_period(facts, today)
    if period is None:
        return None
    held = _reviews_in(facts, period, today)
    if len(held) < 2:
        return NOT_YET
    # Always the next one: holding it moves the deadline on from the new review.
    return due_for(held[-1], rule)


def part1_submitted(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Part 1 reaches CPS duty 3 working days before the forum, by 17:00 (seeds 000, 003)."""
    booking = _part1_booking(facts, today)
    if booking is None:
        return None
    return _part1_for(booking, rule, today)


def _part1_booking(facts: ChildFacts, today: dt.date):
    """The booking whose Part 1 the tracker works to: the next forum the child is booked into;
    failing that, the last one they went to."""
    if not facts.bookings:
        return None
    coming = [b for b in facts.bookings if b.forum_date >= today]
    if coming:
        return min(coming, key=lambda b: b.forum_date)
    return max(facts.bookings, key=lambda b: b.forum_date)


def _part1_for(booking, rule: RuleConfig, today: dt.date) -> Occurrence:
    submitted = booking.part1_submitted_at
    submitted_on = submitted.astimezone(LONDON).date() if submitted else None
    if submitted_on is not None and submitted_on > today:
        submitted_on = None
    return met(due_for(booking.forum_date, rule), submitted_on)


def aep_papers(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The papers for the Achieving Early Permanence Panel by 17:00 on the working day the
    authority sets before it: Wednesday for Monday, 3 working days (seed 003)."""
    panel = _next_or_last(facts.aep_panels, today)
    return _aep_for(panel, rule, today) if panel is not None else None


def _next_or_last(panels, today: dt.date):
    if not panels:
        return None
    coming = [p for p in panels if p.panel_on >= today]
    if coming:
        return min(coming, key=lambda p: p.panel_on)
    return max(panels, key=lambda p: p.panel_on)


def _aep_for(panel, rule: RuleConfig, today: dt.date) -> Occurrence:
    sent = panel.papers_sent_at
    sent_on = sent.astimezone(LONDON).date() if sent else None
    if sent_on is not None and sent_on > today:
        sent_on = None
    return met(due_for(panel.panel_on, rule), sent_on)


def aep_papers_history(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> list[Occurrence]:
    """The papers for each earlier panel other than the one the tracker works to (003)."""
    current = _next_or_last(facts.aep_panels, today)
    past = sorted(
        (p for p in facts.aep_panels if p.panel_on < today and p is not current),
        key=lambda p: p.panel_on,
    )
    return [_aep_for(p, rule, today) for p in past]


def legal_gateway_rereview(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """Pre-proceedings and section 20 cases come back to Legal Gateway every 12 weeks (004)."""
    hearings = [m for m in facts.meetings if m.kind == Meeting.LEGAL_GATEWAY and m.held_on <= today]
    if not hearings:
        return None
    last = max(hearings, key=lambda m: m.held_on)
    if facts.court_stage in {"issued", "concluded"} or last.decision == Gateway.CARE_PROCEEDINGS:
        return None  # Permanence Panels track cases in proceedings instead.
    period = current_period(facts, today)
    on_section_20 = period is not None and period.last.legal_status == SECTION_20
    if last.decision != Gateway.PRE_PROCEEDINGS and not on_section_20:
        return None
    return due_for(last.held_on, rule)


def early_permanence_panel(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """The Achieving Early Permanence Panel within 2 weeks of becoming looked after (003)."""
    period = current_period(facts, today)
    if period is None:
        return None
    panels = _held(facts.meetings, Meeting.EARLY_PERMANENCE, period.start, today)
    return met(due_for(period.start, rule), panels[0].held_on if panels else None)


def legal_gateway_after_admission(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """A child who came into care without being heard at Legal Gateway (an unplanned
    admission) is presented to the first panel after it (seed 004). A hearing within the 12
    weeks before, the panel's own review cycle, means the admission was planned."""
    period = current_period(facts, today)
    if period is None:
        return None
    hearings = sorted(m.held_on for m in facts.meetings if m.kind == Meeting.LEGAL_GATEWAY)
    planned_since = dates.add_weeks(period.start, -PLANNED_ADMISSION_WEEKS)
    if any(planned_since <= day < period.start for day in hearings):
        return None
    heard = [day for day in hearings if period.start <= day <= today]
    return met(due_for(period.start, rule), heard[0] if heard else None)


def _assessment_occurrence(item, today: dt.date) -> Occurrence:
    # The panel sets each date itself; the rule gives the warning, the owner and the default
    # the record page suggests. A completion dated after today has not happened yet.
    done = item.completed_on if item.completed_on and item.completed_on <= today else None
    return Occurrence(item.set_on, item.due_on, None, done)


def _gateway_assessments(facts: ChildFacts, today: dt.date) -> list:
    return sorted(
        (a for a in facts.assessments if a.set_on <= today), key=lambda a: (a.due_on, a.set_on)
    )


def _earliest_outstanding(items, today: dt.date) -> Occurrence | None:
    items = sorted((a for a in items if a.set_on <= today), key=lambda a: (a.due_on, a.set_on))
    if not items:
        return None
    open_ = [a for a in items if _assessment_occurrence(a, today).met_on is None]
    return _assessment_occurrence(open_[0] if open_ else items[-1], today)


def _done_before(items, current: Occurrence | None, today: dt.date) -> list[Occurrence]:
    done = [_assessment_occurrence(a, today) for a in items if a.set_on <= today]
    done = sorted((o for o in done if o.met_on is not None), key=lambda o: (o.due, o.anchor_on))
    if current is not None and current in done:
        done.remove(current)
    return done


def panel_action(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Each action Permanence Panel agreed is done by its due date; the Permanence Coordinator
    follows them up (seed 004): the tracker works to the earliest not yet done."""
    return _earliest_outstanding(facts.panel_actions, today)


def panel_action_history(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> list[Occurrence]:
    """The panel's actions already done, other than the one the tracker works to (004)."""
    return _done_before(facts.panel_actions, panel_action(facts, rule, today), today)


def gateway_assessment(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Each assessment the Legal Gateway Panel asked for is complete by the date the panel set
    (seed 004): the tracker works to the earliest not yet complete."""
    items = _gateway_assessments(facts, today)
    if not items:
        return None
    open_ = [a for a in items if _assessment_occurrence(a, today).met_on is None]
    return _assessment_occurrence(open_[0] if open_ else items[-1], today)


def gateway_assessment_history(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> list[Occurrence]:
    """The assessments already complete, other than the one the tracker works to (004)."""
    current = gateway_assessment(facts, rule, today)
    done = [_assessment_occurrence(a, today) for a in _gateway_assessments(facts, today)]
    done = [o for o in done if o.met_on is not None]
    if current is not None and current in done:
        done.remove(current)
    return done


def ppn1_completed(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The IRO completes PPN1 straight after the second review (002 §7): within 5 working days,
    a default of ours the administrator may change."""
    period = current_period(facts, today)
    if period is None:
        return None
    held = _reviews_in(facts, period, today)
    if len(held) < 2:
        return None
    second = held[1]
    return met(due_for(second, rule), _first_on_or_after(facts.ppn1s, second, today))


def _achieved_by(facts: ChildFacts, since: dt.date, today: dt.date) -> dt.date | None:
    return min((d for d in facts.plans_achieved if since <= d <= today), default=None)


def _ppm_instances(facts, period, rule, today) -> list[Occurrence]:
    """Each Permanency Planning Meeting held is followed by the next within a month, until the
    plan is achieved (002 §8): each meeting meets the one due before it."""
    until = _held_until(period, today)
    held = [
        m.held_on for m in _held(facts.meetings, Meeting.PERMANENCY_PLANNING, period.start, until)
    ]
    achieved = _achieved_by(facts, period.start, today)
    out = []
    for k, day in enumerate(held):
        if achieved is not None and achieved <= day:
            break
        later = held[k + 1] if k + 1 < len(held) else None
        if achieved is not None and (later is None or achieved < later):
            later = achieved  # The plan achieved: no more meetings are due.
        out.append(met(due_for(day, rule), later))
    return out


def ppm_monthly(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The next Permanency Planning Meeting a month after the last, until the plan is achieved
    (002 §8)."""
    period = current_period(facts, today)
    if period is None:
        return None
    found = _ppm_instances(facts, period, rule, today)
    return found[-1] if found else None


def first_ppm(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The first permanency planning meeting within 6 weeks of the early panel (seed 003)."""
    period = current_period(facts, today)
    if period is None:
        return None
    panels = _held(facts.meetings, Meeting.EARLY_PERMANENCE, period.start, today)
    if not panels:
        return NOT_YET
    anchor = panels[0].held_on
    meetings = _held(facts.meetings, Meeting.PERMANENCY_PLANNING, anchor, today)
    return met(due_for(anchor, rule), meetings[0].held_on if meetings else None)


def care_planning_meeting(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Care planning meetings at least every 6 weeks while in care, the first counted from
    becoming looked after (seed 004)."""
    period = current_period(facts, today)
    if period is None:
        return None
    held = _held(facts.meetings, Meeting.CARE_PLANNING, period.start, today)
    return due_for(held[-1].held_on if held else period.start, rule)


def sgo_referral(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The SGO referral goes to the SGO team within 5 working days of the review (seed 003)."""
    period = current_period(facts, today)
    if period is None:
        return None
    recommending = [
        r.held_on for r in facts.reviews if r.recommends_sgo and period.start <= r.held_on <= today
    ]
    if not recommending:
        return None
    anchor = max(recommending)
    return met(due_for(anchor, rule), _first_on_or_after(facts.sgo_referrals, anchor, today))


def sgo_made(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """A special guardianship order within 12 months of a connected-person placement (000)."""
    period = latest_period(facts, today)
    if period is None:
        return None
    run = _connected_run(period)
    if run is None:
        return None
    start, last = run
    if period.is_open:
        return due_for(start, rule)
    if last.rec in SGO_REASONS:
        return met(due_for(start, rule), last.dec)
    return None  # Left care some other way: the deadline no longer applies.


def connected_person_approval(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """A connected person's temporary approval lasts 16 weeks, extendable once by up to 8
    (CPPCR 2010 regs 24-25); by then the carers are approved or the child moves on."""
    period = latest_period(facts, today)
    if period is None:
        return None
    # The latest run of connected-person placements in the period, ended or not.
    episodes = period.episodes
    end = len(episodes)
    while end and episodes[end - 1].place not in CONNECTED_PLACEMENTS:
        end -= 1
    if not end:
        return None
    begin = end
    while begin and episodes[begin - 1].place in CONNECTED_PLACEMENTS:
        begin -= 1
    run = episodes[begin:end]
    start = run[0].decom
    approvals = [a for a in facts.connected_approvals if a.placed_on == start]
    approval = approvals[-1] if approvals else None
    # Extended once by what the nominated officer agreed, in weeks (reg 25).
    weeks = approval.extension if approval else 0
    occurrence = due_for(start, rule, extension=dates.Offset(weeks, "weeks") if weeks else None)
    resolved = []
    if approval and approval.resolved_on and approval.resolved_on <= today:
        resolved.append(approval.resolved_on)
    # Moving to long-term fostering (U1) or fostering for adoption (U2) with them needs the
    # carers' full approval, so the temporary approval has been resolved by then.
    resolved += [e.decom for e in run if e.place in APPROVED_CONNECTED_PLACEMENTS]
    if end < len(episodes):
        resolved.append(episodes[end].decom)  # the child moved on from the connected person
    elif not period.is_open:
        resolved.append(run[-1].dec)  # or left care
    return met(occurrence, min(resolved) if resolved else None)


def supervision_order_ends(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """A supervision order lasts a year, extendable by the court to three years in all, and
    never past the child's 18th birthday (001 §3.2): by its end the order is extended or
    ends."""
    orders = [o for o in facts.supervision_orders if o.made_on <= today]
    if not orders:
        return None
    order = orders[-1]
    months = order.extension_months
    occurrence = due_for(
        order.made_on, rule, extension=dates.Offset(months, "months") if months else None
    )
    if order.born is not None:
        adult = dates.add_months(order.born, ADULT_AGE_MONTHS)
        if occurrence.due > adult:
            occurrence = Occurrence(order.made_on, adult)
    ended = order.ended_on if order.ended_on and order.ended_on <= today else None
    return met(occurrence, ended)


def family_finding_allocated(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """Once the plan is ratified, someone is allocated to take it forward: a family finder, an
    SGO assessing worker or the carers' supervising social worker (000, 003; the timescale is
    ours). Met by the first allocation still in place on or after the ratification (one made
    under an earlier version of the plan counts from the day this version was ratified)."""
    plans = [p for p in facts.finding_plans if p.ratified_on <= today]
    if not plans:
        return None
    plan = max(plans, key=lambda p: p.ratified_on)
    anchor = plan.ratified_on
    allocated = [
        max(a.allocated_on, anchor)
        for a in facts.finding_allocations
        if a.allocated_on <= today and (a.ended_on is None or a.ended_on >= anchor)
    ]
    if not allocated and plan.achieved:
        return None  # achieved without anyone allocated (recorded before the rule): not owed
    return met(due_for(anchor, rule), min(allocated) if allocated else None)


def _latest_disruption(facts: ChildFacts, today: dt.date):
    known = [d for d in facts.disruptions if d.disrupted_on <= today]
    return max(known, key=lambda d: d.disrupted_on) if known else None


def urgent_foster_carer_review(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> Occurrence | None:
    """An urgent foster carer review within 2 weeks of a long-term placement disruption (000)."""
    disruption = _latest_disruption(facts, today)
    if disruption is None:
        return None
    held = disruption.carer_review_held_on
    return met(
        due_for(disruption.disrupted_on, rule),
        held if held and disruption.disrupted_on <= held <= today else None,
    )


def carer_fee(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The carer's fee continues 2 weeks after a disruption, extendable once by 2 (000)."""
    disruption = _latest_disruption(facts, today)
    if disruption is None:
        return None
    decided = disruption.fee_decided_on
    return met(
        due_for(disruption.disrupted_on, rule, extended=disruption.fee_extended),
        decided if decided and disruption.disrupted_on <= decided <= today else None,
    )


def red_plan_panel(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """A plan rated red, at Permanence Panel or at a care planning meeting, comes back to
    Permanence Panel within 4 weeks, counted from the last red rating at either (seed 004)."""
    rating = (Meeting.PERMANENCE_PANEL, Meeting.CARE_PLANNING)
    reds = [m for m in facts.meetings if m.kind in rating and m.rag == RED and m.held_on <= today]
    if not reds:
        return None
    last = max(reds, key=lambda m: (m.held_on, m.kind == Meeting.PERMANENCE_PANEL))
    # A panel the same day as a care planning meeting's red looks at that plan; a panel's own
    # red is met only by a later sitting.
    later = [
        m.held_on
        for m in facts.meetings
        if m.kind == Meeting.PERMANENCE_PANEL
        and (m.held_on > last.held_on or (m.held_on == last.held_on and last.kind != m.kind))
        and m.held_on <= today
    ]
    return met(due_for(last.held_on, rule), min(later, default=None))


def _proceedings_checkin(
    facts: ChildFacts, rule: RuleConfig, today: dt.date, *, which: int
) -> Occurrence | None:
    decisions = [
        m.held_on
        for m in facts.meetings
        if m.kind == Meeting.LEGAL_GATEWAY
        and m.decision == Gateway.CARE_PROCEEDINGS
        and m.held_on <= today
    ]
    if not decisions:
        return None
    anchor = max(decisions)
    occurrence = due_for(anchor, rule)
    panels = sorted(
        m.held_on
        for m in facts.meetings
        if m.kind == Meeting.PERMANENCE_PANEL and anchor < m.held_on <= today
    )
    # The first panel the case comes to after the decision meets the first check-in, the next
    # one the second: one attendance never counts twice.
    met_on = panels[which - 1] if len(panels) >= which else None
    concluded = facts.proceedings_concluded_on
    if met_on is None and concluded and concluded <= today and concluded <= occurrence.due:
        return None  # Proceedings ended before the check-in was due.
    return met(occurrence, met_on)


def proceedings_checkin_4(facts: ChildFacts, rule: RuleConfig, today: dt.date):
    """Permanence Panel 4 weeks after the Legal Gateway decision to issue (seed 004)."""
    return _proceedings_checkin(facts, rule, today, which=1)


def proceedings_checkin_14(facts: ChildFacts, rule: RuleConfig, today: dt.date):
    """Permanence Panel again 14 weeks after the decision to issue (seed 004)."""
    return _proceedings_checkin(facts, rule, today, which=2)


def proceedings_concluded(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """Care proceedings end within 26 weeks beginning with the day of issue (Children Act 1989
    s32; seed 004)."""
    issued = facts.proceedings_issued_on
    if issued is None or issued > today or facts.court_stage not in {"issued", "concluded"}:
        return None
    concluded = facts.proceedings_concluded_on
    return met(due_for(issued, rule), concluded if concluded and concluded <= today else None)


def _matching_paper(facts: ChildFacts, rule: RuleConfig, today: dt.date, attr: str):
    if not facts.matchings:
        return None
    coming = [m for m in facts.matchings if m.panel_on >= today]
    panel = (
        min(coming, key=lambda m: m.panel_on)
        if coming
        else max(facts.matchings, key=lambda m: m.panel_on)
    )
    paper_on = getattr(panel, attr)
    # Current means less than the timescale old on the day of the panel: the paper's date
    # moved on by it must fall after the panel (the forums app checks the same when the
    # panel is recorded). Due by the panel itself.
    current = (
        paper_on is not None
        and paper_on <= min(panel.panel_on, today)
        and dates.apply_offset(paper_on, rule.amount, rule.unit) > panel.panel_on
    )
    return met(Occurrence(panel.panel_on, panel.panel_on), paper_on if current else None)


def form_f_current(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The carers' Form F completed or updated within 12 months before the matching panel
    (seed 000)."""
    return _matching_paper(facts, rule, today, "form_f_on")


def cpr_current(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> Occurrence | None:
    """The Child Permanence Report completed or updated within 6 months before the matching
    panel (seed 000)."""
    return _matching_paper(facts, rule, today, "cpr_on")


# --- every past instance of a deadline (issue 12) -----------------------------------------------
#
# The calculators above give the instance the tracker works to now. The functions below give the
# instances before it, oldest first, so that a child with three reviews has three review
# deadlines, each with its due date and the date it was met. A past instance that was never met
# was missed: the next one (or the end of the period of care) superseded it. Only the latest
# period of care is read; once it has ended, its instances are all past: those met, and those
# that fell due before the child left care (missed); one due after they left no longer applies.


def _held_until(period: Period, today: dt.date) -> dt.date:
    """The last day an event can count for this period: today, or the day care ended."""
    if period.is_open or period.last.dec is None:
        return today
    return min(period.last.dec, today)


def _period_history(instances):
    """The past instances of a rule counted within a period of care, from INSTANCES(facts,
    period, rule, today), which lists every instance of the period, the open one last."""

    def history(facts: ChildFacts, rule: RuleConfig, today: dt.date) -> list[Occurrence]:
        period = latest_period(facts, today)
        if period is None:
            return []
        found = instances(facts, period, rule, today)
        if period.is_open:
            return found[:-1]
        left = period.last.dec
        return [o for o in found if o.due is not None and (o.met_on is not None or o.due < left)]

    history.__doc__ = instances.__doc__
    return history


def _reviews_held(facts: ChildFacts, period: Period, today: dt.date) -> list[dt.date]:
    until = _held_until(period, today)
    return sorted(r.held_on for r in facts.reviews if period.start <= r.held_on <= until)


def _iro_instances(facts, period, rule, today) -> list[Occurrence]:
    """An IRO allocated within 5 working days of becoming looked after (seed 004)."""
    until = _held_until(period, today)
    covering = [
        max(a.allocated_on, period.start)
        for a in facts.iro_allocations
        if a.allocated_on <= until and (a.ended_on is None or a.ended_on >= period.start)
    ]
    return [met(due_for(period.start, rule), min(covering, default=None))]


def _first_review_instances(facts, period, rule, today) -> list[Occurrence]:
    """The first review within 20 working days of becoming looked after (seed 004)."""
    held = _reviews_held(facts, period, today)
    return [met(due_for(period.start, rule), held[0] if held else None)]


def _second_review_instances(facts, period, rule, today) -> list[Occurrence]:
    """The second review within 3 months of the first (seeds 000-004)."""
    held = _reviews_held(facts, period, today)
    if not held:
        return []
    return [met(due_for(held[0], rule), held[1] if len(held) > 1 else None)]


def _later_review_instances(facts, period, rule, today) -> list[Occurrence]:
    """Each later review within 6 months of the one before, from the second on (seed 004):
    each review held meets the one due and starts the next."""
    held = _reviews_held(facts, period, today)
    return [
        met(due_for(held[k], rule), held[k + 1] if k + 1 < len(held) else None)
        for k in range(1, len(held))
    ]


def _care_planning_instances(facts, period, rule, today) -> list[Occurrence]:
    """Care planning meetings every 6 weeks, the first from becoming looked after (seed 004)."""
    until = _held_until(period, today)
    held = [m.held_on for m in _held(facts.meetings, Meeting.CARE_PLANNING, period.start, until)]
    anchors = [period.start, *held]
    return [
        met(due_for(anchor, rule), anchors[k + 1] if k + 1 < len(anchors) else None)
        for k, anchor in enumerate(anchors)
    ]


iro_allocated_history = _period_history(_iro_instances)
first_review_history = _period_history(_first_review_instances)
second_review_history = _period_history(_second_review_instances)
later_review_history = _period_history(_later_review_instances)
care_planning_meeting_history = _period_history(_care_planning_instances)
ppm_monthly_history = _period_history(_ppm_instances)


def part1_submitted_history(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> list[Occurrence]:
    """Part 1 for each forum already held other than the one the tracker works to (000, 003):
    not submitted by the forum, it was missed."""
    current = _part1_booking(facts, today)
    past = sorted(
        (b for b in facts.bookings if b.forum_date < today and b is not current),
        key=lambda b: b.forum_date,
    )
    return [_part1_for(b, rule, today) for b in past]


def _on_section_20(facts: ChildFacts, day: dt.date) -> bool:
    return any(
        e.decom <= day and (e.dec is None or e.dec > day) and e.legal_status == SECTION_20
        for e in facts.episodes
    )


def legal_gateway_rereview_history(
    facts: ChildFacts, rule: RuleConfig, today: dt.date
) -> list[Occurrence]:
    """Each Legal Gateway hearing that kept a case in pre-proceedings (or on section 20) before
    the latest, met by the hearing that followed it (seed 004)."""
    hearings = sorted(
        (m for m in facts.meetings if m.kind == Meeting.LEGAL_GATEWAY and m.held_on <= today),
        key=lambda m: m.held_on,
    )
    out = []
    for k, hearing in enumerate(hearings[:-1]):
        comes_back = hearing.decision == Gateway.PRE_PROCEEDINGS or (
            hearing.decision != Gateway.CARE_PROCEEDINGS and _on_section_20(facts, hearing.held_on)
        )
        if comes_back:
            out.append(met(due_for(hearing.held_on, rule), hearings[k + 1].held_on))
    return out
