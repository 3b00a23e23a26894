"""Production: PostgreSQL, Redis, Celery worker and beat, several web processes behind a proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
DEMO_PASSWORDS_ALLOWED = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer probes the app itself over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
# Behind one load balancer that appends the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
CACHES = {"default": env.cache("REDIS_CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Redis down means cache misses, never an error page (permanence/cache.py); a Redis that
    # does not answer costs a page at most a second or two.
    CACHES["default"]["BACKEND"] = "permanence.cache.FailSafeRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )
    # Every web process shares Redis: a person's roles and permissions are read from it, not
    # from three queries on every page, and a change to them reaches every process at once.
    AUTH_CACHE_SECONDS = env.int("AUTH_CACHE_SECONDS", default=300)
    # The session is read from Redis on every page and written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# E-mail through an SMTP relay given as a URL, e.g. smtp+tls://user:password@relay:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# ... or through GOV.UK Notify, when its key is set (base.py).
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "permanence.email_backends.NotifyEmailBackend"
# HSTS preloading commits the whole domain for years: the authority's decision, not this app's.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Persistent database connections (issue 19): a new PostgreSQL connection costs about 40 ms, so
# each web process keeps its connection for a minute between requests, and checks it is still
# alive before reusing it (a database restart costs one retried connection, not an error page).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
