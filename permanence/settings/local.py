"""A trial on one machine: SQLite, no broker (Celery tasks run in-process), debug pages."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_PASSWORDS_ALLOWED = True
# A trial sends no real e-mail: each message is written to a file under sent-emails/.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "sent-emails")
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
    }
)
