"""The permanence tracker: the project package and the core of the domain."""

from permanence.celery import app as celery_app

__all__ = ["celery_app"]
