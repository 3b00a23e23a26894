"""A Redis cache that a Redis outage cannot turn into an error page (issue 11).

Everything the service caches can be worked out again from the database, so a cache that is
down is a cache that misses: a read returns its default (the caller computes the value), a
write is dropped, and each is logged. Short socket timeouts (set in production.py) keep a
Redis that does not answer from holding a page up.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _fail_safe(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # whatever redis-py raised: the page goes on without the cache
            logger.warning("Cache unavailable for %s (%s); carrying on without it", name, exc)
            return fallback(*args, **kwargs)

    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, where any error reading or writing means a miss (BaseCache's
    get_or_set then computes the value: its reads return the default it is given)."""

    get = _fail_safe("get", _default)
    get_many = _fail_safe("get_many", lambda *a, **k: {})
    has_key = _fail_safe("has_key", lambda *a, **k: False)
    set = _fail_safe("set", lambda *a, **k: None)
    set_many = _fail_safe("set_many", lambda data, *a, **k: list(data))
    add = _fail_safe("add", lambda *a, **k: False)
    touch = _fail_safe("touch", lambda *a, **k: False)
    delete = _fail_safe("delete", lambda *a, **k: False)
    delete_many = _fail_safe("delete_many", lambda *a, **k: None)
    clear = _fail_safe("clear", lambda *a, **k: False)
