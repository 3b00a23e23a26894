"""Faults, for real: a sweep killed part-way, Redis stopped during a booking, a worker killed
mid-task (issue 11). Each test starts its own processes (a sweep, a redis-server on a free
port, Celery workers) against the test's PostgreSQL database and stops every one of them.

E-mails sent by any process are recorded one line each by RecordingBackend, so a test can count
every message across processes, including those sent by a process it then killed. Skipped with
a reason without PostgreSQL or redis-server, unless REQUIRE_SERVICES is set (CI sets it).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forums.models import Booking
from permanence.models import Notification
from permanence.roles import Role
from tests.factories.forums import forum_child, session  # noqa: F401
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tracker import signals
from tracker.services.deadlines import deadlines_sweep

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 30


# -- what the processes share -------------------------------------------------------------------


class RecordingBackend(BaseEmailBackend):
    """Appends "pid<TAB>to<TAB>subject" per message to $FAULT_MAIL_LOG once it is "sent". With
    $FAULT_PAUSE_AFTER=N the process stops before its message N+1 (marking $FAULT_MARKER), as a
    process does that is about to be killed half-way through its e-mails."""

    sent_here = 0

    def send_messages(self, messages):
        for message in messages:
            pause_after = os.environ.get("FAULT_PAUSE_AFTER")
            if pause_after and RecordingBackend.sent_here >= int(pause_after):
                _pause("sending e-mail")
            line = f"{os.getpid()}\t{message.to[0]}\t{message.subject}\n"
            with open(os.environ["FAULT_MAIL_LOG"], "a", encoding="utf-8") as log:
                log.write(line)
            RecordingBackend.sent_here += 1
        return len(messages)


def _pause(where: str) -> None:
    Path(os.environ["FAULT_MARKER"]).write_text(where)
    time.sleep(600)


def _sent(log: Path) -> Counter:
    if not log.exists():
        return Counter()
    lines = log.read_text(encoding="utf-8").splitlines()
    return Counter(tuple(line.split("\t")[1:]) for line in lines)


def _owed_emails() -> Counter:
    return Counter(
        (email, f"{settings.SERVICE_NAME}: {subject}")
        for email, subject in Notification.objects.exclude(recipient__email="").values_list(
            "recipient__email", "subject"
        )
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(condition, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Gave up after {timeout}s waiting for {what}")


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        _unavailable("the fault tests need PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def processes():
    """Every process a test starts, stopped at the end whatever happened."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        _stop(process, signal.SIGKILL)


@pytest.fixture
def mail_log(tmp_path, monkeypatch, settings):
    log = tmp_path / "sent.tsv"
    monkeypatch.setenv("FAULT_MAIL_LOG", str(log))
    monkeypatch.setenv("FAULT_MARKER", str(tmp_path / "paused"))
    settings.EMAIL_BACKEND = "tests.tracker.test_faults.RecordingBackend"
    return log


class RedisServer:
    """A redis-server of the test's own on a free port: never the shared one on 6379."""

    def __init__(self, processes: list, tmp_path: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.processes, self.dir = processes, tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (the system's redis-server, our arguments)
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(self.process)
        import redis

        def up() -> bool:
            try:
                return bool(redis.Redis.from_url(self.url, socket_connect_timeout=1).ping())
            except redis.RedisError:
                return False

        _wait_for(up, "redis-server to start", 10)

    def stop(self) -> None:
        _stop(self.process)


@pytest.fixture
def redis_server(processes, tmp_path):
    if not shutil.which("redis-server"):
        _unavailable("redis-server is not installed")
    server = RedisServer(processes, tmp_path)
    server.start()
    return server


def _python(code: str, env: dict, log: Path, processes: list) -> subprocess.Popen:
    """Run CODE in a fresh interpreter on the test database, as a process of the service."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "permanence.settings.test",
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    with open(log, "ab") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", code],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    processes.append(process)
    return process


SETUP = """
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.tracker.test_faults.RecordingBackend"
"""

SWEEP = (
    SETUP
    + """
import os
from permanence.services import system_user
from tracker.services import deadlines
from tests.tracker.test_faults import _pause

pause_in_batch = int(os.environ.get("FAULT_PAUSE_IN_BATCH") or 0)
real, calls = deadlines.sync_alerts, []

def sync_alerts(**kwargs):
    calls.append(1)
    if len(calls) == pause_in_batch:
        _pause("in a batch, holding the sweep lock")
    return real(**kwargs)

deadlines.sync_alerts = sync_alerts
print(deadlines.deadlines_sweep(by=system_user(), batch_size=int(os.environ["FAULT_BATCH"])))
"""
)

WORKER = (
    SETUP
    + """
import os
from permanence.celery import app
app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "--hostname=" + os.environ["NAME"]])
"""
)


# -- a sweep killed part-way --------------------------------------------------------------------

CHILDREN, BATCH = 24, 6


@pytest.fixture
def overdue_children(postgres, team, iro, social_worker, monkeypatch, only_rules):
    """CHILDREN children whose first review is overdue: the sweep tells the IRO and escalates
    to the team manager, two e-mails a child."""
    # Saving a child refreshes its deadlines after commit; here only the sweep may do that.
    monkeypatch.setattr(signals, "mark_changed", lambda child_ids: None)
    only_rules("first_review")
    UserFactory(username="tm_faults", team=team, role=Role.TEAM_MANAGER)
    since = timezone.localdate() - dt.timedelta(days=60)
    for _ in range(CHILDREN):
        child = ChildFactory(team=team, social_worker=social_worker, iro=iro)
        EpisodeFactory(child=child, decom=since)


@pytest.mark.parametrize(
    "kill_point",
    [
        # Half-way through a batch's e-mails: the batch is committed, some e-mails went.
        {"FAULT_PAUSE_AFTER": str(BATCH * 2 // 2 + 1)},
        # In the third batch, holding the sweep's lock: the lock must go with the process.
        {"FAULT_PAUSE_IN_BATCH": "3"},
    ],
    ids=["mid-email", "mid-batch"],
)
def test_a_sweep_killed_part_way_and_rerun_sends_every_email_exactly_once(
    overdue_children, mail_log, processes, tmp_path, kill_point, system
):
    marker = Path(os.environ["FAULT_MARKER"])
    sweep = _python(SWEEP, {"FAULT_BATCH": str(BATCH), **kill_point}, tmp_path / "sweep.log", [])
    processes.append(sweep)
    _wait_for(lambda: marker.exists() or sweep.poll() is not None, "the sweep to pause")
    assert sweep.poll() is None, (tmp_path / "sweep.log").read_text()
    sweep.kill()  # SIGKILL: no clean-up, as the OOM killer or a power cut would do it
    sweep.wait(timeout=10)
    sent_before = sum(_sent(mail_log).values())
    assert 0 < Notification.objects.count() < CHILDREN * 2

    # The rerun: if the killed process's lock were still held it would wait, so fail fast.
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
    try:
        deadlines_sweep(by=system, batch_size=BATCH)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    # Beat's outbox job, a minute later, sends what the killed process left owed.
    from permanence.tasks import notification_emails_send

    notification_emails_send.delay()

    sent = _sent(mail_log)
    assert Notification.objects.count() == CHILDREN * 2
    assert sent == _owed_emails(), "every notification e-mailed exactly once"
    assert set(sent.values()) == {1}
    assert sent_before < sum(sent.values())
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


# -- Redis stopped during a booking -------------------------------------------------------------


@pytest.fixture
def celery_on(redis_server):
    """The web process's Celery app on the test's Redis, not run in-process."""
    from permanence.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}

    def reset_pools():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    yield app
    reset_pools()
    app.conf.update(saved)


def _start_worker(name: str, redis_url: str, tmp_path: Path, processes: list, **env):
    log = tmp_path / f"{name}.log"
    worker = _python(
        WORKER,
        {"CELERY_EAGER": "0", "CELERY_BROKER_URL": redis_url, "NAME": f"{name}@%h", **env},
        log,
        processes,
    )
    _wait_for(
        lambda: "ready." in log.read_text(errors="replace") or worker.poll() is not None,
        f"{name} to start",
    )
    assert worker.poll() is None, log.read_text(errors="replace")
    return worker, log


def _send_as_beat(redis_url: str, task: str) -> str:
    # A separate app, as beat is a separate process; not made current, so the rest of the
    # session keeps running tasks in-process.
    sender = Celery("beat-in-test", broker=redis_url, set_as_current=False)
    try:
        return sender.send_task(task).id
    finally:
        sender.close()


def test_redis_stopped_during_a_booking_gives_the_booking_page_and_the_email_once_it_is_back(
    postgres,
    celery_on,
    redis_server,
    mail_log,
    processes,
    tmp_path,
    client,
    social_worker,
    service,
    forum_child,  # noqa: F811
    session,  # noqa: F811
):
    cps = UserFactory(username="cps_faults", team=None, service=service, role=Role.CPS_DUTY)
    redis_server.stop()
    client.force_login(social_worker)
    started = time.monotonic()
    response = client.post(
        reverse("forums:booking-create"),
        {"child": forum_child.pk, "session": session.pk, "pathway": "before_second_review"},
        follow=True,
    )
    took = time.monotonic() - started
    booking = Booking.objects.get(child=forum_child)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == booking.get_absolute_url()
    assert took < 15, f"the page waited {took:.0f}s for the broker"
    note = Notification.objects.get(recipient=cps)
    assert note.email_due_at is not None and not _sent(mail_log)

    redis_server.start()
    _start_worker("web-outage", redis_server.url, tmp_path, processes)
    _send_as_beat(redis_server.url, "permanence.tasks.notification_emails_send")
    _wait_for(lambda: sum(_sent(mail_log).values()) >= 1, "the e-mail")
    _wait_for(
        lambda: not Notification.objects.filter(email_due_at__isnull=False).exists(),
        "every owed e-mail to be sent",
    )
    sent = _sent(mail_log)
    assert sent[(cps.email, f"{settings.SERVICE_NAME}: {note.subject}")] == 1
    assert set(sent.values()) == {1}


# -- a worker killed mid-task -------------------------------------------------------------------


def test_a_worker_killed_mid_task_hands_it_to_the_next_worker(
    postgres, redis_server, mail_log, processes, tmp_path, team
):
    people = [UserFactory(team=team) for _ in range(5)]
    now = timezone.now()
    for person in people:
        Notification.objects.create(recipient=person, subject="Overdue", email_due_at=now)
    # Redis hands back an unacknowledged message after this long (10 minutes in production).
    visibility = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    first, first_log = _start_worker(
        "doomed", redis_server.url, tmp_path, processes, FAULT_PAUSE_AFTER="2", **visibility
    )
    task_id = _send_as_beat(redis_server.url, "permanence.tasks.notification_emails_send")
    _wait_for(Path(os.environ["FAULT_MARKER"]).exists, "the first worker to be mid-task")
    first.kill()  # SIGKILL: the message was never acknowledged
    first.wait(timeout=10)
    assert sum(_sent(mail_log).values()) == 2

    time.sleep(2.5)  # past the visibility timeout
    _, second_log = _start_worker("heir", redis_server.url, tmp_path, processes, **visibility)
    _wait_for(
        lambda: not Notification.objects.filter(email_due_at__isnull=False).exists(),
        "the second worker to finish the task",
    )
    sent = _sent(mail_log)
    assert sent == Counter({(p.email, f"{settings.SERVICE_NAME}: Overdue"): 1 for p in people})
    assert task_id in second_log.read_text(errors="replace"), "the same task, redelivered"
