"""Clamour settings: one file, driven by environment variables with safe local defaults.

The deployment settings are listed in README.md ("Settings"), every other variable in
docs/tuning.md; this is the only module that reads the environment. With nothing set, Clamour runs on a
SQLite file under var/, keeps its background tasks in that database, and writes mail to
files under var/mail/.
"""

import os
from pathlib import Path

import dj_database_url

from clamour.lib import config as env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.env_str("CLAMOUR_VAR_DIR") or BASE_DIR / "var")

DEBUG = env.env_bool("DEBUG", False)
SECRET_KEY = env.secret_key(keep_in=VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of the site, used in links inside emails and share links.
SITE_URL = env.env_str("SITE_URL", f"http://127.0.0.1:{env.env_int('PORT', 8000)}").rstrip("/")
SITE_NAME = env.env_str("SITE_NAME", "Clamour")
PORT = env.env_int("PORT", 8000, minimum=1)
# `manage.py serve` (make serve): the address to listen on; the granian worker
# processes and the threads each runs requests on are set below, once the database is known.
WEB_HOST = env.env_str("WEB_HOST", "127.0.0.1")
# How much lower the task worker's CPU priority is than the web's (0-19, `nice`).
WORKER_NICE = env.env_int("WORKER_NICE", 19, minimum=0)
# While the web is busy taking actions, the worker runs tasks this share of its time.
WORKER_BUSY_SHARE = env.env_float("WORKER_BUSY_SHARE", 0.2, minimum=0.01)
# Task worker processes `make serve` runs: more send more letters at once when the mail
# relay is far away (each message waits for its replies).
WORKER_PROCESSES = env.env_int("WORKER_PROCESSES", 1, minimum=1)
# A task still "running" after this long is taken to be abandoned by a worker that died
# (kill -9, power loss) and is put back in the queue: longer than any task takes.
TASK_ABANDONED_MINUTES = env.env_int("TASK_ABANDONED_MINUTES", 10, minimum=1)

INSTALLED_APPS = [
    "clamour.staffauth.apps.StaffAdminConfig",  # the admin, with a second factor for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "clamour.core",
    "clamour.supporters",
    "clamour.campaigns",
    "clamour.actions",
    "clamour.treaties",
    "clamour.blog",
    "clamour.comments",
    "clamour.workspace",
    "clamour.mailings",
    "clamour.staffauth",
    "clamour.site",  # the top layer: serve, worker, demo, retention
]

MIDDLEWARE = [
    "clamour.core.requestsize.RequestSizeMiddleware",
    "clamour.core.middleware.LoadShedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clamour.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clamour.urls"
WSGI_APPLICATION = "clamour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clamour" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clamour.core.context_processors.site",
            ],
        },
    },
]

# Databases. The default is a SQLite file in WAL mode with full durability: a
# submission acknowledged to a supporter has been fsynced (see README, "Durability").
# Bench only (docs/tuning.md, "Proving the machinery"): pieces of clamour/core/speed
# turned off, one at a time, to measure what each buys. Empty in production.
BENCH_SWITCH_OFF = env.switched_off("BENCH_SWITCH_OFF")
SQLITE_FILE_LOCK = "sqlite-lock" not in BENCH_SWITCH_OFF
BULK_COPY = "copy" not in BENCH_SWITCH_OFF
SMTP_KEPT_SESSIONS = "smtp-sessions" not in BENCH_SWITCH_OFF

DATABASE_URL = env.env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'clamour.sqlite3'}"
# Seconds a PostgreSQL connection is kept for the next request (0: a new one each time).
DB_CONN_MAX_AGE = env.env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE)}
_sqlite = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
_workers, _threads = env.default_web_shape("sqlite" if _sqlite else "other", os.cpu_count() or 1)
WEB_WORKERS = env.env_int("WEB_WORKERS", _workers, minimum=1)
WEB_THREADS = env.env_int("WEB_THREADS", _threads, minimum=1)
# Seconds a SQLite write waits for the locks (the writers' file lock, then SQLite's) before
# "database is locked". The group-commit writer alone waits for the file lock without a
# deadline (its requests give up at GROUP_COMMIT_TIMEOUT); this bounds only its wait for
# SQLite's own lock, held by a program that skips the file lock (docs/tuning.md).
SQLITE_BUSY_TIMEOUT = env.env_float("SQLITE_BUSY_TIMEOUT", 20.0, minimum=0.1)
if _sqlite:
    # Django's SQLite backend, with writers queueing on a file lock (see its docstring);
    # without it (bench only), Django's own, waiting in SQLite's busy handler.
    if SQLITE_FILE_LOCK:
        DATABASES["default"]["ENGINE"] = "clamour.core.speed.sqlite"
    DATABASES["default"]["CONN_MAX_AGE"] = None  # a SQLite connection is cheap to keep
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock at BEGIN, so two writers never deadlock
        # upgrading a read lock; they queue on busy_timeout instead.
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["TEST"] = {"NAME": env.env_str("TEST_DATABASE_NAME", "test_clamour")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks live in the database, written in the same transaction as the data they
# belong to, so nothing queued is lost on restart; the worker (`manage.py worker`) reads
# this backend only.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail"],
    }
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.env_str("REDIS_URL"),
        }
        if env.env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The interface languages (README, "Languages"). English is the default and is served
# without a prefix; the others under /fr/, /es/, /ar/. Adding one (Chinese "zh-hans",
# Russian "ru" …) is a line here and a catalogue in clamour/locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
]
LANGUAGE_COOKIE_NAME = "clamour_language"
LANGUAGE_COOKIE_AGE = 365 * 86400
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "clamour" / "locale"]
# Our own number formats where Django's differ from what we chose (Arabic).
FORMAT_MODULE_PATH = ["clamour.core.formats"]
TIME_ZONE = env.env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Mail.
_email = env.parse_email_url(env.env_str("EMAIL_URL"), default_file_path=VAR_DIR / "mail")
EMAIL_BACKEND = _email.backend
if not SMTP_KEPT_SESSIONS and EMAIL_BACKEND == "clamour.core.speed.smtp.KeepAliveEmailBackend":
    # Bench only: Django's SMTP backend, one session per chunk (actions.delivery.send_all).
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = _email.timeout
EMAIL_KEEPALIVE_MESSAGES = _email.keepalive
# SMTP sessions the task worker sends a batch's letters and confirmations over at once.
EMAIL_SESSIONS = env.env_int("EMAIL_SESSIONS", 4, minimum=1)
EMAIL_FILE_PATH = _email.file_path
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Clamour <campaigns@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Cookies are secure when the site is served over HTTPS.
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SECURE = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
TRUSTED_PROXIES = env.env_list("TRUSTED_PROXIES", [])

# Campaign behaviour.
# How stale the public counters may be, in seconds (they are computed in batches).
COUNT_INTERVAL = env.env_int("COUNT_INTERVAL", 2, minimum=1)
# Email (letters, confirmations, alerts) on temporary SMTP failures: retried for this
# many hours, first after the base wait, doubling each time up to the longest wait.
DELIVERY_RETRY_HOURS = env.env_int("DELIVERY_RETRY_HOURS", 72, minimum=1)
DELIVERY_RETRY_BASE_SECONDS = env.env_int("DELIVERY_RETRY_BASE_SECONDS", 30, minimum=0)
DELIVERY_RETRY_MAX_SECONDS = env.env_int("DELIVERY_RETRY_MAX_SECONDS", 1800, minimum=1)
# Overload and abuse: the most requests one process works on at once (0: no cap),
# the Retry-After sent with a 503, and submission rate limits ("count/seconds").
MAX_IN_FLIGHT = env.env_int("MAX_IN_FLIGHT", 0, minimum=0)
RETRY_AFTER_SECONDS = env.env_int("RETRY_AFTER_SECONDS", 5, minimum=1)
# /healthz answers 503 when the disk holding a SQLite database has less free than this.
HEALTH_MIN_FREE_BYTES = env.env_int("HEALTH_MIN_FREE_BYTES", 64 * 1024 * 1024, minimum=0)
# Group commit: one writer thread per process commits queued submissions together (see
# clamour/core/speed/groupcommit.py); how long a request waits for it, and the longest queue.
GROUP_COMMIT = env.env_bool("GROUP_COMMIT", True)
GROUP_COMMIT_TIMEOUT = env.env_float("GROUP_COMMIT_TIMEOUT", 5.0, minimum=0.1)
GROUP_COMMIT_MAX_QUEUE = env.env_int("GROUP_COMMIT_MAX_QUEUE", 500, minimum=1)
# Request bodies (clamour/core/requestsize.py, clamour/gateway.py): the largest on public
# pages and on staff pages, the seconds a client has to send one, and how many one
# address may be sending to one web process at once.
# The largest treaty draft an analyst may upload, and the largest blog image.
TREATY_UPLOAD_MAX_BYTES = env.env_int("TREATY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
BLOG_IMAGE_MAX_BYTES = env.env_int("BLOG_IMAGE_MAX_BYTES", 5_000_000, minimum=1000)
REQUEST_MAX_BYTES = env.env_int("REQUEST_MAX_BYTES", 256 * 1024, minimum=1024)
STAFF_REQUEST_MAX_BYTES = env.env_int(
    "STAFF_REQUEST_MAX_BYTES",
    max(TREATY_UPLOAD_MAX_BYTES, BLOG_IMAGE_MAX_BYTES) + 1024 * 1024, minimum=1024)
REQUEST_BODY_TIMEOUT = env.env_float("REQUEST_BODY_TIMEOUT", 20.0, minimum=1.0)
BODIES_PER_ADDRESS = env.env_int("BODIES_PER_ADDRESS", 8, minimum=1)
SUBMIT_RATE_PER_IP = env.env_rate("SUBMIT_RATE_PER_IP", "30/60")
SUBMIT_RATE_PER_EMAIL = env.env_rate("SUBMIT_RATE_PER_EMAIL", "10/3600")
# Confirmation links stop working after this many days.
CONFIRMATION_MAX_AGE_DAYS = env.env_int("CONFIRMATION_MAX_AGE_DAYS", 14, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django_tasks_db": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

# Accounts and privacy (README, "Accounts and privacy"). Staff log in at /admin/ with a
# password and a code from an authenticator app; supporters by a link sent by email.
LOGIN_URL = "admin:login"
OTP_TOTP_ISSUER = SITE_NAME
# Wrong codes are throttled by clamour/staffauth/throttle.py, which forgives a mistype;
# django-otp's own throttle (a wait after the very first wrong code) is off.
OTP_TOTP_THROTTLE_FACTOR = 0
# How long a supporter's log-in link works, and how many links one address or one
# network address may ask for ("count/seconds").
LOGIN_LINK_MAX_AGE_MINUTES = env.env_int("LOGIN_LINK_MAX_AGE_MINUTES", 20, minimum=1)
LOGIN_RATE_PER_EMAIL = env.env_rate("LOGIN_RATE_PER_EMAIL", "5/3600")
LOGIN_RATE_PER_IP = env.env_rate("LOGIN_RATE_PER_IP", "30/3600")
# Retention, enforced by `manage.py prune` (the worker runs it every PRUNE_INTERVAL_MINUTES):
# unconfirmed actions, used or expired log-in links, and the privacy log.
PENDING_RETENTION_DAYS = env.env_int("PENDING_RETENTION_DAYS", 30, minimum=1)
LOGIN_LINK_RETENTION_DAYS = env.env_int("LOGIN_LINK_RETENTION_DAYS", 2, minimum=1)
PRIVACY_LOG_RETENTION_DAYS = env.env_int("PRIVACY_LOG_RETENTION_DAYS", 1095, minimum=1)
PRUNE_INTERVAL_MINUTES = env.env_int("PRUNE_INTERVAL_MINUTES", 60, minimum=1)

# Blog and comments (README, "Blog and comments").
# A line shown on every post; empty means "The views in this post are the author's own...".
BLOG_DISCLAIMER = env.env_str("BLOG_DISCLAIMER")
BLOG_POSTS_PER_PAGE = env.env_int("BLOG_POSTS_PER_PAGE", 10, minimum=1)
# Hosts besides the site itself that images in posts may load from (readers' browsers
# fetch them, so every host listed learns who reads the post).
BLOG_IMAGE_HOSTS = env.env_list("BLOG_IMAGE_HOSTS", [])
# Whether people who are not logged in may comment by giving a name and an email
# address they confirm once.
COMMENTS_ALLOW_GUESTS = env.env_bool("COMMENTS_ALLOW_GUESTS", True)
# Comments close by themselves this many days after a post or campaign starts (0: never).
COMMENTS_CLOSE_AFTER_DAYS = env.env_int("COMMENTS_CLOSE_AFTER_DAYS", 90, minimum=0)
# Spam defences: the fewest seconds between showing the form and sending it, the longest
# comment, the most links before a comment waits for a moderator, how many readers'
# flags hide a comment, and comment rate limits per person and per network address.
COMMENTS_MIN_SECONDS = env.env_int("COMMENTS_MIN_SECONDS", 3, minimum=0)
COMMENTS_MAX_LENGTH = env.env_int("COMMENTS_MAX_LENGTH", 5000, minimum=100)
COMMENTS_MAX_LINKS = env.env_int("COMMENTS_MAX_LINKS", 2, minimum=0)
COMMENTS_FLAGS_TO_HIDE = env.env_int("COMMENTS_FLAGS_TO_HIDE", 3, minimum=1)
COMMENTS_RATE_PER_PERSON = env.env_rate("COMMENTS_RATE_PER_PERSON", "5/600")
COMMENTS_RATE_PER_IP = env.env_rate("COMMENTS_RATE_PER_IP", "20/600")
