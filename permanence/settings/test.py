"""The test suite: the database comes from DATABASE_URL (SQLite when unset, PostgreSQL in CI)."""

from .base import *  # noqa: F403

DEBUG = False
DEMO_PASSWORDS_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tests log in with the test client; the throttle has its own test that switches it on.
AXES_ENABLED = False
# Only the test that starts a real worker talks to Redis; everything else runs in-process.
CELERY_TASK_ALWAYS_EAGER = True
LOGGING["root"]["level"] = "WARNING"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
