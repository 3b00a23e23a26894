"""The next thing the procedures require for a child, and why the child's row is red, in words
(issue 16; seeds 000-004, SPEC §5-§6).

Pure functions of the stored tracker row (`TrackerRow`): no query of their own, so the caseload
and the dashboard say it for a whole page of children at the cost of reading the rows. The order
is the procedures' urgency: an overdue statutory deadline first, then (unless permanence is
achieved) a plan that should have been ratified at the second review, then any other overdue
deadline, then a deadline due soon, then the plan's own next step (draft
it, take it to the forum, have it ratified at the second review, then carry out its route), then
the next deadline to come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from permanence.models.plans import Route, Status
from tracker.dashboard.models import Rag
from tracker.dashboard.rag import STATUTORY_OVERDUE, STATUTORY_RULES, plan_not_ratified
from tracker.deadlines.calculators import achieved_in_period
from tracker.deadlines.registry import ends_when_achieved
from tracker.models import Deadline

# What to do to meet each rule's deadline, as an instruction (the rule codes of the registry).
ACTIONS = {
    "iro_allocated": "Allocate an IRO",
    "first_review": "Hold the first looked-after review",
    "second_review": "Hold the second looked-after review",
    "later_review": "Hold the next looked-after review",
    "part1_submitted": "Send Part 1 to CPS duty",
    "legal_gateway_rereview": "Take the case back to the Legal Gateway Panel",
    "legal_gateway_after_admission": "Present the admission to the Legal Gateway Panel",
    "gateway_assessment": "Complete the Legal Gateway assessment",
    "ppn1_completed": "Complete the PPN1",
    "ppm_monthly": "Hold the next permanency planning meeting",
    "aep_papers": "Send the papers for the Achieving Early Permanence Panel",
    "panel_action": "Complete the Permanence Panel's action",
    "early_permanence_panel": "Present the case to the Achieving Early Permanence Panel",
    "first_ppm": "Hold the first permanency planning meeting",
    "care_planning_meeting": "Hold the care planning meeting",
    "sgo_referral": "Send the SGO referral",
    "sgo_made": "Secure the special guardianship order",
    "urgent_foster_carer_review": "Hold the urgent foster carer review",
    "carer_fee": "Settle the carer's fee at the carer review",
    "red_plan_panel": "Take the red plan back to Permanence Panel",
    "proceedings_checkin_4": "Bring the case to Permanence Panel for its 4-week check-in",
    "proceedings_checkin_14": "Bring the case to Permanence Panel for its 14-week check-in",
    "proceedings_concluded": "Conclude the care proceedings",
    "connected_person_approval": "Approve the connected carers, or plan the child's move",
    "form_f_current": "Update the carers' Form F before the matching panel",
    "cpr_current": "Update the Child Permanence Report before the matching panel",
    "supervision_order_ends": "Decide whether to ask the court to extend the supervision order",
    "family_finding_allocated": "Allocate someone to take the plan forward",
}

# What carries out a ratified plan, by route (the plan's route to permanence, SPEC §3).
ROUTE_STEPS = {
    Route.RETURN_HOME: "Carry out the plan: return home, with support",
    Route.CONNECTED_PERSON: "Carry out the plan: make the placement with family or friends "
    "permanent (carers approved, an order if needed)",
    Route.SGO_CAO: "Record the special guardianship or child arrangements order",
    Route.RESIDENTIAL: "Carry out the plan: long-term residential care",
    Route.PATHWAY_PLAN: "Keep the pathway plan under review",
}
RATIFIED = frozenset({Status.RATIFIED, Status.IN_IMPLEMENTATION})


class Row(Protocol):
    """What the rules read of a tracker row (a `TrackerRow`, or anything with its fields)."""

    first_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    plan_status: str
    route: str
    first_ratified_on: dt.date | None
    achieved_on: dt.date | None
    next_rule: object | None  # a DeadlineRule: code and name
    next_due: dt.date | None
    next_status: str
    second_review_due: dt.date | None
    second_review_held_on: dt.date | None
    computed_rag: str
    computed_reason: str
    panel_rag: str
    panel_on: dt.date | None
    rag: str
    placement_order_on: dt.date | None
    match_decided_on: dt.date | None
    placed_for_adoption_on: dt.date | None
    adopted_on: dt.date | None


@dataclass(frozen=True)
class NextStep:
    text: str
    why_red: str = ""


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _action(row: Row) -> str:
    code = getattr(row.next_rule, "code", "")
    return ACTIONS.get(code) or f"Meet the deadline: {getattr(row.next_rule, 'name', '')}"


def _deadline_step(row: Row, statuses: tuple[str, ...]) -> str:
    if row.next_rule is None or row.next_due is None or row.next_status not in statuses:
        return ""
    if row.next_status == Deadline.Status.OVERDUE:
        return f"{_action(row)}: it was due on {_day(row.next_due)}"
    if row.next_status == Deadline.Status.DUE_SOON:
        return f"{_action(row)}: it is due on {_day(row.next_due)}"
    return f"Next: {_action(row)[:1].lower()}{_action(row)[1:]} by {_day(row.next_due)}"


def _looked_after(row: Row) -> bool:
    return row.period_start is not None and row.period_end is None


def _ratification_step(row: Row, today: dt.date) -> str:
    gap = plan_not_ratified(
        looked_after=_looked_after(row),
        plan_status=row.plan_status,
        second_due=row.second_review_due,
        second_held=row.second_review_held_on,
        first_ratified=row.first_ratified_on,
        today=today,
    )
    if not gap:
        return ""
    if row.second_review_held_on is None and row.second_review_due is not None:
        return (
            "Hold the second looked-after review and ratify the plan there: it was due on "
            f"{_day(row.second_review_due)}"
        )
    if row.plan_status == Status.DISRUPTED:
        return "Draft a new plan and take it to a review to be ratified: the plan disrupted"
    if not row.plan_status:
        return f"Draft the plan now and have it ratified at a further review: {gap}"
    return f"Have the plan ratified at a further review: {gap}"


def _second_review_words(row: Row) -> str:
    if row.second_review_due and not row.second_review_held_on:
        return f"the second review on {_day(row.second_review_due)}"
    return "the second review"


def _adoption_step(row: Row) -> str:
    if row.placement_order_on is None:
        return "Record the placement order"
    if row.match_decided_on is None:
        return "Find a match: take the adopters to the matching panel"
    if row.placed_for_adoption_on is None:
        return f"Place {row.first_name} with the adopters"
    return "Record the adoption order"


def _plan_step(row: Row) -> str:
    """The plan's own next step while the child is looked after."""
    status = row.plan_status
    if not status:
        return f"Draft the plan: it must be ready for {_second_review_words(row)}"
    if status == Status.DRAFT:
        return f"Book a forum: the plan must be ready for {_second_review_words(row)}"
    if status == Status.PRESENTED:
        if row.second_review_due and not row.second_review_held_on:
            return (
                f"Book the second review by {_day(row.second_review_due)}: "
                "the IRO ratifies the plan there"
            )
        return "Have the plan ratified at the second review"
    if status == Status.DISRUPTED:
        return "Draft a new plan: the plan disrupted"
    if status in RATIFIED:
        if row.route == Route.ADOPTION:
            return _adoption_step(row)
        if row.route == Route.LONG_TERM_FOSTERING:
            if row.match_decided_on is None:
                return "Find a match: take the long-term foster carers to the matching panel"
            return "Confirm the long-term foster placement"
        return ROUTE_STEPS.get(row.route, "Carry out the plan")
    return ""


def next_step_text(row: Row, today: dt.date) -> str:
    """The next thing the procedures require for the child, as an instruction."""
    overdue = _deadline_step(row, (Deadline.Status.OVERDUE,))
    if overdue and getattr(row.next_rule, "code", "") in STATUTORY_RULES:
        return overdue
    # Achieved: the plan in force says so, or the child left care in permanence with no plan
    # here. A plan achieved and then disrupted is back to planning, whatever the old date, and
    # so is a child who came back into care after it (the same rule as the deadlines').
    achieved = achieved_in_period(row.plan_status, row.achieved_on, row.period_start)
    if achieved or (row.achieved_on and not row.plan_status):
        when = f" on {_day(row.achieved_on)}" if row.achieved_on else ""
        # A deadline that goes on after permanence, overdue or due soon (the reviews of a child
        # who stays looked after, a supervision order's end), is what colours such a row: it
        # is the next step. Those that lead to permanence ended with it.
        soon = overdue or _deadline_step(row, (Deadline.Status.DUE_SOON,))
        if soon and not ends_when_achieved(getattr(row.next_rule, "code", "")):
            return f"{soon} (permanence achieved{when})"
        return f"Nothing more the plan requires: permanence achieved{when}"
    for step in (
        _ratification_step(row, today),
        overdue,
        _deadline_step(row, (Deadline.Status.DUE_SOON,)),
        _plan_step(row) if _looked_after(row) else "",
        _deadline_step(row, (Deadline.Status.UPCOMING,)),
    ):
        if step:
            return step
    if not _looked_after(row):
        return "Nothing due: not looked after now"
    return "Nothing due now"


def _because(part: str) -> str:
    if part.startswith(STATUTORY_OVERDUE):
        names = part.removeprefix(STATUTORY_OVERDUE)
        if ", " in names:
            return f"these statutory deadlines are overdue: {names}"
        return f"a statutory deadline is overdue: {names}"
    return part[:1].lower() + part[1:]


def why_red(row: Row) -> str:
    """Why the row is red, as a sentence ("Red because …"); "" when it is not red."""
    if row.rag != Rag.RED:
        return ""
    reasons = []
    if row.panel_rag == Rag.RED:
        on = f" on {_day(row.panel_on)}" if row.panel_on else ""
        reasons.append(f"the Permanence Panel rated the plan red{on}")
    if row.computed_rag == Rag.RED and row.computed_reason:
        reasons.extend(_because(part) for part in row.computed_reason.split("; "))
    if not reasons:
        return "Red."
    if len(reasons) > 1:
        reasons[-1] = "and " + reasons[-1]
    sentence = "Red because " + "; ".join(reasons)
    return sentence if sentence.endswith("…") else sentence + "."


def next_step(row: Row, today: dt.date) -> NextStep:
    return NextStep(next_step_text(row, today), why_red(row))
