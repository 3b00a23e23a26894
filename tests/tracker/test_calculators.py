"""Every SPEC §5 rule, table-driven, with dates on weekends, around Christmas and New Year,
Easter, 31 January plus one month and 29 February.

The expected dates were counted by hand on the 2024-2028 calendars (England and Wales bank
holidays from gov.uk), not by calling the code under test. No database: the calculators are
pure functions of a child's facts, the rule's settings and today's date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from permanence import dates
from tests.factories.tracker import (
    AllocationFact,
    BookingFact,
    ConnectedApprovalFact,
    DisruptionFact,
    MatchingFact,
    MeetingFact,
    ReviewFact,
    episode,
    facts,
    looked_after,
    rule,
)
from tracker.deadlines import calculators as c
from tracker.deadlines.facts import (
    AepPanelFact,
    AssessmentFact,
    FindingPlanFact,
    SupervisionOrderFact,
)
from tracker.deadlines.registry import BY_CODE

D = dt.date
LONDON = ZoneInfo("Europe/London")
GATEWAY, EPP, PPM, CPM, PANEL = (
    c.Meeting.LEGAL_GATEWAY,
    c.Meeting.EARLY_PERMANENCE,
    c.Meeting.PERMANENCY_PLANNING,
    c.Meeting.CARE_PLANNING,
    c.Meeting.PERMANENCE_PANEL,
)
FAR = D(2029, 1, 1)  # "today" long after everything, so every fact counts


def run(code, child, today=FAR, **overrides):
    return BY_CODE[code].calculate(child, rule(code, **overrides), today)


CASES = [
    # --- IRO allocated: 5 working days after becoming looked after (004) ---
    pytest.param(
        "iro_allocated",
        looked_after(D(2025, 12, 22)),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), None),
        id="iro-mon-22-dec-skips-christmas-and-boxing-day-to-wed-31-dec",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(D(2025, 12, 19)),
        {},
        (D(2025, 12, 19), D(2025, 12, 30), None),
        id="iro-fri-19-dec-to-tue-30-dec",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(D(2025, 12, 27)),
        {},
        (D(2025, 12, 27), D(2026, 1, 5), None),
        id="iro-sat-27-dec-skips-new-year-to-mon-5-jan",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(D(2026, 4, 2)),
        {},
        (D(2026, 4, 2), D(2026, 4, 13), None),
        id="iro-thu-before-easter-skips-good-friday-and-easter-monday",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(D(2025, 12, 22), iro_allocations=[AllocationFact(D(2025, 12, 30))]),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), D(2025, 12, 30)),
        id="iro-allocated-tue-30-dec-is-met",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(
            D(2025, 12, 22), iro_allocations=[AllocationFact(D(2025, 6, 1), ended_on=None)]
        ),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), D(2025, 12, 22)),
        id="iro-already-allocated-when-looked-after-is-met-that-day",
    ),
    pytest.param(
        "iro_allocated",
        looked_after(
            D(2025, 12, 22), iro_allocations=[AllocationFact(D(2025, 6, 1), D(2025, 9, 1))]
        ),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), None),
        id="iro-allocation-ended-before-this-period-does-not-count",
    ),
    # --- first review: 20 working days (004) ---
    pytest.param(
        "first_review",
        looked_after(D(2025, 12, 1)),
        {},
        (D(2025, 12, 1), D(2025, 12, 31), None),
        id="first-review-mon-1-dec-to-wed-31-dec-over-christmas",
    ),
    pytest.param(
        "first_review",
        looked_after(D(2026, 3, 13)),
        {},
        (D(2026, 3, 13), D(2026, 4, 14), None),
        id="first-review-fri-13-mar-over-easter-to-tue-14-apr",
    ),
    pytest.param(
        "first_review",
        looked_after(D(2026, 3, 13), reviews=[ReviewFact(D(2026, 4, 15))]),
        {},
        (D(2026, 3, 13), D(2026, 4, 14), D(2026, 4, 15)),
        id="first-review-held-a-day-late-is-met-late",
    ),
    # --- second review: 3 months after the first was held (000-004) ---
    pytest.param(
        "second_review",
        looked_after(D(2025, 10, 1), reviews=[ReviewFact(D(2025, 11, 30))]),
        {},
        (D(2025, 11, 30), D(2026, 2, 28), None),
        id="second-review-sun-30-nov-plus-3-months-is-sat-28-feb",
    ),
    pytest.param(
        "second_review",
        looked_after(D(2027, 10, 1), reviews=[ReviewFact(D(2027, 11, 29))]),
        {},
        (D(2027, 11, 29), D(2028, 2, 29), None),
        id="second-review-29-nov-2027-to-leap-day-29-feb-2028",
    ),
    pytest.param(
        "second_review",
        looked_after(D(2025, 12, 1), reviews=[ReviewFact(D(2026, 1, 31))]),
        {"amount": 1},
        (D(2026, 1, 31), D(2026, 2, 28), None),
        id="second-review-set-to-1-month-31-jan-2026-to-28-feb",
    ),
    pytest.param(
        "second_review",
        looked_after(D(2027, 12, 1), reviews=[ReviewFact(D(2028, 1, 31))]),
        {"amount": 1},
        (D(2028, 1, 31), D(2028, 2, 29), None),
        id="second-review-set-to-1-month-31-jan-2028-to-29-feb",
    ),
    pytest.param(
        "second_review",
        looked_after(
            D(2026, 5, 1), reviews=[ReviewFact(D(2026, 5, 29)), ReviewFact(D(2026, 8, 28))]
        ),
        {},
        (D(2026, 5, 29), D(2026, 8, 29), D(2026, 8, 28)),
        id="second-review-held-is-met",
    ),
    pytest.param(
        "second_review",
        looked_after(D(2026, 5, 1)),
        {},
        "not yet",
        id="second-review-waits-for-the-first",
    ),
    # --- later reviews: 6 months after the previous (004) ---
    pytest.param(
        "later_review",
        looked_after(
            D(2027, 1, 4), reviews=[ReviewFact(D(2027, 2, 1)), ReviewFact(D(2027, 8, 31))]
        ),
        {},
        (D(2027, 8, 31), D(2028, 2, 29), None),
        id="later-review-31-aug-2027-to-29-feb-2028",
    ),
    pytest.param(
        "later_review",
        looked_after(
            D(2027, 6, 1),
            reviews=[
                ReviewFact(D(2027, 6, 29)),
                ReviewFact(D(2027, 9, 1)),
                ReviewFact(D(2028, 2, 29)),
            ],
        ),
        {},
        (D(2028, 2, 29), D(2028, 8, 29), None),
        id="later-review-from-leap-day-to-29-aug",
    ),
    pytest.param(
        "later_review",
        looked_after(
            D(2025, 6, 1), reviews=[ReviewFact(D(2025, 6, 27)), ReviewFact(D(2025, 12, 31))]
        ),
        {},
        (D(2025, 12, 31), D(2026, 6, 30), None),
        id="later-review-new-years-eve-to-30-jun",
    ),
    pytest.param(
        "later_review",
        looked_after(D(2025, 6, 1), reviews=[ReviewFact(D(2025, 6, 27))]),
        {},
        "not yet",
        id="later-review-waits-for-the-second",
    ),
    # --- Part 1: 3 working days before the forum, by 17:00 (000, 003) ---
    pytest.param(
        "part1_submitted",
        facts(bookings=[BookingFact(D(2026, 1, 5), None)]),
        {},
        (D(2026, 1, 5), D(2025, 12, 30), None, dt.datetime(2025, 12, 30, 17, tzinfo=LONDON)),
        id="part1-forum-mon-5-jan-due-tue-30-dec-17h-skipping-new-year",
    ),
    pytest.param(
        "part1_submitted",
        facts(bookings=[BookingFact(D(2026, 4, 7), None)]),
        {},
        (D(2026, 4, 7), D(2026, 3, 31), None, dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC)),
        id="part1-forum-tue-after-easter-due-tue-31-mar-17h-bst",
    ),
    pytest.param(
        "part1_submitted",
        facts(bookings=[BookingFact(D(2026, 3, 9), None)]),
        {},
        (D(2026, 3, 9), D(2026, 3, 4), None, dt.datetime(2026, 3, 4, 17, tzinfo=dt.UTC)),
        id="part1-monday-forum-due-5pm-wednesday-as-seed-003",
    ),
    pytest.param(
        "part1_submitted",
        facts(bookings=[BookingFact(D(2026, 12, 30), None)]),
        {},
        (D(2026, 12, 30), D(2026, 12, 23), None, dt.datetime(2026, 12, 23, 17, tzinfo=LONDON)),
        id="part1-forum-wed-30-dec-2026-skips-substitute-boxing-day",
    ),
    pytest.param(
        "part1_submitted",
        facts(
            bookings=[BookingFact(D(2026, 3, 9), dt.datetime(2026, 3, 4, 16, 59, tzinfo=LONDON))]
        ),
        {},
        (D(2026, 3, 9), D(2026, 3, 4), D(2026, 3, 4), dt.datetime(2026, 3, 4, 17, tzinfo=LONDON)),
        id="part1-submitted-1659-on-the-day-is-met",
    ),
    # --- Legal Gateway re-review: 12 weeks (004) ---
    pytest.param(
        "legal_gateway_rereview",
        facts(
            court_stage="pre_proceedings",
            meetings=[MeetingFact(GATEWAY, D(2025, 10, 10), c.Gateway.PRE_PROCEEDINGS)],
        ),
        {},
        (D(2025, 10, 10), D(2026, 1, 2), None),
        id="gateway-fri-10-oct-plus-12-weeks-fri-2-jan-weeks-ignore-holidays",
    ),
    pytest.param(
        "legal_gateway_rereview",
        facts(
            episode(D(2025, 12, 1), ls="V2"),
            meetings=[MeetingFact(GATEWAY, D(2026, 1, 5), c.Gateway.NEITHER)],
        ),
        {},
        (D(2026, 1, 5), D(2026, 3, 30), None),
        id="gateway-section-20-child-comes-back",
    ),
    pytest.param(
        "legal_gateway_rereview",
        facts(meetings=[MeetingFact(GATEWAY, D(2026, 1, 5), c.Gateway.CARE_PROCEEDINGS)]),
        {},
        None,
        id="gateway-decision-to-issue-is-tracked-by-permanence-panel-instead",
    ),
    # --- Achieving Early Permanence Panel: 2 weeks (003) ---
    pytest.param(
        "early_permanence_panel",
        looked_after(D(2025, 12, 18)),
        {},
        (D(2025, 12, 18), D(2026, 1, 1), None),
        id="epp-thu-18-dec-due-new-years-day-weeks-stay-on-a-holiday",
    ),
    # --- first permanency planning meeting: 6 weeks after the panel (003) ---
    pytest.param(
        "first_ppm",
        looked_after(D(2026, 2, 2), meetings=[MeetingFact(EPP, D(2026, 2, 16))]),
        {},
        (D(2026, 2, 16), D(2026, 3, 30), None),
        id="first-ppm-mon-16-feb-to-mon-30-mar",
    ),
    pytest.param(
        "first_ppm",
        looked_after(
            D(2028, 1, 4),
            meetings=[MeetingFact(EPP, D(2028, 1, 18)), MeetingFact(PPM, D(2028, 2, 28))],
        ),
        {},
        (D(2028, 1, 18), D(2028, 2, 29), D(2028, 2, 28)),
        id="first-ppm-18-jan-2028-due-leap-day-met-the-day-before",
    ),
    pytest.param(
        "first_ppm", looked_after(D(2028, 1, 4)), {}, "not yet", id="first-ppm-waits-for-panel"
    ),
    # --- care planning meetings: every 6 weeks (004) ---
    pytest.param(
        "care_planning_meeting",
        looked_after(D(2025, 11, 15)),
        {},
        (D(2025, 11, 15), D(2025, 12, 27), None),
        id="cpm-first-6-weeks-after-looked-after-sat-to-sat",
    ),
    pytest.param(
        "care_planning_meeting",
        looked_after(D(2025, 11, 15), meetings=[MeetingFact(CPM, D(2025, 12, 18))]),
        {},
        (D(2025, 12, 18), D(2026, 1, 29), None),
        id="cpm-next-6-weeks-after-the-last-one",
    ),
    # --- SGO referral: 5 working days after the review recommending SGO (003) ---
    pytest.param(
        "sgo_referral",
        looked_after(
            D(2025, 6, 2),
            reviews=[ReviewFact(D(2025, 12, 22), recommends_sgo=True)],
            sgo_referrals=[D(2025, 12, 30)],
        ),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), D(2025, 12, 30)),
        id="sgo-referral-mon-22-dec-skips-christmas-to-wed-31-dec-met-30-dec",
    ),
    pytest.param(
        "sgo_referral",
        looked_after(D(2025, 10, 1), reviews=[ReviewFact(D(2026, 4, 2), recommends_sgo=True)]),
        {},
        (D(2026, 4, 2), D(2026, 4, 13), None),
        id="sgo-referral-thu-before-easter-to-mon-13-apr-not-sent",
    ),
    pytest.param(
        "sgo_referral",
        looked_after(
            D(2025, 6, 2),
            reviews=[ReviewFact(D(2025, 12, 19), recommends_sgo=True)],
            sgo_referrals=[D(2025, 12, 1)],
        ),
        {},
        (D(2025, 12, 19), D(2025, 12, 30), None),
        id="sgo-referral-sent-before-the-review-does-not-meet-it",
    ),
    pytest.param(
        "sgo_referral",
        looked_after(D(2025, 6, 2), reviews=[ReviewFact(D(2025, 12, 19))]),
        {},
        None,
        id="sgo-referral-only-when-a-review-recommends-sgo",
    ),
    # --- SGO made: 12 months after a connected-person placement (000) ---
    pytest.param(
        "sgo_made",
        facts(episode(D(2024, 2, 29), place="U3")),
        {},
        (D(2024, 2, 29), D(2025, 2, 28), None),
        id="sgo-placed-leap-day-due-28-feb-next-year",
    ),
    pytest.param(
        "sgo_made",
        facts(
            episode(D(2024, 6, 3), dec=D(2025, 1, 31), rec="X1", place="U6"),
            episode(D(2025, 1, 31), rne="P", place="U3"),
        ),
        {},
        (D(2025, 1, 31), D(2026, 1, 31), None),
        id="sgo-counts-from-the-move-to-the-connected-person",
    ),
    pytest.param(
        "sgo_made",
        facts(episode(D(2025, 1, 31), place="U3", dec=D(2026, 1, 20), rec="E45")),
        {},
        (D(2025, 1, 31), D(2026, 1, 31), D(2026, 1, 20)),
        id="sgo-left-care-on-an-sgo-is-met",
    ),
    pytest.param(
        "sgo_made",
        facts(episode(D(2025, 1, 31), place="U3", dec=D(2026, 1, 20), rec="E4A")),
        {},
        None,
        id="sgo-left-care-home-no-longer-applies",
    ),
    pytest.param(
        "sgo_made", looked_after(D(2025, 1, 31)), {}, None, id="sgo-not-for-mainstream-foster-care"
    ),
    # --- urgent foster carer review and carer's fee: 2 weeks after a disruption (000) ---
    pytest.param(
        "urgent_foster_carer_review",
        facts(disruptions=[DisruptionFact(D(2025, 12, 24))]),
        {},
        (D(2025, 12, 24), D(2026, 1, 7), None),
        id="carer-review-christmas-eve-to-wed-7-jan",
    ),
    pytest.param(
        "urgent_foster_carer_review",
        facts(disruptions=[DisruptionFact(D(2025, 12, 24), carer_review_held_on=D(2026, 1, 6))]),
        {},
        (D(2025, 12, 24), D(2026, 1, 7), D(2026, 1, 6)),
        id="carer-review-held-is-met",
    ),
    pytest.param(
        "carer_fee",
        facts(disruptions=[DisruptionFact(D(2025, 12, 19))]),
        {},
        (D(2025, 12, 19), D(2026, 1, 2), None),
        id="fee-2-weeks-fri-19-dec-to-fri-2-jan",
    ),
    pytest.param(
        "carer_fee",
        facts(disruptions=[DisruptionFact(D(2025, 12, 19), fee_extended=True)]),
        {},
        (D(2025, 12, 19), D(2026, 1, 16), None),
        id="fee-extended-once-by-2-weeks-to-fri-16-jan",
    ),
    # --- an unplanned admission heard at Legal Gateway: 5 working days (004) ---
    pytest.param(
        "legal_gateway_after_admission",
        looked_after(D(2025, 12, 22)),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), None),
        id="unplanned-mon-22-dec-skips-christmas-and-boxing-day-to-wed-31-dec",
    ),
    pytest.param(
        "legal_gateway_after_admission",
        looked_after(D(2025, 12, 19), meetings=[MeetingFact(GATEWAY, D(2026, 1, 6), "neither")]),
        {},
        (D(2025, 12, 19), D(2025, 12, 30), D(2026, 1, 6)),
        id="unplanned-fri-19-dec-due-tue-30-dec-heard-late-on-tue-6-jan",
    ),
    pytest.param(
        "legal_gateway_after_admission",
        looked_after(D(2026, 3, 30)),
        {},
        (D(2026, 3, 30), D(2026, 4, 8), None),
        id="unplanned-mon-30-mar-skips-good-friday-and-easter-monday-to-wed-8-apr",
    ),
    pytest.param(
        "legal_gateway_after_admission",
        looked_after(
            D(2026, 3, 2), meetings=[MeetingFact(GATEWAY, D(2026, 2, 16), "pre_proceedings")]
        ),
        {},
        None,
        id="heard-at-gateway-2-weeks-before-is-a-planned-admission",
    ),
    pytest.param(
        "legal_gateway_after_admission",
        looked_after(
            D(2026, 3, 2), meetings=[MeetingFact(GATEWAY, D(2025, 11, 24), "pre_proceedings")]
        ),
        {},
        (D(2026, 3, 2), D(2026, 3, 9), None),
        id="a-hearing-14-weeks-before-does-not-make-it-planned",
    ),
    # --- each Legal Gateway assessment by the date the panel set (004) ---
    pytest.param(
        "gateway_assessment",
        facts(assessments=[AssessmentFact(D(2025, 12, 1), D(2026, 1, 2))]),
        {},
        (D(2025, 12, 1), D(2026, 1, 2), None),
        id="assessment-due-fri-2-jan-as-the-panel-set-it",
    ),
    pytest.param(
        "gateway_assessment",
        facts(
            assessments=[
                AssessmentFact(D(2025, 12, 1), D(2026, 1, 2), D(2025, 12, 30)),
                AssessmentFact(D(2025, 12, 1), D(2026, 2, 23)),
            ]
        ),
        {},
        (D(2025, 12, 1), D(2026, 2, 23), None),
        id="assessment-done-the-next-outstanding-one-is-worked-to",
    ),
    pytest.param(
        "gateway_assessment",
        facts(
            assessments=[
                AssessmentFact(D(2025, 12, 1), D(2026, 2, 23)),
                AssessmentFact(D(2026, 1, 5), D(2026, 1, 30)),
            ]
        ),
        {},
        (D(2026, 1, 5), D(2026, 1, 30), None),
        id="the-earliest-due-of-two-hearings-comes-first",
    ),
    pytest.param(
        "gateway_assessment",
        facts(assessments=[AssessmentFact(D(2025, 12, 1), D(2026, 1, 2), D(2026, 1, 9))]),
        {},
        (D(2025, 12, 1), D(2026, 1, 2), D(2026, 1, 9)),
        id="assessment-completed-late-is-met-late",
    ),
    # --- PPN1 within 5 working days of the second review (002; the number is ours) ---
    pytest.param(
        "ppn1_completed",
        looked_after(
            D(2025, 8, 1), reviews=[ReviewFact(D(2025, 8, 28)), ReviewFact(D(2025, 12, 22))]
        ),
        {},
        (D(2025, 12, 22), D(2025, 12, 31), None),
        id="ppn1-second-review-mon-22-dec-skips-christmas-to-wed-31-dec",
    ),
    pytest.param(
        "ppn1_completed",
        looked_after(
            D(2026, 1, 5),
            reviews=[ReviewFact(D(2026, 1, 30)), ReviewFact(D(2026, 4, 2))],
            ppn1s=[D(2026, 4, 7)],
        ),
        {},
        (D(2026, 4, 2), D(2026, 4, 13), D(2026, 4, 7)),
        id="ppn1-second-review-thu-2-apr-skips-easter-to-mon-13-apr-met-tue-7-apr",
    ),
    pytest.param(
        "ppn1_completed",
        looked_after(D(2026, 1, 5), reviews=[ReviewFact(D(2026, 1, 30))]),
        {},
        None,
        id="no-ppn1-before-the-second-review",
    ),
    # --- Permanency Planning Meetings monthly until the plan is achieved (002) ---
    pytest.param(
        "ppm_monthly",
        looked_after(D(2025, 6, 2), meetings=[MeetingFact(PPM, D(2026, 1, 31))]),
        {},
        (D(2026, 1, 31), D(2026, 2, 28), None),
        id="ppm-sat-31-jan-next-by-sat-28-feb-end-of-month",
    ),
    pytest.param(
        "ppm_monthly",
        looked_after(
            D(2025, 6, 2),
            meetings=[MeetingFact(PPM, D(2025, 11, 27)), MeetingFact(PPM, D(2025, 12, 23))],
        ),
        {},
        (D(2025, 12, 23), D(2026, 1, 23), None),
        id="ppm-tue-23-dec-before-christmas-next-by-fri-23-jan",
    ),
    pytest.param(
        "ppm_monthly",
        looked_after(
            D(2025, 6, 2),
            meetings=[MeetingFact(PPM, D(2026, 2, 3))],
            plans_achieved=[D(2026, 2, 20)],
        ),
        {},
        (D(2026, 2, 3), D(2026, 3, 3), D(2026, 2, 20)),
        id="ppm-plan-achieved-before-the-next-one-ends-the-meetings",
    ),
    pytest.param(
        "ppm_monthly",
        looked_after(D(2025, 6, 2), plans_achieved=[D(2025, 12, 1)]),
        {},
        None,
        id="no-ppm-held-no-monthly-deadline",
    ),
    # --- early permanence panel papers: Wednesday 17:00 for Monday, 3 working days (003) ---
    pytest.param(
        "aep_papers",
        facts(aep_panels=[AepPanelFact(D(2026, 3, 9))]),
        {},
        (D(2026, 3, 9), D(2026, 3, 4), None, dt.datetime(2026, 3, 4, 17, tzinfo=LONDON)),
        id="aep-papers-panel-mon-9-mar-due-wed-4-mar-17h",
    ),
    pytest.param(
        "aep_papers",
        facts(aep_panels=[AepPanelFact(D(2026, 4, 7))]),
        {},
        (D(2026, 4, 7), D(2026, 3, 31), None, dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC)),
        id="aep-papers-panel-tue-after-easter-due-tue-31-mar-17h-bst",
    ),
    pytest.param(
        "aep_papers",
        facts(aep_panels=[AepPanelFact(D(2026, 1, 5), dt.datetime(2026, 1, 2, 10, tzinfo=LONDON))]),
        {},
        (
            D(2026, 1, 5),
            D(2025, 12, 30),
            D(2026, 1, 2),
            dt.datetime(2025, 12, 30, 17, tzinfo=LONDON),
        ),
        id="aep-papers-panel-mon-5-jan-due-tue-30-dec-sent-late-fri-2-jan",
    ),
    pytest.param(
        "aep_papers",
        facts(aep_panels=[AepPanelFact(D(2026, 3, 9))]),
        {"amount": 5},
        (D(2026, 3, 9), D(2026, 3, 2), None, dt.datetime(2026, 3, 2, 17, tzinfo=LONDON)),
        id="aep-papers-an-authority-setting-monday-for-monday",
    ),
    # --- each Permanence Panel action by the date the panel set (004) ---
    pytest.param(
        "panel_action",
        facts(panel_actions=[AssessmentFact(D(2025, 12, 9), D(2025, 12, 24))]),
        {},
        (D(2025, 12, 9), D(2025, 12, 24), None),
        id="panel-action-due-christmas-eve-as-the-panel-set-it",
    ),
    pytest.param(
        "panel_action",
        facts(
            panel_actions=[
                AssessmentFact(D(2025, 12, 9), D(2025, 12, 24), D(2025, 12, 23)),
                AssessmentFact(D(2026, 1, 6), D(2026, 1, 30)),
            ]
        ),
        {},
        (D(2026, 1, 6), D(2026, 1, 30), None),
        id="panel-action-done-the-next-outstanding-one-is-worked-to",
    ),
    pytest.param(
        "panel_action",
        facts(panel_actions=[AssessmentFact(D(2026, 3, 31), D(2026, 4, 3), D(2026, 4, 7))]),
        {},
        (D(2026, 3, 31), D(2026, 4, 3), D(2026, 4, 7)),
        id="panel-action-due-good-friday-done-late-after-easter",
    ),
    # --- red plan back at Permanence Panel: 4 weeks (004) ---
    pytest.param(
        "red_plan_panel",
        facts(meetings=[MeetingFact(PANEL, D(2025, 12, 9), rag="red")]),
        {},
        (D(2025, 12, 9), D(2026, 1, 6), None),
        id="red-plan-tue-9-dec-back-by-tue-6-jan",
    ),
    pytest.param(
        "red_plan_panel",
        facts(
            meetings=[
                MeetingFact(PANEL, D(2025, 12, 9), rag="red"),
                MeetingFact(PANEL, D(2026, 1, 6), rag="amber"),
            ]
        ),
        {},
        (D(2025, 12, 9), D(2026, 1, 6), D(2026, 1, 6)),
        id="red-plan-looked-at-again-is-met",
    ),
    pytest.param(
        "red_plan_panel",
        facts(meetings=[MeetingFact(PANEL, D(2025, 12, 9), rag="green")]),
        {},
        None,
        id="green-plan-has-no-4-week-return",
    ),
    # A red at a care planning meeting counts too: from the last red at either meeting (004).
    pytest.param(
        "red_plan_panel",
        facts(meetings=[MeetingFact(CPM, D(2025, 12, 5), rag="red")]),
        {},
        (D(2025, 12, 5), D(2026, 1, 2), None),
        id="cpm-red-fri-5-dec-to-fri-2-jan-the-day-after-new-year",
    ),
    pytest.param(
        "red_plan_panel",
        facts(meetings=[MeetingFact(CPM, D(2026, 3, 6), rag="red")]),
        {},
        (D(2026, 3, 6), D(2026, 4, 3), None),
        id="cpm-red-fri-6-mar-to-good-friday-3-apr-calendar-weeks-do-not-move",
    ),
    pytest.param(
        "red_plan_panel",
        facts(
            meetings=[
                MeetingFact(PANEL, D(2025, 12, 2), rag="red"),
                MeetingFact(CPM, D(2025, 12, 23), rag="red"),
            ]
        ),
        {},
        (D(2025, 12, 23), D(2026, 1, 20), None),
        id="cpm-red-tue-23-dec-after-a-panel-red-restarts-the-clock-to-tue-20-jan",
    ),
    pytest.param(
        "red_plan_panel",
        facts(
            meetings=[
                MeetingFact(PANEL, D(2025, 12, 2), rag="red"),
                MeetingFact(CPM, D(2025, 12, 16), rag="amber"),
            ]
        ),
        {},
        (D(2025, 12, 2), D(2025, 12, 30), None),
        id="a-cpm-amber-is-not-the-panel-looking-again",
    ),
    pytest.param(
        "red_plan_panel",
        facts(
            meetings=[
                MeetingFact(CPM, D(2026, 2, 27), rag="red"),
                MeetingFact(PANEL, D(2026, 3, 24), rag="amber"),
            ]
        ),
        {},
        (D(2026, 2, 27), D(2026, 3, 27), D(2026, 3, 24)),
        id="cpm-red-fri-27-feb-met-by-the-panel-on-tue-24-mar",
    ),
    pytest.param(
        "red_plan_panel",
        facts(meetings=[MeetingFact(CPM, D(2025, 12, 9), rag="green")]),
        {},
        None,
        id="cpm-green-has-no-4-week-return",
    ),
    # --- proceedings check-ins: 4 and 14 weeks after the decision to issue (004) ---
    pytest.param(
        "proceedings_checkin_4",
        facts(meetings=[MeetingFact(GATEWAY, D(2025, 12, 1), c.Gateway.CARE_PROCEEDINGS)]),
        {},
        (D(2025, 12, 1), D(2025, 12, 29), None),
        id="checkin-4-weeks-mon-1-dec-to-mon-29-dec",
    ),
    pytest.param(
        "proceedings_checkin_14",
        facts(
            meetings=[
                MeetingFact(GATEWAY, D(2025, 12, 1), c.Gateway.CARE_PROCEEDINGS),
                MeetingFact(PANEL, D(2025, 12, 29), rag="amber"),
            ]
        ),
        {},
        (D(2025, 12, 1), D(2026, 3, 9), None),
        id="checkin-14-weeks-to-mon-9-mar-first-panel-does-not-count-twice",
    ),
    pytest.param(
        "proceedings_checkin_14",
        facts(
            meetings=[
                MeetingFact(GATEWAY, D(2025, 12, 1), c.Gateway.CARE_PROCEEDINGS),
                MeetingFact(PANEL, D(2025, 12, 29), rag="amber"),
                MeetingFact(PANEL, D(2026, 3, 9), rag="green"),
            ]
        ),
        {},
        (D(2025, 12, 1), D(2026, 3, 9), D(2026, 3, 9)),
        id="checkin-14-met-by-the-second-panel",
    ),
    # --- care proceedings: 26 weeks beginning with the day of issue (s32) ---
    pytest.param(
        "proceedings_concluded",
        facts(court_stage="issued", proceedings_issued_on=D(2026, 1, 5)),
        {},
        (D(2026, 1, 5), D(2026, 7, 5), None),
        id="proceedings-issued-mon-5-jan-due-sun-5-jul",
    ),
    pytest.param(
        "proceedings_concluded",
        facts(court_stage="issued", proceedings_issued_on=D(2024, 2, 29)),
        {},
        (D(2024, 2, 29), D(2024, 8, 28), None),
        id="proceedings-issued-leap-day-due-wed-28-aug",
    ),
    pytest.param(
        "proceedings_concluded",
        facts(
            court_stage="concluded",
            proceedings_issued_on=D(2025, 12, 23),
            proceedings_concluded_on=D(2026, 6, 22),
        ),
        {},
        (D(2025, 12, 23), D(2026, 6, 22), D(2026, 6, 22)),
        id="proceedings-concluded-on-the-last-day-is-met",
    ),
    pytest.param(
        "proceedings_concluded",
        facts(court_stage="pre_proceedings"),
        {},
        None,
        id="proceedings-not-issued-no-deadline",
    ),
    # --- connected person's temporary approval: 16 weeks, once + up to 8 (CPPCR regs 24-25) ---
    pytest.param(
        "connected_person_approval",
        facts(episode(D(2025, 12, 31), place="U3")),
        {},
        (D(2025, 12, 31), D(2026, 4, 22), None),
        id="reg24-new-years-eve-plus-16-weeks-wed-22-apr",
    ),
    pytest.param(
        "connected_person_approval",
        facts(
            episode(D(2025, 12, 31), place="U3", dec=D(2026, 4, 1), rec="X1"),
            episode(D(2026, 4, 1), rne="T", place="U1"),
        ),
        {},
        (D(2025, 12, 31), D(2026, 4, 22), D(2026, 4, 1)),
        id="reg24-carers-approved-for-long-term-fostering-is-met",
    ),
    pytest.param(
        "connected_person_approval",
        facts(
            episode(D(2025, 12, 31), place="U3", dec=D(2026, 3, 2), rec="X1"),
            episode(D(2026, 3, 2), rne="P", place="U6"),
        ),
        {},
        (D(2025, 12, 31), D(2026, 4, 22), D(2026, 3, 2)),
        id="reg24-child-moved-on-is-met",
    ),
    pytest.param(
        "connected_person_approval",
        facts(
            episode(D(2025, 12, 31), place="U3"),
            connected_approvals=[ConnectedApprovalFact(D(2025, 12, 31), extension=6)],
        ),
        {},
        (D(2025, 12, 31), D(2026, 6, 3), None),
        id="reg25-extended-6-weeks-wed-22-apr-to-wed-3-jun",
    ),
    pytest.param(
        "connected_person_approval",
        facts(
            episode(D(2025, 12, 31), place="U3"),
            connected_approvals=[
                ConnectedApprovalFact(D(2025, 12, 31), extension=8, resolved_on=D(2026, 6, 15))
            ],
        ),
        {},
        (D(2025, 12, 31), D(2026, 6, 17), D(2026, 6, 15)),
        id="reg25-extended-8-weeks-carers-approved-mon-15-jun-is-met",
    ),
    pytest.param(
        "connected_person_approval",
        facts(
            episode(D(2025, 12, 31), place="U3"),
            connected_approvals=[ConnectedApprovalFact(D(2026, 4, 1), resolved_on=D(2026, 4, 2))],
        ),
        {},
        (D(2025, 12, 31), D(2026, 4, 22), None),
        id="reg24-approval-of-another-placement-does-not-count",
    ),
    # --- supervision order: a year, extendable to three in all, never past 18 (001 §3.2) ---
    pytest.param(
        "supervision_order_ends",
        facts(supervision_orders=[SupervisionOrderFact(D(2026, 5, 1))]),
        {},
        (D(2026, 5, 1), D(2027, 5, 1), None),
        id="supervision-fri-1-may-plus-a-year-is-sat-1-may-not-moved",
    ),
    pytest.param(
        "supervision_order_ends",
        facts(supervision_orders=[SupervisionOrderFact(D(2025, 12, 25), ended_on=D(2026, 6, 1))]),
        {},
        (D(2025, 12, 25), D(2026, 12, 25), D(2026, 6, 1)),
        id="supervision-christmas-day-order-discharged-early-is-met",
    ),
    pytest.param(
        "supervision_order_ends",
        facts(supervision_orders=[SupervisionOrderFact(D(2026, 8, 31), extension_months=6)]),
        {},
        (D(2026, 8, 31), D(2028, 2, 29), None),
        id="supervision-bank-holiday-monday-extended-6-months-is-leap-day",
    ),
    pytest.param(
        "supervision_order_ends",
        facts(
            supervision_orders=[
                SupervisionOrderFact(D(2026, 3, 2), extension_months=24, born=D(2010, 9, 19))
            ]
        ),
        {},
        (D(2026, 3, 2), D(2028, 9, 19), None),
        id="supervision-never-past-the-18th-birthday-sat-19-sep-2028",
    ),
    pytest.param(
        "supervision_order_ends",
        facts(supervision_orders=[SupervisionOrderFact(D(2026, 3, 2))]),
        {"today": D(2026, 3, 1)},
        None,
        id="supervision-order-dated-tomorrow-has-no-deadline-yet",
    ),
    # --- someone allocated to take the ratified plan forward: 10 working days, ours (000, 003) ---
    pytest.param(
        "family_finding_allocated",
        facts(finding_plans=[FindingPlanFact("adoption", D(2026, 12, 18))]),
        {},
        (D(2026, 12, 18), D(2027, 1, 6), None),
        id="allocation-fri-18-dec-skips-christmas-boxing-day-sub-and-new-year-to-wed-6-jan",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(finding_plans=[FindingPlanFact("long_term_fostering", D(2026, 3, 28))]),
        {},
        (D(2026, 3, 28), D(2026, 4, 14), None),
        id="allocation-ratified-sat-28-mar-skips-good-friday-easter-monday-to-tue-14-apr",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(
            finding_plans=[FindingPlanFact("adoption", D(2026, 12, 18))],
            finding_allocations=[AllocationFact(D(2026, 12, 22))],
        ),
        {},
        (D(2026, 12, 18), D(2027, 1, 6), D(2026, 12, 22)),
        id="allocation-family-finder-on-tue-22-dec-is-met",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(
            finding_plans=[FindingPlanFact("sgo_cao", D(2026, 12, 18))],
            finding_allocations=[AllocationFact(D(2026, 12, 1))],
        ),
        {},
        (D(2026, 12, 18), D(2027, 1, 6), D(2026, 12, 18)),
        id="allocation-kept-from-an-earlier-version-is-met-on-the-day-of-ratification",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(
            finding_plans=[FindingPlanFact("sgo_cao", D(2026, 12, 18))],
            finding_allocations=[AllocationFact(D(2026, 11, 2), D(2026, 12, 4))],
        ),
        {},
        (D(2026, 12, 18), D(2027, 1, 6), None),
        id="allocation-ended-before-ratification-does-not-count",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(finding_plans=[FindingPlanFact("adoption", D(2026, 3, 2), achieved=True)]),
        {},
        None,
        id="allocation-plan-achieved-with-nobody-allocated-owes-nothing",
    ),
    pytest.param(
        "family_finding_allocated",
        facts(finding_plans=[FindingPlanFact("adoption", D(2026, 3, 2))]),
        {"today": D(2026, 3, 1)},
        None,
        id="allocation-plan-ratified-tomorrow-has-no-deadline-yet",
    ),
    # --- matching panel papers: Form F within 12 months, CPR within 6 (000) ---
    pytest.param(
        "form_f_current",
        facts(matchings=[MatchingFact(D(2026, 3, 31), form_f_on=D(2025, 4, 1))]),
        {},
        (D(2026, 3, 31), D(2026, 3, 31), D(2025, 4, 1)),
        id="form-f-dated-1-apr-2025-is-current-for-31-mar-2026",
    ),
    pytest.param(
        "form_f_current",
        facts(matchings=[MatchingFact(D(2026, 3, 31), form_f_on=D(2025, 3, 31))]),
        {},
        (D(2026, 3, 31), D(2026, 3, 31), None),
        id="form-f-exactly-12-months-old-is-out-of-date",
    ),
    pytest.param(
        "cpr_current",
        facts(matchings=[MatchingFact(D(2026, 2, 27), cpr_on=D(2025, 8, 31))]),
        {},
        (D(2026, 2, 27), D(2026, 2, 27), D(2025, 8, 31)),
        id="cpr-31-aug-plus-6-months-is-28-feb-current-for-fri-27-feb",
    ),
    pytest.param(
        "cpr_current",
        facts(matchings=[MatchingFact(D(2026, 3, 2), cpr_on=D(2025, 8, 31))]),
        {},
        (D(2026, 3, 2), D(2026, 3, 2), None),
        id="cpr-out-of-date-for-mon-2-mar",
    ),
]


@pytest.mark.parametrize(("code", "child", "overrides", "expected"), CASES)
def test_rule(code, child, overrides, expected):
    occurrence = run(code, child, **overrides)
    if expected is None:
        assert occurrence is None
    elif expected == "not yet":
        assert occurrence is c.NOT_YET
    else:
        anchor, due, met_on, *due_at = expected
        assert (occurrence.anchor_on, occurrence.due, occurrence.met_on) == (anchor, due, met_on)
        if due_at:
            assert occurrence.due_at == due_at[0]
        else:
            assert occurrence.due_at is None


def test_every_rule_in_the_registry_has_a_table_case():
    covered = {param.values[0] for param in CASES}
    missing = set(BY_CODE) - covered
    assert not missing


# --- an event dated after today has not happened -----------------------------------------------


def test_review_dated_in_the_future_does_not_meet_the_deadline_early():
    child = looked_after(D(2026, 3, 13), reviews=[ReviewFact(D(2026, 4, 20))])
    assert run("first_review", child, today=D(2026, 4, 10)).met_on is None
    # On the day it was held (after the deadline) it meets it, late.
    assert run("first_review", child, today=D(2026, 4, 20)).met_on == D(2026, 4, 20)


def test_an_assessment_completed_after_today_is_not_complete_yet():
    child = facts(assessments=[AssessmentFact(D(2026, 3, 2), D(2026, 4, 1), D(2026, 4, 20))])
    assert run("gateway_assessment", child, today=D(2026, 4, 10)).met_on is None
    assert run("gateway_assessment", child, today=D(2026, 4, 20)).met_on == D(2026, 4, 20)


def test_completed_assessments_are_kept_as_past_instances():
    child = facts(
        assessments=[
            AssessmentFact(D(2025, 12, 1), D(2026, 1, 2), D(2025, 12, 30)),
            AssessmentFact(D(2025, 12, 1), D(2026, 1, 16), D(2026, 1, 20)),
            AssessmentFact(D(2025, 12, 1), D(2026, 2, 23)),
        ]
    )
    past = BY_CODE["gateway_assessment"].history(child, rule("gateway_assessment"), FAR)
    assert [(o.due, o.met_on) for o in past] == [
        (D(2026, 1, 2), D(2025, 12, 30)),
        (D(2026, 1, 16), D(2026, 1, 20)),
    ]


def test_ppms_held_monthly_are_kept_as_past_instances_until_the_plan_is_achieved():
    child = looked_after(
        D(2025, 6, 2),
        meetings=[
            MeetingFact(PPM, D(2025, 10, 6)),
            MeetingFact(PPM, D(2025, 11, 17)),
            MeetingFact(PPM, D(2025, 12, 15)),
            MeetingFact(PPM, D(2026, 3, 2)),  # after the plan was achieved: not counted
        ],
        plans_achieved=[D(2026, 1, 9)],
    )
    past = BY_CODE["ppm_monthly"].history(child, rule("ppm_monthly"), FAR)
    assert [(o.due, o.met_on) for o in past] == [
        (D(2025, 11, 6), D(2025, 11, 17)),
        (D(2025, 12, 17), D(2025, 12, 15)),
    ]
    current = run("ppm_monthly", child)
    assert (current.due, current.met_on) == (D(2026, 1, 15), D(2026, 1, 9))


def test_part1_submission_stamped_in_the_future_does_not_meet_it():
    child = facts(bookings=[BookingFact(D(2026, 3, 9), dt.datetime(2026, 3, 5, 9, tzinfo=LONDON))])
    assert run("part1_submitted", child, today=D(2026, 3, 4)).met_on is None


def test_episode_starting_tomorrow_is_not_yet_a_period_of_care():
    assert run("iro_allocated", looked_after(D(2026, 3, 14)), today=D(2026, 3, 13)) is None


def test_episode_ending_tomorrow_is_still_open_today():
    child = facts(episode(D(2026, 1, 5), dec=D(2026, 3, 14), rec="E4A"))
    assert run("first_review", child, today=D(2026, 3, 13)) is not None
    assert run("first_review", child, today=D(2026, 3, 14)) is None


def test_a_new_period_of_care_starts_the_clock_again():
    child = facts(
        episode(D(2024, 1, 8), dec=D(2024, 6, 3), rec="E4A"),
        episode(D(2025, 12, 22)),
        iro_allocations=[AllocationFact(D(2024, 1, 9), ended_on=D(2024, 6, 3))],
        reviews=[ReviewFact(D(2024, 2, 5))],
    )
    iro = run("iro_allocated", child)
    assert (iro.anchor_on, iro.due, iro.met_on) == (D(2025, 12, 22), D(2025, 12, 31), None)
    assert run("first_review", child).met_on is None  # the 2024 review was another period


# --- settings an administrator changes -------------------------------------------------------


def test_changing_the_amount_moves_the_deadline():
    child = looked_after(D(2025, 12, 22))
    assert run("iro_allocated", child, amount=3).due == D(2025, 12, 29)


def test_changing_the_unit_counts_the_new_way():
    child = looked_after(D(2025, 12, 22))
    assert run("iro_allocated", child, unit="days").due == D(2025, 12, 27)


def test_part1_time_of_day_is_a_setting():
    child = facts(bookings=[BookingFact(D(2026, 3, 9), None)])
    occurrence = run("part1_submitted", child, due_time=dt.time(12, 0))
    assert occurrence.due_at == dt.datetime(2026, 3, 4, 12, tzinfo=LONDON)


# --- an extension decided on the record (CPPCR 2010 reg 25) ---------------------------------


def test_an_extension_in_the_rules_unit_counts_once():
    # 30 Nov 2025 + 4 months is 30 Mar 2026; 3 months (28 Feb) and then 1 more would be 28 Mar.
    config = rule("second_review")
    assert c.due_for(D(2025, 11, 30), config, extension=dates.Offset(1, "months")).due == (
        D(2026, 3, 30)
    )


def test_an_extension_in_another_unit_is_added_after_the_rule():
    config = rule("second_review")  # 3 months: 28 Feb 2026, then 2 weeks on
    assert c.due_for(D(2025, 11, 30), config, extension=dates.Offset(2, "weeks")).due == (
        D(2026, 3, 14)
    )


def test_extended_still_adds_the_rules_whole_extension():
    config = rule("carer_fee")  # 2 weeks, extendable once by 2 (000)
    assert c.due_for(D(2026, 1, 5), config, extended=True).due == D(2026, 2, 2)


def test_an_outcome_dated_after_today_does_not_meet_the_approval_early():
    child = facts(
        episode(D(2025, 12, 31), place="U3"),
        connected_approvals=[ConnectedApprovalFact(D(2025, 12, 31), resolved_on=D(2026, 4, 10))],
    )
    assert run("connected_person_approval", child, today=D(2026, 4, 9)).met_on is None
