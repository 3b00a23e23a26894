"""`manage.py check --deploy` under the production settings reports nothing (issue 11)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_under_production_settings_reports_no_issues():
    # As production runs it: not with the browser tests' async switch, which the check rightly
    # reports (the browser tests set it in this process before this test may run).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "permanence.settings.production",
        # As an authority would generate it; a made-up key like "x" * 50 is rightly reported.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/permanence_deploy_check",
        "DJANGO_ALLOWED_HOSTS": "permanence.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr
