"""The tracker's RAG rules (SPEC §6, seed 004): red for a statutory deadline overdue or no ratified
plan after the second review was due, amber for a deadline due soon (or a local one overdue),
green otherwise; a Permanence Panel's rating is shown instead, never lost."""

from __future__ import annotations

import datetime as dt

import pytest

from permanence.models.plans import Status
from tracker.dashboard.rag import DeadlineState, computed_rag, effective_rag, rag_rank

D = dt.date
TODAY = D(2026, 3, 2)
LAST_MONTH = D(2026, 2, 1)


def state(code, status, due=LAST_MONTH, name=None, met_on=None):
    if status == "met" and met_on is None:
        met_on = due
    return DeadlineState(code, name or code.replace("_", " ").capitalize(), due, status, met_on)


CASES = [
    # (what, deadlines, looked after, plan status, expected RAG, words in the reason)
    ("nothing pending", [], True, Status.RATIFIED, "green", ""),
    (
        "all met or upcoming",
        [state("first_review", "met"), state("later_review", "upcoming")],
        True,
        Status.RATIFIED,
        "green",
        "",
    ),
    (
        "first review overdue",
        [state("first_review", "overdue", name="First review")],
        True,
        Status.RATIFIED,
        "red",
        "Statutory deadline overdue: First review",
    ),
    (
        "IRO not allocated in time",
        [state("iro_allocated", "overdue", name="IRO allocated")],
        True,
        "",
        "red",
        "IRO allocated",
    ),
    (
        "26 weeks passed",
        [state("proceedings_concluded", "overdue", name="26 weeks")],
        True,
        Status.RATIFIED,
        "red",
        "26 weeks",
    ),
    (
        "a local timescale overdue",
        [state("care_planning_meeting", "overdue", name="CPM")],
        True,
        Status.RATIFIED,
        "amber",
        "Overdue: CPM",
    ),
    (
        "due soon",
        [state("later_review", "due_soon", name="Later review")],
        True,
        Status.RATIFIED,
        "amber",
        "Due soon: Later review",
    ),
    (
        "second review passed, plan only a draft",
        [state("second_review", "met", due=D(2026, 2, 10))],
        True,
        Status.DRAFT,
        "red",
        "The plan was not ratified at the second review on 10 February 2026",
    ),
    (
        "second review held early without ratifying: red from the review, not the due date",
        [state("second_review", "met", due=D(2026, 4, 10), met_on=D(2026, 3, 1))],
        True,
        Status.PRESENTED,
        "red",
        "The plan was not ratified at the second review on 1 March 2026",
    ),
    (
        "second review neither held nor due yet",
        [state("second_review", "upcoming", due=D(2026, 4, 10))],
        True,
        Status.DRAFT,
        "green",
        "",
    ),
    (
        "second review passed, no plan at all",
        [state("second_review", "overdue", due=D(2026, 2, 10))],
        True,
        "",
        "red",
        "The second review was due on 10 February 2026 and no plan is ratified",
    ),
    (
        "second review passed, plan disrupted: back to planning",
        [state("second_review", "met", due=D(2026, 2, 10))],
        True,
        Status.DISRUPTED,
        "red",
        "The plan disrupted and no new plan is ratified",
    ),
    (
        "second review passed, plan in implementation",
        [state("second_review", "met", due=D(2026, 2, 10))],
        True,
        Status.IN_IMPLEMENTATION,
        "green",
        "",
    ),
    (
        "second review passed, plan achieved",
        [state("second_review", "met", due=D(2026, 2, 10))],
        True,
        Status.ACHIEVED,
        "green",
        "",
    ),
    (
        "second review due today: not yet passed",
        [state("second_review", "due_soon", due=TODAY, name="Second review")],
        True,
        Status.DRAFT,
        "amber",
        "Due soon: Second review",
    ),
    (
        "left care: the plan rule does not apply",
        [state("second_review", "met", due=D(2026, 2, 10))],
        False,
        Status.DRAFT,
        "green",
        "",
    ),
]


@pytest.mark.parametrize(
    ("deadlines", "looked_after", "plan_status", "rag", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_computed_rag(deadlines, looked_after, plan_status, rag, reason):
    result = computed_rag(
        deadlines=deadlines, looked_after=looked_after, plan_status=plan_status, today=TODAY
    )
    assert result.rag == rag
    assert reason in result.reason
    if rag == "green":
        assert result.reason == ""


def test_red_reason_names_every_cause():
    result = computed_rag(
        deadlines=[
            state("first_review", "overdue", name="First review"),
            state("second_review", "overdue", due=D(2026, 2, 10)),
        ],
        looked_after=True,
        plan_status=Status.PRESENTED,
        today=TODAY,
    )
    assert result.rag == "red"
    assert "First review" in result.reason and "no plan is ratified" in result.reason


def test_a_changed_plan_waiting_for_ratification_says_so():
    result = computed_rag(
        deadlines=[state("second_review", "met", due=D(2026, 2, 10))],
        looked_after=True,
        plan_status=Status.DRAFT,
        today=TODAY,
        first_ratified=D(2026, 2, 10),
    )
    assert (result.rag, result.reason) == ("red", "The changed plan is waiting to be ratified")


def test_a_long_reason_is_cut_to_fit():
    many = [
        state(f"rule_{i}", "due_soon", name=f"A very long deadline name {i:03d}") for i in range(40)
    ]
    result = computed_rag(deadlines=many, looked_after=True, plan_status="", today=TODAY)
    assert len(result.reason) <= 300
    assert result.reason.endswith("…")


@pytest.mark.parametrize(
    ("computed", "panel", "shown"),
    [
        ("green", "", "green"),
        ("green", "red", "red"),
        ("red", "green", "green"),
        ("amber", "", "amber"),
    ],
)
def test_the_panel_rating_is_shown_when_there_is_one(computed, panel, shown):
    assert effective_rag(computed, panel) == shown


def test_red_sorts_first():
    assert rag_rank("red") < rag_rank("amber") < rag_rank("green") < rag_rank("")
