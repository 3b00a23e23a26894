"""The test suite: the database comes from DATABASE_URL (SQLite when unset, PostgreSQL in CI)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
DEMO_PASSWORDS_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests log in with the test client; the throttle has its own test that switches it on.
AXES_ENABLED = False
# Only the test that starts a real worker talks to Redis; everything else runs in-process.
# That worker runs with CELERY_EAGER=0 (tests/tracker/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["permanence.requests"]["level"] = "WARNING"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# Uploaded papers written by tests (e.g. the demo's matching report) go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="permanence-test-media-"))
# Every statement kept compiled (permanence/prepared.py) is built afresh beside it and compared,
# so a statement that depends on more than its record numbers fails the test that runs it.
PREPARED_STATEMENTS_CHECK = True
