"""The next thing the procedures require for a child, and why the row is red, in words (issue 16):
a table over every plan status and situation, read from the stored row alone."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from permanence.models.plans import Route, Status
from tracker.dashboard.next_step import ACTIONS, next_step, next_step_text, why_red
from tracker.reference import default_timescales

D = dt.date
TODAY = D(2026, 3, 2)
SECOND_DUE = D(2026, 3, 20)


def rule(code):
    return SimpleNamespace(code=code, name=code.replace("_", " ").capitalize())


def row(**values):
    base = {
        "first_name": "Ava",
        "period_start": D(2025, 12, 1),
        "period_end": None,
        "plan_status": "",
        "route": "",
        "first_ratified_on": None,
        "achieved_on": None,
        "next_rule": None,
        "next_due": None,
        "next_status": "",
        "second_review_due": None,
        "second_review_held_on": None,
        "computed_rag": "green",
        "computed_reason": "",
        "panel_rag": "",
        "panel_on": None,
        "rag": "green",
        "placement_order_on": None,
        "match_decided_on": None,
        "placed_for_adoption_on": None,
        "adopted_on": None,
    }
    base.update(values)
    return SimpleNamespace(**base)


RATIFIED = {"plan_status": Status.RATIFIED, "first_ratified_on": D(2026, 2, 1)}

CASES = [
    # (situation, row values, the words the next step says)
    (
        "no plan, second review to come",
        {"second_review_due": SECOND_DUE},
        ("Draft the plan: it must be ready for the second review on 20 March 2026"),
    ),
    (
        "no plan, first review not held yet",
        {},
        ("Draft the plan: it must be ready for the second review"),
    ),
    (
        "draft plan",
        {"plan_status": Status.DRAFT, "second_review_due": SECOND_DUE},
        ("Book a forum: the plan must be ready for the second review on 20 March 2026"),
    ),
    (
        "presented at the forum",
        {"plan_status": Status.PRESENTED, "second_review_due": SECOND_DUE},
        ("Book the second review by 20 March 2026: the IRO ratifies the plan there"),
    ),
    (
        "presented, first review not held",
        {"plan_status": Status.PRESENTED},
        ("Have the plan ratified at the second review"),
    ),
    (
        "second review held, plan not ratified",
        {
            "plan_status": Status.PRESENTED,
            "second_review_due": SECOND_DUE,
            "second_review_held_on": D(2026, 2, 27),
        },
        "Have the plan ratified at a further review: the plan was not ratified at the second "
        "review on 27 February 2026",
    ),
    (
        "second review held, still no plan",
        {"second_review_due": SECOND_DUE, "second_review_held_on": D(2026, 2, 27)},
        "Draft the plan now and have it ratified at a further review",
    ),
    (
        "ratified, then a changed version waits",
        {
            "plan_status": Status.DRAFT,
            "first_ratified_on": D(2026, 2, 27),
            "second_review_due": SECOND_DUE,
            "second_review_held_on": D(2026, 2, 27),
        },
        "Have the plan ratified at a further review: the changed plan is waiting to be ratified",
    ),
    (
        "disrupted after the second review",
        {
            "plan_status": Status.DISRUPTED,
            "second_review_due": SECOND_DUE,
            "second_review_held_on": D(2026, 2, 27),
        },
        "Draft a new plan and take it to a review to be ratified: the plan disrupted",
    ),
    (
        "disrupted before the second review",
        {"plan_status": Status.DISRUPTED},
        ("Draft a new plan: the plan disrupted"),
    ),
    (
        "adoption, no placement order",
        {**RATIFIED, "route": Route.ADOPTION},
        ("Record the placement order"),
    ),
    (
        "adoption, order made, no match",
        {**RATIFIED, "route": Route.ADOPTION, "placement_order_on": D(2026, 2, 1)},
        "Find a match: take the adopters to the matching panel",
    ),
    (
        "adoption, matched",
        {
            **RATIFIED,
            "plan_status": Status.IN_IMPLEMENTATION,
            "route": Route.ADOPTION,
            "placement_order_on": D(2026, 2, 1),
            "match_decided_on": D(2026, 2, 20),
        },
        "Place Ava with the adopters",
    ),
    (
        "adoption, placed",
        {
            **RATIFIED,
            "route": Route.ADOPTION,
            "placement_order_on": D(2026, 2, 1),
            "match_decided_on": D(2026, 2, 20),
            "placed_for_adoption_on": D(2026, 2, 25),
        },
        "Record the adoption order",
    ),
    (
        "long-term fostering, no match",
        {**RATIFIED, "route": Route.LONG_TERM_FOSTERING},
        ("Find a match: take the long-term foster carers to the matching panel"),
    ),
    (
        "long-term fostering, matched",
        {**RATIFIED, "route": Route.LONG_TERM_FOSTERING, "match_decided_on": D(2026, 2, 1)},
        "Confirm the long-term foster placement",
    ),
    (
        "special guardianship",
        {**RATIFIED, "route": Route.SGO_CAO},
        ("Record the special guardianship or child arrangements order"),
    ),
    ("return home", {**RATIFIED, "route": Route.RETURN_HOME}, "Carry out the plan: return home"),
    ("connected person", {**RATIFIED, "route": Route.CONNECTED_PERSON}, "family or friends"),
    ("residential", {**RATIFIED, "route": Route.RESIDENTIAL}, "long-term residential care"),
    ("pathway plan", {**RATIFIED, "route": Route.PATHWAY_PLAN}, "Keep the pathway plan"),
    (
        "achieved",
        {**RATIFIED, "plan_status": Status.ACHIEVED, "achieved_on": D(2026, 2, 1)},
        "Nothing more the plan requires: permanence achieved on 1 February 2026",
    ),
    (
        "an overdue deadline comes before the plan",
        {
            "plan_status": Status.DRAFT,
            "next_rule": rule("iro_allocated"),
            "next_due": D(2026, 2, 1),
            "next_status": "overdue",
        },
        "Allocate an IRO: it was due on 1 February 2026",
    ),
    (
        "the second review overdue",
        {
            "plan_status": Status.PRESENTED,
            "second_review_due": D(2026, 2, 20),
            "next_rule": rule("second_review"),
            "next_due": D(2026, 2, 20),
            "next_status": "overdue",
        },
        "Hold the second looked-after review: it was due on 20 February 2026",
    ),
    (
        "a plan not ratified at the review comes before an overdue local timescale",
        {
            "plan_status": Status.PRESENTED,
            "second_review_due": SECOND_DUE,
            "second_review_held_on": D(2026, 2, 27),
            "next_rule": rule("aep_papers"),
            "next_due": D(2025, 6, 1),
            "next_status": "overdue",
        },
        "Have the plan ratified at a further review",
    ),
    (
        "an overdue local timescale comes before the plan's own step",
        {
            "plan_status": Status.DRAFT,
            "next_rule": rule("care_planning_meeting"),
            "next_due": D(2026, 2, 1),
            "next_status": "overdue",
        },
        "Hold the care planning meeting: it was due on 1 February 2026",
    ),
    (
        "permanence achieved: an old local timescale is not the next step",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "achieved_on": D(2026, 2, 20),
            "next_rule": rule("legal_gateway_after_admission"),
            "next_due": D(2023, 8, 1),
            "next_status": "overdue",
        },
        "Nothing more the plan requires: permanence achieved on 20 February 2026",
    ),
    (
        "permanence achieved: an overdue statutory review still comes first",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "next_rule": rule("later_review"),
            "next_due": D(2026, 2, 1),
            "next_status": "overdue",
        },
        "Hold the next looked-after review: it was due on 1 February 2026",
    ),
    (
        "permanence achieved: a statutory review due soon is the next step",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "achieved_on": D(2026, 2, 20),
            "next_rule": rule("later_review"),
            "next_due": D(2026, 3, 4),
            "next_status": "due_soon",
        },
        "Hold the next looked-after review: it is due on 4 March 2026 (permanence achieved on "
        "20 February 2026)",
    ),
    (
        "permanence achieved: a supervision order's end, overdue, goes on after it",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "achieved_on": D(2026, 2, 20),
            "next_rule": rule("supervision_order_ends"),
            "next_due": D(2026, 2, 2),
            "next_status": "overdue",
        },
        "Decide whether to ask the court to extend the supervision order: it was due on "
        "2 February 2026 (permanence achieved on 20 February 2026)",
    ),
    (
        "permanence achieved: a forum's timescale left over is not the next step",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "achieved_on": D(2026, 2, 20),
            "next_rule": rule("part1_submitted"),
            "next_due": D(2026, 2, 2),
            "next_status": "overdue",
        },
        "Nothing more the plan requires: permanence achieved on 20 February 2026",
    ),
    (
        "the second review overdue behind an older local timescale",
        {
            "plan_status": Status.PRESENTED,
            "second_review_due": D(2026, 2, 20),
            "next_rule": rule("aep_papers"),
            "next_due": D(2025, 6, 1),
            "next_status": "overdue",
        },
        "Hold the second looked-after review and ratify the plan there: it was due on "
        "20 February 2026",
    ),
    (
        "achieved once, then disrupted: back to planning, not achieved",
        {
            "plan_status": Status.DISRUPTED,
            "first_ratified_on": D(2024, 1, 1),
            "achieved_on": D(2024, 3, 29),
            "second_review_due": D(2023, 12, 1),
            "second_review_held_on": D(2023, 12, 1),
        },
        "Draft a new plan and take it to a review to be ratified: the plan disrupted",
    ),
    (
        "left care in permanence with no plan here",
        {"period_end": D(2025, 1, 1), "achieved_on": D(2025, 1, 1)},
        "Nothing more the plan requires: permanence achieved on 1 January 2025",
    ),
    (
        "a deadline due soon comes before the plan's own step",
        {
            "plan_status": Status.DRAFT,
            "next_rule": rule("part1_submitted"),
            "next_due": D(2026, 3, 4),
            "next_status": "due_soon",
        },
        "Send Part 1 to CPS duty: it is due on 4 March 2026",
    ),
    (
        "back in care since permanence was achieved: the new period's step, not 'nothing more'",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "achieved_on": D(2025, 1, 1),  # before this period of care began (1 December 2025)
            "next_rule": rule("legal_gateway_after_admission"),
            "next_due": D(2025, 12, 8),
            "next_status": "overdue",
        },
        "Present the admission to the Legal Gateway Panel: it was due on 8 December 2025",
    ),
    (
        "an upcoming deadline after the plan's step is done",
        {
            **RATIFIED,
            "plan_status": Status.ACHIEVED,
            "next_rule": rule("later_review"),
            "next_due": D(2026, 6, 1),
            "next_status": "upcoming",
        },
        "Nothing more the plan requires",
    ),
    (
        "not looked after, an upcoming deadline",
        {
            "period_end": D(2026, 1, 1),
            "next_rule": rule("sgo_made"),
            "next_due": D(2026, 6, 1),
            "next_status": "upcoming",
        },
        "Next: secure the special guardianship order by 1 June 2026",
    ),
    ("not looked after, nothing due", {"period_start": None}, "Nothing due: not looked after now"),
]


@pytest.mark.parametrize(("values", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_next_step(values, words):
    assert words in next_step_text(row(**values), TODAY)


def test_every_plan_status_has_a_step():
    for status in [s for s in Status.values if s != Status.SUPERSEDED] + [""]:
        text = next_step_text(row(plan_status=status, route=Route.ADOPTION), TODAY)
        assert text and text != "Nothing due now", status


def test_every_rule_has_an_action():
    codes = {r["code"] for r in default_timescales()}
    assert set(ACTIONS) <= codes  # no action for a rule that does not exist
    # Every rule has its own instruction: "Meet the deadline: Plan allocated to be taken
    # forward: it was due on …" read as a code name, not a step.
    assert codes == set(ACTIONS)


RED_CASES = [
    ("green", {}, ""),
    (
        "plan not ratified at the review",
        {
            "rag": "red",
            "computed_rag": "red",
            "computed_reason": "The plan was not ratified at the second review on 27 February 2026",
        },
        "Red because the plan was not ratified at the second review on 27 February 2026.",
    ),
    (
        "review due, no plan",
        {
            "rag": "red",
            "computed_rag": "red",
            "computed_reason": "Statutory deadline overdue: Second looked-after review; "
            "The second review was due on 20 Feb 2026 and no plan is ratified",
        },
        "Red because a statutory deadline is overdue: Second looked-after review; and the second "
        "review was due on 20 Feb 2026 and no plan is ratified.",
    ),
    (
        "two statutory deadlines",
        {
            "rag": "red",
            "computed_rag": "red",
            "computed_reason": "Statutory deadline overdue: First looked-after review, "
            "IRO allocated",
        },
        "Red because these statutory deadlines are overdue: First looked-after review, IRO "
        "allocated.",
    ),
    (
        "the panel's rating",
        {"rag": "red", "computed_rag": "amber", "panel_rag": "red", "panel_on": D(2026, 2, 3)},
        "Red because the Permanence Panel rated the plan red on 3 February 2026.",
    ),
    (
        "panel rated green over red rules: not red",
        {"rag": "green", "computed_rag": "red", "computed_reason": "x", "panel_rag": "green"},
        "",
    ),
]


@pytest.mark.parametrize(
    ("values", "words"), [c[1:] for c in RED_CASES], ids=[c[0] for c in RED_CASES]
)
def test_why_red(values, words):
    assert why_red(row(**values)) == words


def test_next_step_carries_both():
    step = next_step(
        row(rag="red", computed_rag="red", computed_reason="The plan was not ratified"), TODAY
    )
    assert step.why_red == "Red because the plan was not ratified."
    assert step.text
