"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_fsm",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "axes",
    "permanence",
    "reviews",
    "forums",
    "tracker",
]

MIDDLEWARE = [
    # First, so that its line times the whole request and sees every answer, even a 413.
    "permanence.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a request over MAX_REQUEST_BODY_BYTES gets a 413 unread.
    "permanence.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; every page gets one.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "permanence.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Every page a signed-in user sees holds children's details: no browser or proxy keeps it.
    "permanence.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' own advice).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "permanence.urls"
WSGI_APPLICATION = "permanence.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "permanence.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Memory for each sort or hash a query makes. PostgreSQL's 4 MB is too little for "children
    # with a panel meeting" at 100,000 children: the list no longer fits, and PostgreSQL reads
    # every meeting again for each child it checks (CPS duty's deadlines page: 212 ms at 10,000
    # children, over 20 s a request at 100,000). 32 MB keeps such lists in memory.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={env('DATABASE_WORK_MEM', default='32MB')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "permanence.User"
AUTHENTICATION_BACKENDS = [
    # Throttles failed logins before any other backend is asked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # The council's accounts over OpenID Connect; idle until OIDC_CLIENT_ID is set.
    "permanence.sso.CouncilAccountBackend",
    # Django's own, its answer per person kept in the shared cache (permanence/authcache.py).
    "permanence.authcache.CachedModelBackend",
]
# How long a person's roles and permissions are kept in the shared cache; 0 keeps nothing
# (production sets it when the cache is Redis, shared by every web process).
AUTH_CACHE_SECONDS = 0
# Single sign-on (permanence/sso.py, README "Running it for real"): the app registered with the
# council's provider (Microsoft Entra ID) and the provider's endpoints.
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
# Entra ID names its signing key in each token ("kid"); a provider with one key may not.
OIDC_VERIFY_KID = env.bool("OIDC_VERIFY_KID", default=True)
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-return"
OIDC_USERNAME_ALGO = "permanence.sso._username"
# Directory groups that give roles: OIDC_GROUP_ROLES="<group id>=social_worker,<id>=iro"; the
# provider sends them in the OIDC_GROUPS_CLAIM claim. Without it, new people have no role.
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_GROUP_ROLES = env.dict("OIDC_GROUP_ROLES", default={})
# Sign-in with a username and password, for trials; False leaves only the council's accounts.
PASSWORD_SIGN_IN_ENABLED = env.bool("PASSWORD_SIGN_IN_ENABLED", default=True)
if not PASSWORD_SIGN_IN_ENABLED:
    AUTHENTICATION_BACKENDS.remove("permanence.authcache.CachedModelBackend")
# Django's own hashers, in its order, with PBKDF2-SHA256 worked on a low-priority thread so that a
# rush of sign-ins does not slow everyone else's pages (permanence/hashers.py). The stored form is
# Django's, so passwords hashed before still verify. Only one hasher may name pbkdf2_sha256.
PASSWORD_HASHERS = [
    "permanence.hashers.YieldingPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Length and the common list still let "Winter2025!!" and twelve "a"s through.
    {"NAME": "permanence.password_validation.PersonalDetailsValidator"},
    {"NAME": "permanence.password_validation.StrengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins (permanence/sign_in.py): five tries per user name from one address lock that
# pair; twenty from one address, whatever the user names, lock the address (a password spray);
# an account is never locked for failures from everywhere (anyone could lock a named person
# out), only logged. Each lasts an hour.
AXES_HANDLER = "permanence.sign_in.SignInThrottle"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_ACCOUNT_WARNING_LIMIT = env.int("AXES_ACCOUNT_WARNING_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address is read from X-Forwarded-For as written by this many proxies of our own
# (the load balancer); 0 means the app is reached directly and REMOTE_ADDR is the client.
AXES_CLIENT_IP_CALLABLE = "permanence.sign_in.client_ip_address"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Calendar subscription addresses (each user's private feed); False switches every one off.
CALENDAR_FEEDS_ENABLED = env.bool("CALENDAR_FEEDS_ENABLED", default=True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The service is in English only: Django's plain-English messages and the en-GB formats need no
# translation machinery, which costs every page a few hundred look-ups (issue 19).
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", GOVUK_FRONTEND_DIR)]
# GOV.UK Frontend's precompiled CSS asks for its fonts and images at /assets/; serve them there
# from the npm package rather than copying them into the repository.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded case documents (matching reports): never given a public URL, only served by views
# that check who may see the child.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (the SSDA903 return): largest file, and all files of one upload together, in bytes. A
# large authority's return is a few megabytes. The proxy in front should refuse bodies past the
# total too (nginx client_max_body_size), since Django reads the whole body before a form sees it.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env.int("UPLOAD_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
# A zip: at most this many files inside, this much once unpacked, and no file inflating more than
# this many times (a "zip bomb" inflates a few kilobytes into gigabytes).
UPLOAD_ZIP_MAX_MEMBERS = env.int("UPLOAD_ZIP_MAX_MEMBERS", default=50)
UPLOAD_ZIP_MAX_UNPACKED_BYTES = env.int("UPLOAD_ZIP_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
# Any request body declared larger than this is refused with a 413 before it is read
# (permanence.request_limits): the largest upload, and a megabyte for the form around it.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=UPLOAD_MAX_TOTAL_BYTES + 1024**2)
# A form without files: Django's 2.5 MB, said here. Longer bodies get a 400 before they are kept.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# An uploaded file larger than this is written to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Django's 1,000 fields: the longest form (a meeting's record, every attendee ticked) has a
# few hundred at most. More gets a 400 before any is kept.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)

# Sessions end after a working day without a request (SESSION_COOKIE_AGE seconds; 8 hours unless
# set). The age counts from the last request, not from sign-in: a signed-in user's session is
# saved again, restarting the clock, once SESSION_REFRESH_SECONDS have passed since it last was
# (permanence.middleware). Not SESSION_SAVE_EVERY_REQUEST: that is a database write on every page
# and every htmx poll, to gain a minute's precision on an eight-hour limit.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this service,
# no inline script or style, no plugins, never framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SERVICE_NAME = env("SERVICE_NAME", default="Permanence tracker")
AUTHORITY_NAME = env("AUTHORITY_NAME", default="Demo Borough Council")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="permanence-tracker@localhost")
# Where links in e-mails point.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# GOV.UK Notify (permanence/email_backends.py), chosen whenever NOTIFY_API_KEY is set. A template
# per kind of message: NOTIFY_TEMPLATE_IDS="forums:part2-detail=<id>,..." (the page the message
# links to); every other kind uses NOTIFY_TEMPLATE_ID.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_TEMPLATE_IDS = env.dict("NOTIFY_TEMPLATE_IDS", default={})
NOTIFY_REPLY_TO_ID = env("NOTIFY_REPLY_TO_ID", default="")
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=10)
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "permanence.email_backends.NotifyEmailBackend"

# Celery: with no broker configured the tasks run in-process, so a trial needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis hands a message that no worker acknowledged back to the queue after this long (Redis's
# own default is an hour). Every task acknowledged late is safe to run twice, even at once
# (README "What happens when…"), so a run longer than this costs a repeat, never harm.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=10 * 60),
    # A broker that is down or unreachable fails a web request's publish in seconds, not
    # minutes: the change is already saved and the outbox sends its e-mails later.
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# A worker started before Redis waits for it rather than exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One JSON line per request: user id, page pattern, status, time; no child data
    # (permanence/request_log.py). REQUEST_LOG_LEVEL=WARNING switches them off.
    "loggers": {
        "permanence.requests": {
            "handlers": ["json"],
            "level": env("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        }
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
