"""The registry holds every row of SPEC §5, with defaults from fixtures/timescales.json."""

from __future__ import annotations

import pytest

from tracker.deadlines import registry, sources
from tracker.models import DeadlineRule
from tracker.reference import default_timescales

pytestmark = pytest.mark.django_db

# SPEC §5, row by row: (deadline, default) -> the rule codes that implement it.
SPEC_ROWS = {
    "IRO allocated": {"iro_allocated": (5, "working_days")},
    "first looked-after review": {"first_review": (20, "working_days")},
    "second review (plan ratified)": {"second_review": (3, "months")},
    "later reviews": {"later_review": (6, "months")},
    "Part 1 submitted": {"part1_submitted": (3, "working_days")},
    "Legal Gateway re-review": {"legal_gateway_rereview": (12, "weeks")},
    "early permanence panel": {"early_permanence_panel": (2, "weeks")},
    "first permanency planning meeting": {"first_ppm": (6, "weeks")},
    "care planning meeting": {"care_planning_meeting": (6, "weeks")},
    "SGO referral": {"sgo_referral": (5, "working_days")},
    "SGO made": {"sgo_made": (12, "months")},
    "urgent foster carer review": {"urgent_foster_carer_review": (2, "weeks")},
    "carer fee continues": {"carer_fee": (2, "weeks")},
    "red plan back at permanence panel": {"red_plan_panel": (4, "weeks")},
    "proceedings check-ins": {
        "proceedings_checkin_4": (4, "weeks"),
        "proceedings_checkin_14": (14, "weeks"),
    },
    "care proceedings concluded": {"proceedings_concluded": (26, "weeks")},
    "connected-person temporary approval ends": {"connected_person_approval": (16, "weeks")},
    "Form F / CPR current at matching panel": {
        "form_f_current": (12, "months"),
        "cpr_current": (6, "months"),
    },
}


def test_every_spec_row_is_a_rule_with_its_default():
    rules = {r.code: r for r in DeadlineRule.objects.all()}
    for row, codes in SPEC_ROWS.items():
        for code, (amount, unit) in codes.items():
            assert code in rules, row
            assert (rules[code].amount, rules[code].unit) == (amount, unit), row


def test_registry_fixture_and_database_agree():
    fixture = {row["code"] for row in default_timescales()}
    database = set(DeadlineRule.objects.values_list("code", flat=True))
    assert fixture == database == set(registry.BY_CODE)


def test_each_rule_names_its_source_owner_and_warning():
    for rule in DeadlineRule.objects.all():
        assert rule.source and rule.counts_from and rule.met_by, rule.code
        assert rule.owner_role, rule.code
        assert rule.warning_days >= 0, rule.code


def test_the_special_counting_rules():
    part1 = DeadlineRule.objects.get(code="part1_submitted")
    assert (part1.direction, part1.due_time.hour) == ("before", 17)
    assert DeadlineRule.objects.get(code="proceedings_concluded").counts_start_day
    assert DeadlineRule.objects.get(code="carer_fee").extension_amount == 2
    assert DeadlineRule.objects.get(code="connected_person_approval").extension_amount == 8


def test_every_rule_reads_events_the_service_records():
    # Each event source a rule reads names the models that hold its dates, and a save of any
    # of them works out that child's deadlines again.
    for spec in registry.SPECS:
        for name in spec.needs:
            for model in sources.SOURCES[name].models:
                assert model in sources.TRIGGERS, (spec.code, name, model)


def test_describe_reads_like_the_spec():
    assert DeadlineRule.objects.get(code="proceedings_concluded").describe() == (
        "26 weeks after the day care proceedings were issued, counting that day as the first"
    )
    assert DeadlineRule.objects.get(code="part1_submitted").describe() == (
        "3 working days before the date of the forum, by 17:00"
    )
