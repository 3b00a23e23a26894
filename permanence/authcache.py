"""A signed-in person's roles and permissions, read from the shared cache (issue 19, item 4).

Every page asks who the reader is allowed to be: their roles (their groups) and their
permissions (their own and their groups'). Read from the database, that is three queries on
every request, the same answer each time. With a cache every web process shares (Redis in
production), the answer is kept for AUTH_CACHE_SECONDS under a key that carries a version
number; any change to who has which role or permission (a group joined or left, a group's
permissions changed, a person's own permissions, an account switched off or made superuser)
bumps the version, so the next request of every process reads the new answer. Nothing is
cached when AUTH_CACHE_SECONDS is 0 (development and tests, with a cache per process, where a
change in one process could not reach the others).

If Redis is down the cache misses (permanence/cache.py) and the database answers, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from permanence.prepared import prepared

VERSION_KEY = "auth-facts:version"


def enabled() -> bool:
    return getattr(settings, "AUTH_CACHE_SECONDS", 0) > 0


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def _key(user, what: str) -> str:
    # The version changes when anyone's roles or permissions do; is_active and is_superuser are
    # in the key too, so an account read fresh from the database never meets an answer that
    # was true of it before it was switched off.
    version = getattr(user, "_auth_facts_version", None)
    if version is None:
        version = user._auth_facts_version = _version()
    return f"auth-facts:{version}:{user.pk}:{int(user.is_active)}{int(user.is_superuser)}:{what}"


def remembered(user, what: str, work):
    """WORK() for this user, kept in the shared cache until their roles or permissions change."""
    if not enabled() or not user.pk:
        return work()
    key = _key(user, what)
    found = cache.get(key)
    if found is None:
        found = work()
        cache.set(key, found, settings.AUTH_CACHE_SECONDS)
    return found


def forget_everyone(**kwargs) -> None:
    """Someone's roles or permissions changed: every cached answer is out of date."""
    if not enabled():
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing has been cached under one
        cache.set(VERSION_KEY, 2, None)


def all_permissions(user_obj, compute) -> set[str]:
    """The permissions COMPUTE(user_obj) works out from the database, kept once per request on
    the user and between requests in the shared cache; for every backend that answers them."""
    if not user_obj.is_active or user_obj.is_anonymous:
        return set()
    if not hasattr(user_obj, "_perm_cache"):
        user_obj._perm_cache = remembered(user_obj, "perms", lambda: set(compute(user_obj)))
    return user_obj._perm_cache


def signed_in_user(model, user_id):
    """The signed-in person the session names, with their team in the same query: a manager
    oversees their team's service (User.oversight_service_id), asked on many pages; None when
    there is no such account."""
    if not isinstance(user_id, int):
        user_id = model._meta.pk.to_python(user_id)
    found = _account(user_id)
    return found[0] if found else None


@prepared
def _account(user_id: int):
    # Compiled once (permanence.prepared): every request of a signed-in person reads it.
    model = get_user_model()
    return model._default_manager.select_related("team").filter(pk=user_id)


class CachedModelBackend(ModelBackend):
    """Django's own permission backend, its answer per person kept in the shared cache."""

    def get_user(self, user_id):
        user = signed_in_user(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return all_permissions(user_obj, super().get_all_permissions)
