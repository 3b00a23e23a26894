"""The load balancer's health endpoint (issue 17): 200 when the database, Redis and a worker
answer, 503 once Redis is stopped; no sign-in, no data.

The Redis and worker test starts a redis-server of its own on a free port (never the shared
one) and a real Celery worker against it; skipped with a reason when redis-server is missing,
unless REQUIRE_SERVICES is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories.permanence import ChildFactory
from tests.tracker.test_faults import RedisServer, _stop, _unavailable, _wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_broker(settings):
    """A trial: no broker configured (CI sets one for the whole suite)."""
    settings.CELERY_BROKER_URL = ""


def test_without_a_broker_only_the_database_is_checked_and_no_sign_in_is_needed(client, no_broker):
    ChildFactory(first_name="Wilhelmina", last_name="Healthcheck")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert b"Wilhelmina" not in response.content
    assert "sessionid" not in response.cookies


def test_a_database_that_fails_turns_it_503(client, monkeypatch, no_broker):
    from health_check.checks import Database
    from health_check.exceptions import ServiceUnavailable

    def down(self):
        raise ServiceUnavailable("connection refused by db.internal:5432")

    monkeypatch.setattr(Database, "run", down)
    response = client.get("/health/")
    assert response.status_code == 503
    # Which part fails, never the error's text (it names hosts).
    assert response.json() == {"database": "failing"}


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        _stop(process)


def _worker(broker: str, tmp_path: Path, processes: list) -> Path:
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "permanence.settings.test",
        "CELERY_EAGER": "0",
        "CELERY_BROKER_URL": broker,
        # A ping touches no database; a file of its own all the same, never the trial's.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    with open(log, "wb") as out:
        processes.append(
            subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                [sys.executable, "-m", "celery", "-A", "permanence", "worker", "--pool=solo"]
                + ["--loglevel=INFO"]
                + ["--without-gossip", "--without-mingle", "--hostname=health-test@%h"],
                cwd=Path(settings.BASE_DIR),
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        )
    return log


def test_redis_and_a_worker_answer_200_then_503_when_redis_is_stopped(
    client, settings, tmp_path, processes
):
    if not shutil.which("redis-server"):
        _unavailable("redis-server is not installed")
    server = RedisServer(processes, tmp_path)
    server.start()
    settings.CELERY_BROKER_URL = server.url

    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "ok", "worker": "failing"}

    log = _worker(server.url, tmp_path, processes)
    _wait_for(lambda: "ready." in log.read_text(errors="replace"), "the worker to start", 60)
    response = client.get("/health/")
    assert response.status_code == 200, (response.json(), log.read_text(errors="replace"))
    assert response.json() == {"database": "ok", "redis": "ok", "worker": "ok"}

    server.stop()
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "failing", "worker": "failing"}
