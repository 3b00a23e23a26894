"""The caseload page says whose children it lists, in words true for the reader's role."""

import pytest
from django.urls import reverse

from permanence.roles import Role
from tests.factories.permanence import UserFactory

pytestmark = pytest.mark.django_db

TEAM_WORDS = "Your team&#x27;s caseload."


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("social_worker", TEAM_WORDS),
        ("iro", "The children allocated to you as their IRO."),
        ("team_manager", "Every child in your service."),
        ("head_of_service", "Every child in your service."),
        ("cps_duty", "The children your work on forums, meetings and reviews brings you."),
        ("chair", "The children your work on forums, meetings and reviews brings you."),
    ],
)
def test_each_role_is_told_whose_children_these_are(client, request, fixture, expected):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("permanence:child-list")).content.decode()
    assert expected in page
    if fixture != "social_worker":
        assert TEAM_WORDS not in page


def test_someone_with_no_team_is_never_told_of_their_teams_caseload(client, service):
    officer = UserFactory(team=None, service=service, role=Role.ADMIN_OFFICER)
    client.force_login(officer)
    page = client.get(reverse("permanence:child-list")).content.decode()
    assert TEAM_WORDS not in page
    assert "The children your work on forums, meetings and reviews brings you." in page
