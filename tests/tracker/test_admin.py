"""An administrator changes any timescale in the admin; nonsense is refused with a clear
message next to the field, and nothing is changed (SPEC §1, §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, Deadline, DeadlineRule

pytestmark = pytest.mark.django_db


def form_data(rule: DeadlineRule, **changes) -> dict:
    data = {
        "name": rule.name,
        "active": "on" if rule.active else "",
        "counts_from": rule.counts_from,
        "amount": rule.amount,
        "unit": rule.unit,
        "counts_start_day": "on" if rule.counts_start_day else "",
        "due_time": rule.due_time.strftime("%H:%M") if rule.due_time else "",
        "extension_amount": rule.extension_amount,
        "met_by": rule.met_by,
        "warning_days": rule.warning_days,
        "owner_role": rule.owner_role,
        "copy_role": rule.copy_role,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def change(admin_client, code: str, **changes):
    rule = DeadlineRule.objects.get(code=code)
    return admin_client.post(
        f"/admin/tracker/deadlinerule/{rule.pk}/change/", form_data(rule, **changes)
    )


def test_administrator_changes_a_timescale_without_a_code_change(admin_client, administrator):
    response = change(admin_client, "care_planning_meeting", amount=4)
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(code="care_planning_meeting")
    assert rule.amount == 4
    record = rule.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "Changed in the administration pages",
    )


@pytest.mark.parametrize(
    ("code", "changes", "field", "message"),
    [
        ("first_review", {"amount": -3}, "amount", "cannot be negative"),
        ("first_review", {"amount": 0}, "amount", "at least 1"),
        (
            "proceedings_concluded",
            {"amount": 260},
            "amount",
            "Enter a timescale of 104 weeks or fewer: 260 weeks is longer than two years",
        ),
        ("second_review", {"amount": 300}, "amount", "24 calendar months or fewer"),
        ("iro_allocated", {"amount": 5000}, "amount", "520 working days or fewer"),
        ("carer_fee", {"extension_amount": -2}, "extension_amount", "cannot be negative"),
        ("carer_fee", {"extension_amount": 500}, "extension_amount", "104 weeks or fewer"),
        ("first_review", {"warning_days": 400}, "warning_days", "90 days or fewer"),
        ("first_review", {"warning_days": -1}, "warning_days", "cannot be negative"),
    ],
    ids=[
        "negative",
        "zero",
        "absurd-weeks",
        "absurd-months",
        "absurd-working-days",
        "negative-extension",
        "absurd-extension",
        "absurd-warning",
        "negative-warning",
    ],
)
def test_negative_or_absurd_numbers_are_refused_with_a_clear_message(
    admin_client, code, changes, field, message
):
    before = DeadlineRule.objects.get(code=code)
    response = change(admin_client, code, **changes)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    after = DeadlineRule.objects.get(code=code)
    assert (after.amount, after.extension_amount, after.warning_days) == (
        before.amount,
        before.extension_amount,
        before.warning_days,
    )


def test_rules_are_not_added_or_deleted_in_the_admin(admin_client):
    assert admin_client.get("/admin/tracker/deadlinerule/add/").status_code == 403
    rule = DeadlineRule.objects.get(code="first_review")
    assert admin_client.get(f"/admin/tracker/deadlinerule/{rule.pk}/delete/").status_code == 403


def test_the_admin_says_what_each_rule_reads(admin_client):
    rule = DeadlineRule.objects.get(code="sgo_referral")
    page = admin_client.get(f"/admin/tracker/deadlinerule/{rule.pk}/change/").content.decode()
    assert (
        "Recorded in the service: A review recommending special guardianship; "
        "SGO referral sent to the SGO team"
    ) in page


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("part1_submitted", "Ends: it leads to permanence"),
        ("later_review", "Goes on after the plan is achieved"),
        ("supervision_order_ends", "Goes on after the plan is achieved"),
    ],
)
def test_the_admin_says_whether_a_rule_ends_once_permanence_is_achieved(admin_client, code, said):
    rule = DeadlineRule.objects.get(code=code)
    page = admin_client.get(f"/admin/tracker/deadlinerule/{rule.pk}/change/").content.decode()
    assert "once permanence is achieved" in page.lower()
    assert said in page


def test_a_social_worker_cannot_reach_the_timescales(client, social_worker):
    client.force_login(social_worker)
    assert client.get("/admin/tracker/deadlinerule/").status_code == 302


def test_tracked_from_stops_years_old_deadlines_and_closes_their_alerts(
    admin_client, make_child, only_rules, system
):
    # A child looked after since 2019 shows an early permanence panel seven years overdue until
    # the administrator says the service tracks that panel from its go-live date.
    only_rules("early_permanence_panel")
    child = make_child(dt.date(2019, 5, 7))
    services.deadlines_sweep(by=system, now=at(dt.date(2026, 11, 23)))
    deadline = Deadline.objects.get(child=child)
    assert deadline.status == "overdue"
    alert = Alert.objects.get(child=child)
    assert alert.closed_at is None

    response = change(admin_client, "early_permanence_panel", applies_from="01/04/2026")
    assert response.status_code == 302
    assert DeadlineRule.objects.get(code="early_permanence_panel").applies_from == dt.date(
        2026, 4, 1
    )
    services.deadlines_sweep(by=system, now=at(dt.date(2026, 11, 23)))
    assert not Deadline.objects.filter(child=child).exists()
    alert.refresh_from_db()
    assert alert.closed_at is not None
    assert alert.close_reason == "no_longer_applies"


def test_every_timescale_and_meeting_type_names_its_source_in_plain_english(admin_client):
    """Administrators read where a rule comes from: the procedure or the law by name, never the
    numbers of the documents the service was built from."""
    import re

    from forums.models import MeetingType

    sources = list(DeadlineRule.objects.values_list("source", flat=True))
    sources += list(MeetingType.objects.values_list("source", flat=True))
    assert len(sources) > 30
    for source in sources:
        assert source.strip()
        assert "seed" not in source.lower(), source
        assert not re.search(r"\b0\d\d\b", source), source
    rule = DeadlineRule.objects.get(code="first_review")
    page = admin_client.get(f"/admin/tracker/deadlinerule/{rule.pk}/change/").content.decode()
    assert "Care Planning, Placement and Case Review (England) Regulations 2010, reg 33" in page
