"""The load benchmark's server (`manage.py bench_load`, issue 19): production's settings, served
over plain HTTP on loopback ports, behind nginx as in production or, with `--direct`, alone.

Only what loopback needs changes: no redirect to HTTPS, cookies sent over HTTP, no HSTS, one
proxy or none in front, static files found where they are (no collectstatic). Passwords are hashed
as in production, so signing in costs what it will there.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No proxy, or only bench_load's nginx in front (it sets 1).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
# The benchmark's figures are what it prints; a JSON line per request would only fill its log.
LOGGING["loggers"]["permanence.requests"]["level"] = "WARNING"
