"""A real Celery worker, a real broker: the sweep runs through Redis, not in-process.

Starts `celery -A permanence worker` against the local Redis (database 15) and the test's own
PostgreSQL database, queues the daily sweep as beat would, and checks the alerts the worker
wrote. Skipped with a reason when Redis or PostgreSQL is missing, unless REQUIRE_SERVICES is set
(CI sets it): then their absence fails the test.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from permanence.models import Notification
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tracker import signals
from tracker.models import Alert, Deadline, DeadlineRule

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
TIMEOUT = 25


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A worker process on the test database; stopped before the database is cleaned."""
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs PostgreSQL (set DATABASE_URL)")
    if not _redis_reachable():
        _unavailable(f"no Redis at {BROKER}")
    import redis

    redis.Redis.from_url(BROKER).flushdb()  # database 15 is this test's alone
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "permanence.settings.test",
        "CELERY_EAGER": "0",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "permanence",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname=deadlines-test@%h",
            ],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        # The worker's connection is gone before pytest-django cleans the database.


def test_the_sweep_runs_in_a_real_worker_and_writes_alerts(
    worker, team, social_worker, iro, monkeypatch
):
    process, log = worker
    # Saving the child would refresh its deadlines here, in-process, after each commit; only
    # the worker may do the work in this test.
    monkeypatch.setattr(signals, "mark_changed", lambda child_ids: None)
    UserFactory(username="tm_worker", team=team, role=Role.TEAM_MANAGER)
    DeadlineRule.objects.exclude(code="first_review").update(active=False)
    since = timezone.localdate() - dt.timedelta(days=60)  # the first review is overdue
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro)
    EpisodeFactory(child=child, decom=since)

    # A separate app to send it, as beat would; not made current, or every shared task in
    # the rest of the test session would go to Redis instead of running in-process.
    sender = Celery("deadlines-test", broker=BROKER, set_as_current=False)
    sender.send_task("tracker.tasks.deadlines_sweep")
    sender.close()

    assert not Alert.objects.exists()
    deadline = time.monotonic() + TIMEOUT
    output = ""
    while time.monotonic() < deadline and "succeeded" not in output:
        assert process.poll() is None, log.read_text(errors="replace")
        time.sleep(0.25)
        output = log.read_text(errors="replace")
    alert = Alert.objects.filter(child=child).first()
    assert alert is not None, f"The worker wrote no alert in {TIMEOUT}s:\n{output}"
    assert (alert.rule.code, alert.level, alert.owner) == ("first_review", "overdue", iro)
    assert alert.escalated_at is not None
    assert Deadline.objects.get(child=child).status == "overdue"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {iro.username, "tm_worker"}
    assert "Task tracker.tasks.deadlines_sweep" in output
