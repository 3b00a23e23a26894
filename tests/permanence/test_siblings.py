"""Brothers and sisters (001 §2.1): the social worker records the group, separation only after a
recorded sibling assessment, contact between those apart, and new evidence on living together
that tells each child's worker and IRO. Shown on the child's page, Part 1 and the tracker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence.family import services
from permanence.models import Notification, SiblingAssessment, SiblingGroup
from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
APART = SiblingAssessment.Recommendation.APART


@pytest.fixture
def three(team, social_worker, iro):
    return [
        ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name=name)
        for name in ("Amy", "Ben", "Cal")
    ]


@pytest.fixture
def group(three, social_worker):
    return services.sibling_group_create(
        child=three[0], by=social_worker, name="Smith brothers and sisters", members=three
    )


def ids(children) -> str:
    return ", ".join(c.child_id for c in children)


def test_a_social_worker_records_a_group_of_three_to_live_together(three, group):
    assert sorted(c.pk for c in group.children.all()) == sorted(c.pk for c in three)
    assert group.placement == SiblingGroup.Placement.TOGETHER
    assert group.history.first().history_user is not None


def test_identifiers_are_found_without_regard_to_case(three, social_worker):
    found = services.children_from_identifiers(text=ids(three).lower(), by=social_worker)
    assert found == three


def test_a_child_already_in_another_group_is_refused_by_name(three, group, social_worker, team):
    other = ChildFactory(team=team, first_name="Dee")
    with pytest.raises(ValidationError) as exc:
        services.sibling_group_create(
            child=other, by=social_worker, name="Another", members=[other, three[1]]
        )
    assert "is already in another sibling group" in exc.value.message_dict["members"][0]
    assert three[1].full_name in exc.value.message_dict["members"][0]


def test_a_group_of_one_is_refused(three, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.sibling_group_create(child=three[0], by=social_worker, name="x", members=[])
    assert "at least two children" in exc.value.message_dict["members"][0]


def test_a_child_outside_the_workers_scope_is_not_found_by_identifier(
    three, social_worker, other_team
):
    stranger = ChildFactory(team=other_team)
    with pytest.raises(ValidationError) as exc:
        services.children_from_identifiers(
            text=f"{three[0].child_id} {stranger.child_id}", by=social_worker
        )
    assert stranger.child_id in exc.value.message_dict["members"][0]


def test_another_teams_worker_may_not_record_the_group(three, other_social_worker):
    with pytest.raises(PermissionDenied):
        services.sibling_group_create(
            child=three[0], by=other_social_worker, name="x", members=three
        )


def test_placing_one_apart_needs_the_assessment_and_links_it(three, group, social_worker):
    assessment = services.sibling_assessment_record(
        group=group,
        child=three[0],
        by=social_worker,
        completed_on=TODAY,
        completed_by="Fostering team",
        recommendation=APART,
        summary="Cal's needs would overwhelm a placement of three.",
        apart=[three[2]],
    )
    group.refresh_from_db()
    assert group.placement == SiblingGroup.Placement.APART
    assert group.assessment == assessment
    assert list(assessment.apart.all()) == [three[2]]


@pytest.mark.parametrize(
    ("recommendation", "apart_index", "words"),
    [
        (APART, None, "Choose the child or children"),
        (SiblingAssessment.Recommendation.TOGETHER, 2, "leave every child unticked"),
    ],
)
def test_an_assessment_that_contradicts_itself_is_refused_and_nothing_changes(
    three, group, social_worker, recommendation, apart_index, words
):
    with pytest.raises(ValidationError) as exc:
        services.sibling_assessment_record(
            group=group,
            child=three[0],
            by=social_worker,
            completed_on=TODAY,
            completed_by="Fostering team",
            recommendation=recommendation,
            summary="Summary",
            apart=[] if apart_index is None else [three[apart_index]],
        )
    assert words in exc.value.message_dict["apart"][0]
    group.refresh_from_db()
    assert group.placement == SiblingGroup.Placement.TOGETHER
    assert not SiblingAssessment.objects.exists()


def test_the_database_refuses_apart_without_an_assessment(group):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SiblingGroup.objects.filter(pk=group.pk).update(placement="apart")


def test_new_evidence_tells_each_childs_worker_and_iro(three, group, team_manager, iro):
    services.sibling_evidence_record(
        group=group,
        child=three[0],
        by=team_manager,
        noted_on=TODAY - dt.timedelta(days=1),
        evidence="Cal's behaviour has settled.",
    )
    notes = Notification.objects.filter(recipient=iro)
    assert notes.count() == 3
    assert "could live together" in notes.first().subject
    noted = TODAY - dt.timedelta(days=1)
    assert notes.first().body == (
        f"New evidence dated {noted.day} {noted:%B %Y} suggests the children of a sibling group "
        "placed apart could live together. Reconsider it when reviewing the permanence plan."
    )


def test_the_childs_page_shows_the_group_apart_and_the_missing_contact(
    client, three, group, social_worker
):
    services.sibling_assessment_record(
        group=group,
        child=three[0],
        by=social_worker,
        completed_on=TODAY,
        completed_by="Fostering team",
        recommendation=APART,
        summary="Summary",
        apart=[three[2]],
    )
    client.force_login(social_worker)
    page = client.get(reverse("permanence:child-detail", args=[three[0].pk])).content.decode()
    assert "Smith brothers and sisters" in page
    assert "Some live apart" in page
    assert "No contact with brothers and sisters is recorded for Cal" in page
    services.contact_arrangement_record(
        child=three[2],
        by=social_worker,
        relationship="sibling",
        sibling=three[0],
        frequency="Fortnightly",
        kind="in_person",
        supervision="supported",
    )
    page = client.get(reverse("permanence:child-detail", args=[three[0].pk])).content.decode()
    assert "No contact with brothers and sisters" not in page
    assert "Fortnightly" in page


def test_a_sibling_the_reader_may_not_open_is_counted_not_named(
    client, three, group, iro, other_team
):
    # The IRO sees only the children allocated to them; move Ben to another IRO's list.
    three[1].refresh_from_db()
    three[1].iro = None
    three[1].save()
    client.force_login(iro)
    page = client.get(reverse("permanence:child-detail", args=[three[0].pk])).content.decode()
    assert three[1].full_name not in page
    assert "1 more brother or sister whose record you cannot open" in page


def test_the_group_pages_refuse_a_duplicate_with_a_message_and_keep_the_typing(
    client, three, group, social_worker, team
):
    other = ChildFactory(team=team, first_name="Dee")
    client.force_login(social_worker)
    url = reverse("permanence:sibling-group-create", args=[other.pk])
    response = client.post(
        url, {"name": "Dee's group", "members": f"{other.child_id} {three[1].child_id}"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "is already in another sibling group" in body
    assert "Dee&#x27;s group" in body or "Dee's group" in body


def test_a_worker_records_the_group_through_the_page(client, three, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:sibling-group-create", args=[three[0].pk])
    response = client.post(url, {"name": "The Smiths", "members": ids(three)})
    assert response.status_code == 302
    assert three[2].__class__.objects.get(pk=three[2].pk).sibling_group.name == "The Smiths"


def test_changing_the_group_takes_a_child_out(client, three, group, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:sibling-group-change", args=[three[0].pk])
    response = client.post(url, {"name": group.name, "members": ids(three[:2])})
    assert response.status_code == 302
    three[2].refresh_from_db()
    assert three[2].sibling_group is None


def _apart(group, three, by):
    services.sibling_assessment_record(
        group=group,
        child=three[0],
        by=by,
        completed_on=TODAY,
        completed_by="Fostering team",
        recommendation=APART,
        summary="Summary",
        apart=[three[2]],
    )


def test_part1_shows_the_group_and_who_lives_apart(client, three, group, social_worker):
    from tests.factories.forums import Part1Factory

    _apart(group, three, social_worker)
    part1 = Part1Factory(booking__child=three[0])
    client.force_login(social_worker)
    for name in ("forums:part1-detail", "forums:part1-edit"):
        page = client.get(reverse(name, args=[part1.booking.pk])).content.decode()
        assert "Smith brothers and sisters" in page, name
        assert "Apart from the others" in page, name


def test_the_tracker_chronology_shows_the_group(client, three, group, social_worker):
    _apart(group, three, social_worker)
    client.force_login(social_worker)
    page = client.get(reverse("tracker:chronology", args=[three[1].pk])).content.decode()
    assert "Smith brothers and sisters" in page
    assert "Some live apart" in page


def test_new_evidence_shows_on_each_siblings_plan_for_its_review(
    client, three, group, social_worker
):
    from tests.factories.plans import PlanFactory

    _apart(group, three, social_worker)
    services.sibling_evidence_record(
        group=group, child=three[0], by=social_worker, noted_on=TODAY, evidence="Cal settled."
    )
    plan = PlanFactory(child=three[2], created_by=social_worker)
    client.force_login(social_worker)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "reconsider it when each child&#x27;s permanence plan is reviewed" in page or (
        "reconsider it when each child's permanence plan is reviewed" in page
    )
    assert "Cal settled." in page
