"""A connected person's temporary approval (CPPCR 2010 regs 24-25): 16 weeks from the day the
child is placed with them, extended once by up to 8 weeks, ended by full approval or a move.
The services and what they refuse, and the pages on the child's record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence import dates
from permanence.models import ConnectedPersonApproval
from permanence.services import (
    connected_approval_extend,
    connected_approval_resolve,
    connected_approval_start,
)
from tests.factories.permanence import ChildFactory, ConnectedPersonApprovalFactory, EpisodeFactory
from tracker import timescale_source
from tracker.models import DeadlineRule

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
APPROVED = ConnectedPersonApproval.Outcome.APPROVED


def weeks_ago(n: int) -> dt.date:
    return dates.add_weeks(TODAY, -n)


@pytest.fixture
def placed_on():
    return weeks_ago(10)


@pytest.fixture
def kinship_child(team, social_worker, iro, placed_on):
    """Looked after in foster care, then placed with her grandparents (U3) 10 weeks ago."""
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name="Ivy")
    EpisodeFactory(child=child, decom=weeks_ago(30), place="U6", dec=placed_on, rec="X1", rne="S")
    EpisodeFactory(child=child, decom=placed_on, rne="P", place="U3")
    return child


@pytest.fixture
def approval(kinship_child, social_worker, placed_on):
    return connected_approval_start(
        child=kinship_child, by=social_worker, placed_on=placed_on, carers="Jean Smith"
    )


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def date_parts(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


# --- recording the temporary approval (reg 24) ---------------------------------------------


def test_the_temporary_approval_lasts_16_weeks_from_the_placement(approval, social_worker):
    assert approval.ends_on == dates.add_weeks(approval.placed_on, 16)
    assert (approval.recorded_by, approval.carers) == (social_worker, "Jean Smith")
    record = approval.history.get()
    assert record.history_user == social_worker
    assert record.history_change_reason == "Temporary approval recorded (reg 24)"


def test_a_child_never_placed_with_a_connected_person_is_refused(team, social_worker):
    child = ChildFactory(team=team, first_name="Leo")
    EpisodeFactory(child=child, decom=weeks_ago(5), place="U6")
    with pytest.raises(ValidationError) as exc:
        connected_approval_start(
            child=child, by=social_worker, placed_on=weeks_ago(5), carers="An aunt"
        )
    assert "Leo has no placement with a connected person" in errors_of(exc)["placed_on"][0]


def test_the_date_must_be_the_start_of_the_placement(kinship_child, social_worker, placed_on):
    with pytest.raises(ValidationError) as exc:
        connected_approval_start(
            child=kinship_child, by=social_worker, placed_on=weeks_ago(9), carers="Jean Smith"
        )
    assert errors_of(exc)["placed_on"] == [
        f"Enter the date the placement with the connected person started: {placed_on:%d/%m/%Y}"
    ]
    assert not ConnectedPersonApproval.objects.exists()


def test_a_date_in_the_future_is_refused(kinship_child, social_worker):
    with pytest.raises(ValidationError) as exc:
        connected_approval_start(
            child=kinship_child,
            by=social_worker,
            placed_on=TODAY + dt.timedelta(days=1),
            carers="Jean Smith",
        )
    assert errors_of(exc)["placed_on"] == ["The date placed cannot be in the future"]


def test_the_same_placement_is_recorded_once(approval, kinship_child, social_worker, placed_on):
    with pytest.raises(ValidationError) as exc:
        connected_approval_start(
            child=kinship_child, by=social_worker, placed_on=placed_on, carers="Someone else"
        )
    assert "already recorded" in errors_of(exc)["placed_on"][0]
    assert ConnectedPersonApproval.objects.count() == 1


def test_the_carers_names_are_needed(kinship_child, social_worker, placed_on):
    with pytest.raises(ValidationError) as exc:
        connected_approval_start(
            child=kinship_child, by=social_worker, placed_on=placed_on, carers="  "
        )
    assert "carers" in errors_of(exc)


@pytest.mark.parametrize("who", ["other_social_worker", "iro", "cps_duty"])
def test_only_those_who_change_the_childs_record_may_record_it(
    request, kinship_child, placed_on, who
):
    with pytest.raises(PermissionDenied):
        connected_approval_start(
            child=kinship_child,
            by=request.getfixturevalue(who),
            placed_on=placed_on,
            carers="Jean Smith",
        )


def test_a_manager_may_record_it(kinship_child, team_manager, head_of_service, placed_on):
    approval = connected_approval_start(
        child=kinship_child, by=head_of_service, placed_on=placed_on, carers="Jean Smith"
    )
    connected_approval_resolve(
        approval=approval, by=team_manager, outcome=APPROVED, resolved_on=TODAY
    )


# --- the one extension (reg 25) ------------------------------------------------------------


def test_an_extension_moves_the_end_by_the_weeks_agreed(approval, social_worker):
    extended = connected_approval_extend(
        approval=approval,
        by=social_worker,
        extended_on=TODAY,
        extension_weeks=6,
        agreed_by="Helen Morris, nominated officer",
    )
    assert extended.ends_on == dates.add_weeks(approval.placed_on, 22)
    assert extended.history.first().history_change_reason == (
        "Temporary approval extended by 6 weeks (reg 25)"
    )


def test_a_second_extension_is_refused(approval, social_worker):
    connected_approval_extend(
        approval=approval, by=social_worker, extended_on=TODAY, extension_weeks=2, agreed_by="HM"
    )
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=2,
            agreed_by="HM",
        )
    assert "it can be extended only once" in errors_of(exc)["extended_on"][0]
    approval.refresh_from_db()
    assert approval.extension_weeks == 2


@pytest.mark.parametrize("weeks", [0, 9])
def test_the_extension_is_1_to_8_weeks(approval, social_worker, weeks):
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=weeks,
            agreed_by="HM",
        )
    assert errors_of(exc)["extension_weeks"] == ["The extension must be between 1 and 8 weeks"]


def test_the_longest_extension_is_the_rules_value(approval, social_worker):
    DeadlineRule.objects.filter(code="connected_person_approval").update(extension_amount=4)
    timescale_source.forget()
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=5,
            agreed_by="HM",
        )
    assert errors_of(exc)["extension_weeks"] == ["The extension must be between 1 and 4 weeks"]


def test_the_extension_is_agreed_before_the_16_weeks_end(team, social_worker):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, decom=weeks_ago(20), place="U3")
    approval = ConnectedPersonApprovalFactory(
        child=child, placed_on=weeks_ago(20), recorded_by=social_worker
    )
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=4,
            agreed_by="HM",
        )
    first_end = dates.add_weeks(weeks_ago(20), 16)
    assert errors_of(exc)["extended_on"] == [
        f"The extension must be agreed before the temporary approval ends, on {first_end:%d/%m/%Y}"
    ]


def test_the_extension_dates_are_checked(approval, social_worker, placed_on):
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY + dt.timedelta(days=1),
            extension_weeks=4,
            agreed_by="",
        )
    errors = errors_of(exc)
    assert errors["extended_on"] == ["The date the extension was agreed cannot be in the future"]
    assert errors["extension_agreed_by"] == ["Enter who agreed the extension"]
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=placed_on - dt.timedelta(days=1),
            extension_weeks=4,
            agreed_by="HM",
        )
    assert "before the child was placed" in errors_of(exc)["extended_on"][0]


def test_no_extension_once_the_outcome_is_recorded(approval, social_worker):
    connected_approval_resolve(
        approval=approval, by=social_worker, outcome=APPROVED, resolved_on=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=4,
            agreed_by="HM",
        )
    assert "has already ended" in errors_of(exc)["extended_on"][0]


# --- the outcome ---------------------------------------------------------------------------


def test_full_approval_is_recorded_with_its_date(approval, social_worker):
    resolved = connected_approval_resolve(
        approval=approval, by=social_worker, outcome=APPROVED, resolved_on=weeks_ago(1)
    )
    assert (resolved.outcome, resolved.resolved_on) == (APPROVED, weeks_ago(1))
    assert resolved.history.first().history_change_reason == (
        "Temporary approval ended: Fully approved as foster carers"
    )


def test_the_outcome_is_recorded_once(approval, social_worker):
    connected_approval_resolve(
        approval=approval, by=social_worker, outcome=APPROVED, resolved_on=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        connected_approval_resolve(
            approval=approval, by=social_worker, outcome="not_approved", resolved_on=TODAY
        )
    assert "already recorded" in errors_of(exc)["outcome"][0]
    approval.refresh_from_db()
    assert approval.outcome == APPROVED


@pytest.mark.parametrize(
    ("outcome", "days", "field", "message"),
    [
        ("maybe", 0, "outcome", "Select the outcome"),
        (APPROVED, 1, "resolved_on", "The date of the outcome cannot be in the future"),
        (APPROVED, -80, "resolved_on", "The outcome cannot be before the child was placed"),
    ],
    ids=["unknown-outcome", "future", "before-placement"],
)
def test_a_bad_outcome_is_refused(approval, social_worker, outcome, days, field, message):
    with pytest.raises(ValidationError) as exc:
        connected_approval_resolve(
            approval=approval,
            by=social_worker,
            outcome=outcome,
            resolved_on=TODAY + dt.timedelta(days=days),
        )
    assert errors_of(exc)[field][0].startswith(message)
    approval.refresh_from_db()
    assert approval.outcome == ""


def test_the_outcome_cannot_be_before_the_extension(approval, social_worker):
    connected_approval_extend(
        approval=approval, by=social_worker, extended_on=TODAY, extension_weeks=4, agreed_by="HM"
    )
    with pytest.raises(ValidationError) as exc:
        connected_approval_resolve(
            approval=approval, by=social_worker, outcome=APPROVED, resolved_on=weeks_ago(1)
        )
    assert "before the extension was agreed" in errors_of(exc)["resolved_on"][0]


def test_the_iro_may_not_record_the_outcome(approval, iro):
    with pytest.raises(PermissionDenied):
        connected_approval_resolve(approval=approval, by=iro, outcome=APPROVED, resolved_on=TODAY)


# --- the pages -----------------------------------------------------------------------------


def section_of(html: str) -> str:
    start = html.index('id="connected-approval"')
    return html[start : html.index("<h2", start)]


def error_beside(html: str, field: str) -> str:
    """The text of FIELD's form group, when it is marked as having an error."""
    start = html.index(f'id="div_id_{field}"')
    following = html.find('id="div_id_', start + 1)
    group = html[start : following if following != -1 else len(html)]
    assert "govuk-form-group--error" in group[:200], f"no error on {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", group).split())


def test_the_childs_page_shows_the_approval_due(client, social_worker, kinship_child, placed_on):
    client.force_login(social_worker)
    html = client.get(kinship_child.get_absolute_url()).content.decode()
    section = section_of(html)
    assert "Connected person's temporary approval" in html
    assert f"{dates.add_weeks(placed_on, 16):%-d %B %Y}" in section
    assert "Not recorded" in section
    assert reverse("permanence:connected-approval-create", args=[kinship_child.pk]) in section


def test_no_section_for_a_child_not_with_a_connected_person(client, social_worker, team):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, place="U6")
    client.force_login(social_worker)
    html = client.get(child.get_absolute_url()).content.decode()
    assert 'id="connected-approval"' not in html


def test_the_iro_sees_the_approval_without_the_buttons(client, iro, approval, kinship_child):
    client.force_login(iro)
    section = section_of(client.get(kinship_child.get_absolute_url()).content.decode())
    assert "Jean Smith" in section and "Temporary" in section
    assert "Record an extension" not in section and "Record the outcome" not in section
    url = reverse("permanence:connected-approval-extend", args=[kinship_child.pk, approval.pk])
    assert client.get(url).status_code == 403


def test_someone_who_cannot_see_the_child_gets_not_found(
    client, other_social_worker, kinship_child
):
    client.force_login(other_social_worker)
    url = reverse("permanence:connected-approval-create", args=[kinship_child.pk])
    assert client.get(url).status_code == 404


def test_the_form_is_prefilled_with_the_placement_date_and_records_it(
    client, social_worker, kinship_child, placed_on
):
    client.force_login(social_worker)
    url = reverse("permanence:connected-approval-create", args=[kinship_child.pk])
    html = client.get(url).content.decode()
    assert f'value="{placed_on.year}"' in html and f'value="{placed_on.day}"' in html
    response = client.post(url, {**date_parts("placed_on", placed_on), "carers": "Jean Smith"})
    assert response.status_code == 302 and response["Location"] == kinship_child.get_absolute_url()
    section = section_of(client.get(response["Location"]).content.decode())
    assert "Jean Smith" in section
    assert "Record an extension" in section and "Record the outcome" in section
    assert "Record the temporary approval" not in section


def test_a_wrong_placement_date_is_shown_beside_the_field(
    client, social_worker, kinship_child, placed_on
):
    client.force_login(social_worker)
    url = reverse("permanence:connected-approval-create", args=[kinship_child.pk])
    response = client.post(url, {**date_parts("placed_on", weeks_ago(3)), "carers": "Jean"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"started: {placed_on:%d/%m/%Y}" in error_beside(html, "placed_on")
    assert not ConnectedPersonApproval.objects.exists()


def test_a_too_long_extension_is_shown_beside_the_field(
    client, social_worker, approval, kinship_child
):
    client.force_login(social_worker)
    url = reverse("permanence:connected-approval-extend", args=[kinship_child.pk, approval.pk])
    response = client.post(
        url,
        {
            **date_parts("extended_on", TODAY),
            "extension_weeks": "9",
            "extension_agreed_by": "Helen Morris",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The extension must be between 1 and 8 weeks" in error_beside(html, "extension_weeks")
    approval.refresh_from_db()
    assert approval.extended_on is None


def test_an_extension_through_the_page_moves_the_end_date(
    client, social_worker, approval, kinship_child, placed_on
):
    client.force_login(social_worker)
    url = reverse("permanence:connected-approval-extend", args=[kinship_child.pk, approval.pk])
    response = client.post(
        url,
        {
            **date_parts("extended_on", TODAY),
            "extension_weeks": "6",
            "extension_agreed_by": "Helen Morris",
        },
    )
    assert response.status_code == 302
    section = section_of(client.get(kinship_child.get_absolute_url()).content.decode())
    assert f"{dates.add_weeks(placed_on, 22):%-d %B %Y}" in section
    assert "Extended by 6 weeks" in section and "Helen Morris" in section
    assert "Record an extension" not in section


def test_the_outcome_through_the_page(client, social_worker, approval, kinship_child):
    client.force_login(social_worker)
    url = reverse("permanence:connected-approval-resolve", args=[kinship_child.pk, approval.pk])
    missing = client.post(url, {})
    assert missing.status_code == 400
    assert "Error: Select the outcome" in error_beside(missing.content.decode(), "outcome")
    response = client.post(url, {"outcome": APPROVED, **date_parts("resolved_on", TODAY)})
    assert response.status_code == 302
    section = section_of(client.get(kinship_child.get_absolute_url()).content.decode())
    assert "Fully approved as foster carers" in section
    assert "Record the outcome" not in section and "Record an extension" not in section


def test_with_no_extension_allowed_none_is_offered_or_recorded(client, approval, social_worker):
    DeadlineRule.objects.filter(code="connected_person_approval").update(extension_amount=0)
    timescale_source.forget()
    client.force_login(social_worker)
    page = client.get(approval.child.get_absolute_url()).content.decode()
    assert "Record the outcome" in page
    assert "Record an extension" not in page
    with pytest.raises(ValidationError) as exc:
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=2,
            agreed_by="HM",
        )
    assert errors_of(exc)["extension_weeks"] == [
        "No extension can be recorded: the extension allowed for a temporary approval is set "
        "to 0 weeks"
    ]
