"""Fixtures shared by every test: the people of a small authority."""

import pytest

from permanence.models import Code
from permanence.roles import Role
from tests.factories.permanence import ServiceFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts from the database's values, not what an earlier test cached."""
    from django.core.cache import cache

    from tracker import timescale_source

    Code.forget_cached()
    timescale_source.forget()
    # What pages keep for a while (a person's filter lists, reference data): a database rolled
    # back between tests may give the next test's people the same numbers.
    cache.clear()


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def team(service):
    return TeamFactory(name="North team", service=service)


@pytest.fixture
def other_team(service):
    return TeamFactory(name="South team", service=service)


@pytest.fixture
def social_worker(team):
    return UserFactory(username="sw", team=team, role=Role.SOCIAL_WORKER)


@pytest.fixture
def other_social_worker(other_team):
    return UserFactory(username="sw_other", team=other_team, role=Role.SOCIAL_WORKER)


@pytest.fixture
def iro(service):
    return UserFactory(username="iro", team=None, service=service, role=Role.IRO)


@pytest.fixture
def team_manager(team):
    return UserFactory(username="tm", team=team, role=Role.TEAM_MANAGER)


@pytest.fixture
def head_of_service(service):
    return UserFactory(username="hos", team=None, service=service, role=Role.HEAD_OF_SERVICE)


@pytest.fixture
def adoption_manager(service):
    return UserFactory(username="am", team=None, service=service, role=Role.ADOPTION_MANAGER)


@pytest.fixture
def fostering_manager(service):
    return UserFactory(username="fsm", team=None, service=service, role=Role.FOSTERING_MANAGER)


@pytest.fixture
def iro_manager(service):
    return UserFactory(username="irom", team=None, service=service, role=Role.IRO_MANAGER)


@pytest.fixture
def cps_duty(service):
    return UserFactory(username="cps", team=None, service=service, role=Role.CPS_DUTY)


@pytest.fixture
def chair(service):
    return UserFactory(username="chair", team=None, service=service, role=Role.FORUM_CHAIR)


@pytest.fixture
def administrator(service):
    return UserFactory(
        username="admin", team=None, service=service, role=Role.ADMINISTRATOR, is_staff=True
    )
