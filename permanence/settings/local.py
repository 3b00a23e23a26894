"""A trial on one machine: SQLite, no broker (Celery tasks run in-process), debug pages."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_PASSWORDS_ALLOWED = True
# Serve static files straight from their sources: no collectstatic for a trial.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
