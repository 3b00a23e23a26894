"""A person's roles and permissions kept in the shared cache (permanence/authcache.py): fewer
queries on every page, and never an answer that outlives a change to who may do what."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.models import User
from permanence.roles import Role

pytestmark = pytest.mark.django_db

PERM = "tracker.view_trackerrow"


@pytest.fixture
def cached(settings):
    settings.AUTH_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _fresh(user) -> User:
    """The account as the next request reads it from the database."""
    return User.objects.get(pk=user.pk)


def test_a_page_asks_the_database_three_times_fewer_once_the_answer_is_kept(
    client, cached, head_of_service
):
    client.force_login(head_of_service)
    url = reverse("tracker:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as uncached, pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.AUTH_CACHE_SECONDS", 0)
        assert client.get(url).status_code == 200
    assert len(uncached) - len(kept) == 3
    assert not any("auth_group" in q["sql"] for q in kept.captured_queries)


def test_leaving_a_role_takes_effect_on_the_next_request(cached, head_of_service):
    user = _fresh(head_of_service)
    assert user.has_perm(PERM) and user.has_role(Role.HEAD_OF_SERVICE)
    head_of_service.groups.remove(Group.objects.get(name=Role.HEAD_OF_SERVICE.label))
    user = _fresh(head_of_service)
    assert not user.has_role(Role.HEAD_OF_SERVICE)
    assert not user.has_perm(PERM)


def test_a_permission_taken_from_a_role_goes_at_once(cached, head_of_service):
    assert _fresh(head_of_service).has_perm(PERM)
    group = Group.objects.get(name=Role.HEAD_OF_SERVICE.label)
    app_label, codename = PERM.split(".")
    group.permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    assert not _fresh(head_of_service).has_perm(PERM)


def test_a_switched_off_account_has_no_permission_though_its_answer_was_kept(
    cached, head_of_service
):
    assert _fresh(head_of_service).has_perm(PERM)
    User.objects.filter(pk=head_of_service.pk).update(is_active=False)
    assert not _fresh(head_of_service).has_perm(PERM)


def test_a_role_given_is_there_on_the_next_request(cached, social_worker):
    assert not _fresh(social_worker).has_role(Role.IRO)
    social_worker.groups.add(Group.objects.get(name=Role.IRO.label))
    assert _fresh(social_worker).has_role(Role.IRO, Role.SOCIAL_WORKER)
