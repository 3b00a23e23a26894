"""The registry of SPEC §5: every deadline rule, the code that finds it, and the events it needs.

The numbers (how long, the warning, who owns it) live in the `DeadlineRule` table, loaded from
fixtures/timescales.json and changed by an administrator. What lives here is what cannot be
data: how each rule reads the record, and which recorded events (tracker.deadlines.sources) it
reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tracker.deadlines import calculators as c
from tracker.deadlines import sources


@dataclass(frozen=True)
class RuleSpec:
    code: str
    calculate: Callable
    # Event sources (see tracker.deadlines.sources) the rule reads beyond the child and episodes.
    needs: tuple[str, ...] = ()
    # A repeating deadline (always "the next one") counts from the rule's "tracked from" date
    # when its event is older; a one-off deadline counted from an older event is not tracked.
    repeats: bool = False
    # The instances before the current one, oldest first (see the end of calculators); a rule
    # without one keeps only the instance the calculator gives.
    history: Callable | None = None
    # A timescale that leads to permanence (a forum, a Legal Gateway meeting, a panel's papers,
    # a care planning meeting): once the plan in force is achieved it ends, and one still open
    # is no longer tracked (see tracker.deadlines.engine). The statutory ones go on while the
    # child is looked after, and so do those about carers and orders that outlast the plan.
    ends_when_achieved: bool = True


SPECS: tuple[RuleSpec, ...] = (
    RuleSpec(
        "iro_allocated",
        c.iro_allocated,
        (sources.IRO_ALLOCATIONS,),
        history=c.iro_allocated_history,
        ends_when_achieved=False,
    ),
    RuleSpec(
        "first_review",
        c.first_review,
        (sources.REVIEWS,),
        history=c.first_review_history,
        ends_when_achieved=False,
    ),
    RuleSpec(
        "second_review",
        c.second_review,
        (sources.REVIEWS,),
        history=c.second_review_history,
        ends_when_achieved=False,
    ),
    RuleSpec(
        "later_review",
        c.later_review,
        (sources.REVIEWS,),
        repeats=True,
        history=c.later_review_history,
        ends_when_achieved=False,
    ),
    RuleSpec(
        "part1_submitted",
        c.part1_submitted,
        (sources.FORUM_BOOKINGS,),
        history=c.part1_submitted_history,
    ),
    RuleSpec(
        "legal_gateway_rereview",
        c.legal_gateway_rereview,
        (sources.LEGAL_GATEWAY,),
        repeats=True,
        history=c.legal_gateway_rereview_history,
    ),
    RuleSpec(
        "legal_gateway_after_admission",
        c.legal_gateway_after_admission,
        (sources.LEGAL_GATEWAY,),
    ),
    RuleSpec(
        "gateway_assessment",
        c.gateway_assessment,
        (sources.GATEWAY_ASSESSMENTS,),
        history=c.gateway_assessment_history,
    ),
    RuleSpec("ppn1_completed", c.ppn1_completed, (sources.REVIEWS, sources.PPN1S)),
    RuleSpec(
        "ppm_monthly",
        c.ppm_monthly,
        (sources.PERMANENCY_PLANNING,),
        repeats=True,
        history=c.ppm_monthly_history,
    ),
    RuleSpec(
        "aep_papers",
        c.aep_papers,
        (sources.EARLY_PERMANENCE,),
        history=c.aep_papers_history,
    ),
    RuleSpec(
        "panel_action",
        c.panel_action,
        (sources.PANEL_ACTIONS,),
        history=c.panel_action_history,
    ),
    RuleSpec("early_permanence_panel", c.early_permanence_panel, (sources.EARLY_PERMANENCE,)),
    RuleSpec("first_ppm", c.first_ppm, (sources.EARLY_PERMANENCE, sources.PERMANENCY_PLANNING)),
    RuleSpec(
        "care_planning_meeting",
        c.care_planning_meeting,
        (sources.CARE_PLANNING,),
        repeats=True,
        history=c.care_planning_meeting_history,
    ),
    RuleSpec("sgo_referral", c.sgo_referral, (sources.SGO_RECOMMENDATIONS, sources.SGO_REFERRALS)),
    RuleSpec("sgo_made", c.sgo_made),
    RuleSpec(
        "urgent_foster_carer_review",
        c.urgent_foster_carer_review,
        (sources.DISRUPTIONS,),
        ends_when_achieved=False,
    ),
    RuleSpec("carer_fee", c.carer_fee, (sources.DISRUPTIONS,), ends_when_achieved=False),
    RuleSpec("red_plan_panel", c.red_plan_panel, (sources.PERMANENCE_PANEL,)),
    RuleSpec(
        "proceedings_checkin_4",
        c.proceedings_checkin_4,
        (sources.LEGAL_GATEWAY, sources.PERMANENCE_PANEL),
    ),
    RuleSpec(
        "proceedings_checkin_14",
        c.proceedings_checkin_14,
        (sources.LEGAL_GATEWAY, sources.PERMANENCE_PANEL),
    ),
    RuleSpec("proceedings_concluded", c.proceedings_concluded, ends_when_achieved=False),
    RuleSpec("connected_person_approval", c.connected_person_approval, ends_when_achieved=False),
    RuleSpec("supervision_order_ends", c.supervision_order_ends, ends_when_achieved=False),
    RuleSpec("form_f_current", c.form_f_current, (sources.MATCHING,)),
    RuleSpec("cpr_current", c.cpr_current, (sources.MATCHING,)),
    RuleSpec(
        "family_finding_allocated",
        c.family_finding_allocated,
        (sources.FAMILY_FINDING,),
    ),
)

BY_CODE: dict[str, RuleSpec] = {spec.code: spec for spec in SPECS}


def spec_for(code: str) -> RuleSpec | None:
    return BY_CODE.get(code)


def ends_when_achieved(code: str) -> bool:
    """Whether the rule's timescale ends once the plan in force is achieved."""
    spec = BY_CODE.get(code)
    return spec is not None and spec.ends_when_achieved


# Each rule's deadline as the subject of a sentence, for alert titles: "Part 1 for DEMO0024 is
# overdue" (issue 16). A rule missing here is called by its name.
ALERT_TITLES: dict[str, str] = {
    "iro_allocated": "Allocating an IRO",
    "first_review": "The first looked-after review",
    "second_review": "The second looked-after review",
    "later_review": "The next looked-after review",
    "part1_submitted": "Part 1",
    "legal_gateway_rereview": "The Legal Gateway re-review",
    "legal_gateway_after_admission": "Presenting the admission to Legal Gateway",
    "gateway_assessment": "The Legal Gateway assessment",
    "ppn1_completed": "The PPN1",
    "ppm_monthly": "The next permanency planning meeting",
    "aep_papers": "The papers for the Achieving Early Permanence Panel",
    "panel_action": "A Permanence Panel action",
    "early_permanence_panel": "The Achieving Early Permanence Panel",
    "first_ppm": "The first permanency planning meeting",
    "care_planning_meeting": "The care planning meeting",
    "sgo_referral": "The SGO referral",
    "sgo_made": "The special guardianship order",
    "urgent_foster_carer_review": "The urgent foster carer review",
    "carer_fee": "The decision on the carer's fee",
    "red_plan_panel": "The red plan's return to Permanence Panel",
    "proceedings_checkin_4": "The 4-week proceedings check-in",
    "proceedings_checkin_14": "The 14-week proceedings check-in",
    "proceedings_concluded": "Concluding the care proceedings",
    "connected_person_approval": "The connected carers' full approval",
    "form_f_current": "An up-to-date Form F",
    "cpr_current": "An up-to-date Child Permanence Report",
    "supervision_order_ends": "The end of the supervision order",
    "family_finding_allocated": "Allocating someone to take the plan forward",
}


def alert_title(code: str, name: str) -> str:
    """The rule's deadline as the subject of a sentence ("Part 1")."""
    return ALERT_TITLES.get(code) or name
