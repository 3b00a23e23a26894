"""The tracker's RAG rating (SPEC §6; seed 004 "each child's plan is RAG rated"): pure functions.

Red: a statutory deadline is overdue, or the plan was not ratified at the second review (000, 001,
002 §6, 004: a plan by the second review). The second review's deadline is met when the review is
held, whatever it decided; whether the plan was ratified there is this second, separate rule, in
its own words, so that "Second looked-after review: met" never stands beside a reason that says
the review is still due (issue 16). The plan rule applies once the second review has been held,
or once its due date has passed without it. Amber: a deadline is due soon, or a local
(non-statutory) timescale is overdue. Green otherwise. The latest Permanence Panel may
override it with a reason (004); the override is shown beside the computed rating, never instead
of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from permanence.models.plans import Status
from tracker.dashboard.models import RAG_RANK, Rag
from tracker.models import Deadline

# Timescales set by statute or statutory guidance, as opposed to the local procedures:
# IRO appointment (Children Act 1989 s25A; IRO Handbook), the looked-after reviews (Care
# Planning, Placement and Case Review (England) Regulations 2010 reg 33), care proceedings within
# 26 weeks (Children Act 1989 s32) and a connected person's temporary approval (regs 24-25).
STATUTORY_RULES = frozenset(
    {
        "iro_allocated",
        "first_review",
        "second_review",
        "later_review",
        "proceedings_concluded",
        "connected_person_approval",
    }
)
SECOND_REVIEW = "second_review"

# A plan in these states has been ratified and is in force; a disrupted plan is back to
# planning, and a new version waits for its own ratification (SPEC §3).
RATIFIED_IN_FORCE = frozenset({Status.RATIFIED, Status.IN_IMPLEMENTATION, Status.ACHIEVED})

REASON_LENGTH = 300
# How the stored reason names overdue statutory deadlines (read back by `next_step.why_red`).
STATUTORY_OVERDUE = "Statutory deadline overdue: "


@dataclass(frozen=True, slots=True)
class DeadlineState:
    """One stored deadline as the RAG rules read it."""

    code: str
    name: str
    due: dt.date | None
    status: str
    met_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RagResult:
    rag: str
    reason: str


def _names(deadlines: Iterable[DeadlineState]) -> str:
    return ", ".join(sorted({d.name for d in deadlines}))


def _clip(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plan_not_ratified(
    *,
    looked_after: bool,
    plan_status: str,
    second_due: dt.date | None,
    second_held: dt.date | None,
    first_ratified: dt.date | None = None,
    today: dt.date,
) -> str:
    """Why the child has no plan in force that the second review ratified, in the words a
    manager reads after "Red because" (seeds 000-004: a plan by the second review); "" when
    the rule is met or does not apply yet.

    The rule applies once the second review has been held (it is where the IRO ratifies the
    plan) or once its due date has passed without it being held."""
    if not looked_after or plan_status in RATIFIED_IN_FORCE:
        return ""
    if second_held is None and (second_due is None or today <= second_due):
        return ""
    if plan_status == Status.DISRUPTED:
        return "the plan disrupted and no new plan is ratified"
    if first_ratified is not None:
        return "the changed plan is waiting to be ratified"
    if second_held is not None:
        return f"the plan was not ratified at the second review on {_day(second_held)}"
    return f"the second review was due on {_day(second_due)} and no plan is ratified"


def computed_rag(
    *,
    deadlines: Iterable[DeadlineState],
    looked_after: bool,
    plan_status: str,
    today: dt.date,
    first_ratified: dt.date | None = None,
) -> RagResult:
    """The RAG the rules give, with the reason a manager would read (SPEC §6, seed 004)."""
    deadlines = list(deadlines)
    overdue = [d for d in deadlines if d.status == Deadline.Status.OVERDUE]
    statutory = [d for d in overdue if d.code in STATUTORY_RULES]
    reasons: list[str] = []
    if statutory:
        reasons.append(f"{STATUTORY_OVERDUE}{_names(statutory)}")
    second = next((d for d in deadlines if d.code == SECOND_REVIEW and d.due), None)
    gap = plan_not_ratified(
        looked_after=looked_after,
        plan_status=plan_status,
        second_due=second.due if second else None,
        second_held=second.met_on if second and second.status == Deadline.Status.MET else None,
        first_ratified=first_ratified,
        today=today,
    )
    if gap:
        reasons.append(gap[:1].upper() + gap[1:])
    if reasons:
        return RagResult(Rag.RED, _clip("; ".join(reasons)))
    local = [d for d in overdue if d.code not in STATUTORY_RULES]
    soon = [d for d in deadlines if d.status == Deadline.Status.DUE_SOON]
    if local:
        reasons.append(f"Overdue: {_names(local)}")
    if soon:
        reasons.append(f"Due soon: {_names(soon)}")
    if reasons:
        return RagResult(Rag.AMBER, _clip("; ".join(reasons)))
    return RagResult(Rag.GREEN, "")


def effective_rag(computed: str, panel: str) -> str:
    """The Permanence Panel's rating when it has rated the plan, else the computed one (004)."""
    return panel or computed


def rag_rank(rag: str) -> int:
    return RAG_RANK.get(rag, len(RAG_RANK))
