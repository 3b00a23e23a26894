"""A trial on one machine: SQLite, no broker (Celery tasks run in-process), debug pages."""

from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_PASSWORDS_ALLOWED = True
