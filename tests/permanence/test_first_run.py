"""A quiet, quick first run (issue 16): `make run` loads the demo printing a few lines a person
reads, not a line per task, and writes no e-mail files unless asked."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from permanence.models import User

ROOT = Path(settings.BASE_DIR)
# What a trial logs at INFO would be a line per sweep, task, e-mail or request.
CHATTY = (
    "tracker.services.deadlines",
    "celery.app.trace",
    "permanence.notifications",
    "kombu.connection",
    "permanence.requests",
)


def _trial_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REQUEST_LOG_LEVEL", None)
    env["DJANGO_SETTINGS_MODULE"] = "permanence.settings.local"
    return {**env, **extra}


@pytest.mark.django_db
def test_seed_demo_says_one_line():
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Demo authority ready: 3 teams")
    assert err.getvalue() == ""
    # Every demo user shares one hash of the published password, made once.
    assert (
        User.objects.filter(username__in=["sw1", "tm1", "hos1"])
        .values("password")
        .distinct()
        .count()
        == 1
    )


def test_a_trial_logs_no_line_per_task_and_writes_no_email_files():
    code = (
        "import logging, logging.config\n"
        "from permanence.settings import local as s\n"
        "logging.config.dictConfig(s.LOGGING)\n"
        f"chatty = {CHATTY!r}\n"
        "print(s.EMAIL_BACKEND)\n"
        "print(s.AXES_VERBOSE)\n"
        "print(','.join(n for n in chatty if logging.getLogger(n).isEnabledFor(logging.INFO)))\n"
    )
    ran = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_trial_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    backend, axes_verbose, loud = ran.stdout.splitlines()
    assert backend == "django.core.mail.backends.dummy.EmailBackend"
    assert axes_verbose == "False"
    assert loud == ""
    # Asked for, e-mails are written to files.
    asked = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [
            sys.executable,
            "-c",
            "from permanence.settings import local as s; print(s.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env=_trial_env(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert asked.stdout.strip() == "django.core.mail.backends.filebased.EmailBackend"


def test_make_run_migrates_without_a_line_per_migration():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "migrate --noinput -v0" in run


@pytest.mark.scale
def test_make_runs_first_load_takes_under_a_minute_and_prints_a_few_lines(tmp_path):
    """`make run`'s steps after install, on a fresh SQLite database, as a person would run
    them (a timing: run on purpose, on a quiet machine: `pytest -m scale -s`)."""
    env = _trial_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'first.sqlite3'}",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    started = time.monotonic()
    printed = []
    for args in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        ran = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        printed += (ran.stdout + ran.stderr).splitlines()
    seconds = time.monotonic() - started
    print(f"migrate and seed_demo: {seconds:.1f} s")
    assert len(printed) <= 3, printed
    assert not (tmp_path / "mail").exists() or not any((tmp_path / "mail").iterdir())
    assert seconds < 60
