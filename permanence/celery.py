"""The Celery application; schedules live in tracker/schedules.py, loaded by beat's database."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings.local")

app = Celery("permanence")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
