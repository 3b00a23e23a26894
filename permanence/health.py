"""The load balancer's health endpoint (issue 17): the database, Redis and a Celery worker.

django-health-check runs the probes; this module chooses them from the settings and answers
with their names and "ok" or "failing" only: no error text (it can name hosts), no data, no
sign-in. A trial with no broker (CELERY_BROKER_URL unset, tasks run in-process) has only a
database to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import redis
from celery import Celery
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as AsyncRedis

# Each probe's budget: a load balancer waits a few seconds at most for an answer.
PROBE_SECONDS = 2


# One small Celery app per broker address, only to send pings: never the service's own app, whose
# configuration is fixed the first time it is read.
_PING_APPS: dict[str, Celery] = {}


def _ping_app(url: str) -> Celery:
    if url not in _PING_APPS:
        _PING_APPS[url] = Celery("health", broker=url, set_as_current=False)
    return _PING_APPS[url]


def _broker_url() -> str:
    return settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else ""


@dataclasses.dataclass
class Worker(Ping):
    """At least one Celery worker answers a ping through the broker.

    Asked only once the broker answers itself: with Redis stopped, Celery's publish would retry
    its connection for longer than the load balancer waits.
    """

    def run(self):
        try:
            redis.Redis.from_url(_broker_url(), socket_connect_timeout=1, socket_timeout=1).ping()
        except redis.RedisError as exc:
            raise ServiceUnavailable("The broker does not answer") from exc
        super().run()


def _checks() -> dict[str, object]:
    checks: dict[str, object] = {"database": Database()}
    url = _broker_url()
    if url:

        def client() -> AsyncRedis:
            return AsyncRedis.from_url(url, socket_connect_timeout=1, socket_timeout=1)

        checks["redis"] = Redis(client_factory=client)
        # The ping waits this long for a worker's answer, or returns at the first one.
        checks["worker"] = Worker(
            app=_ping_app(url), timeout=dt.timedelta(seconds=PROBE_SECONDS), limit=1
        )
    return checks


@method_decorator(login_not_required, name="dispatch")
class HealthView(HealthCheckView):
    """200 when every probe passes, 503 (the load balancer's "take me out") when any fails."""

    def get_checks(self):
        self.names = list(_checks().items())
        for _name, check in self.names:
            yield check

    async def get(self, request, *args, **kwargs):
        await super().get(request, *args, **kwargs)
        names = {id(check): name for name, check in self.names}
        body = {
            names[id(result.check)]: "failing" if result.error else "ok" for result in self.results
        }
        status = 503 if any(result.error for result in self.results) else 200
        return JsonResponse(body, status=status)
