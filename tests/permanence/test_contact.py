"""Contact with family and the adults who will stand by the child (001 §2.1, 002 §5): who, how
often, supervised or not; contact without a person is refused beside the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence.family import services
from permanence.models import ContactArrangement
from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
GOOD = {
    "relationship": "mother",
    "person_name": "Jo Smith",
    "frequency": "Monthly",
    "kind": "in_person",
    "supervision": "supervised",
    "starts_on": "",
    "notes": "",
}


@pytest.fixture
def child(team, social_worker, iro):
    return ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name="Amy")


def test_contact_with_a_parent_is_recorded_and_shown(client, child, social_worker):
    client.force_login(social_worker)
    response = client.post(reverse("permanence:contact-create", args=[child.pk]), GOOD)
    assert response.status_code == 302
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Jo Smith" in page
    assert "Monthly" in page
    assert "Supervised" in page


@pytest.mark.parametrize(
    ("change", "field_words"),
    [
        ({"person_name": ""}, "Enter the name of the person the contact is with"),
        ({"relationship": "sibling", "person_name": ""}, "Choose the brother or sister"),
        ({"frequency": ""}, "Enter how often contact happens"),
    ],
)
def test_contact_without_a_person_or_frequency_is_refused_beside_the_field(
    client, child, social_worker, change, field_words
):
    client.force_login(social_worker)
    data = {**GOOD, "notes": "Kept after an error", **change}
    response = client.post(reverse("permanence:contact-create", args=[child.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_words in body
    assert "Kept after an error" in body
    assert not ContactArrangement.objects.exists()


def test_contact_with_a_child_outside_the_group_is_refused(child, social_worker, team):
    stranger = ChildFactory(team=team)
    with pytest.raises(ValidationError) as exc:
        services.contact_arrangement_record(
            child=child,
            by=social_worker,
            relationship="sibling",
            sibling=stranger,
            frequency="Weekly",
            kind="calls",
            supervision="unsupervised",
        )
    assert "from the child's sibling group" in exc.value.message_dict["sibling"][0]


def test_an_arrangement_ends_and_stays_on_the_record(client, child, social_worker):
    arrangement = services.contact_arrangement_record(
        child=child, by=social_worker, **{**GOOD, "starts_on": None}
    )
    client.force_login(social_worker)
    url = reverse("permanence:contact-end", args=[child.pk, arrangement.pk])
    response = client.post(
        url, {"ended_on_0": TODAY.day, "ended_on_1": TODAY.month, "ended_on_2": TODAY.year}
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.ended_on == TODAY
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Ended: contact with Jo Smith" in page


def test_a_supporting_adult_is_recorded_and_shown(client, child, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:supporting-adult-create", args=[child.pk])
    response = client.post(
        url, {"name": "Aunt May", "relationship": "Aunt", "support": "Weekends and holidays"}
    )
    assert response.status_code == 302
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Aunt May (Aunt)" in page


def test_a_worker_of_another_team_cannot_open_the_contact_page(child, client, other_social_worker):
    client.force_login(other_social_worker)
    assert client.get(reverse("permanence:contact-create", args=[child.pk])).status_code == 404


def test_an_iro_may_read_but_not_record_contact(child, client, iro):
    client.force_login(iro)
    assert client.get(reverse("permanence:contact-create", args=[child.pk])).status_code == 403
    assert (
        "Record a contact arrangement" not in client.get(child.get_absolute_url()).content.decode()
    )
