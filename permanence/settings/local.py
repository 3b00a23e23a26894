"""A trial on one machine: SQLite, no broker (Celery tasks run in-process), debug pages."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_PASSWORDS_ALLOWED = True
# A trial sends no e-mail and writes none to disk unless asked: EMAIL_BACKEND=
# django.core.mail.backends.filebased.EmailBackend writes each message to a file under
# sent-emails/ (or EMAIL_FILE_PATH); ...console.EmailBackend prints them. The app's own
# notifications are there either way.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.dummy.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "sent-emails")
# SQLite for a trial: write-ahead logging, and no wait for the disk on every commit (a crash of
# the machine may lose the last moments; the file is never corrupted). Loading the demo commits
# hundreds of times.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
# The sign-in throttle's banner on every start says nothing a person trying the demo needs.
AXES_VERBOSE = False
# Serve static files straight from their sources: no collectstatic for a trial.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# A trial runs its tasks in-process: a line per task and per e-mail sent would bury what a person
# needs to read when the demo loads. Problems are still shown.
LOGGING["loggers"].update(
    {
        "celery.app.trace": {"level": "WARNING"},
        "permanence.notifications": {"level": "WARNING"},
        # The demo's sweeps (one per timescale it sets) and the broker that is not there.
        "tracker.services.deadlines": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        # runserver prints a line per request already; the JSON log line is for production.
        "permanence.requests": {
            "handlers": ["json"],
            "level": env("REQUEST_LOG_LEVEL", default="WARNING"),
            "propagate": False,
        },
    }
)
