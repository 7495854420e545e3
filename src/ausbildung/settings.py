"""Settings for `ausbildung`, read from the environment only (12-factor).

Every variable is listed in `.env.example`. A bad value raises `ImproperlyConfigured` with one readable
sentence; the `ausbildung` command turns that into a single error line and a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import ausbildung

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


# --- small typed helpers -----------------------------------------------------------------------------------

# A command's --help needs no configuration (`ausbildung <command> --help` sets ausbildung.HELP_ONLY in its own
# process, never from the environment): the settings are then the defaults, whatever the environment holds,
# so a missing SECRET_KEY or a malformed DATABASE_URL cannot stand between an operator and the help text.
HELP_ONLY = ausbildung.HELP_ONLY
ENVIRON: Mapping[str, str] = {} if HELP_ONLY else os.environ


def env_str(name: str, default: str = "") -> str:
    return ENVIRON.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = ENVIRON.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = ENVIRON.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = ENVIRON.get(name, "").strip()
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL; only SQLite and PostgreSQL are supported."""
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
        )
    except Exception as exc:  # dj-database-url raises several types for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL is malformed ({exc}): {url!r}.") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:/// or postgres://; got {url.split(':', 1)[0]!r}."
        )
    if engine == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        # WAL and a busy timeout let the web server and background tasks share the file.
        config["OPTIONS"].update(
            {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            }
        )
        config["CONN_MAX_AGE"] = 0
    else:
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        # The platform runs short queries; PostgreSQL's JIT compilation costs more than it saves on them
        # (bench/offers_search.py: ~80 ms on a broad count). A URL's own `options` wins.
        config["OPTIONS"].setdefault("options", "-c jit=off")
        config["CONN_HEALTH_CHECKS"] = True
    return config


# --- core ----------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# pytest (>= 8.2) sets PYTEST_VERSION for the run it makes.
TESTING = env_bool("AUSBILDUNG_TESTING", "PYTEST_VERSION" in ENVIRON)


def local_secret_key_file() -> Path | None:
    """The key `make run` writes into the checkout's virtual environment (.venv/secret_key), when the running
    interpreter is a virtual environment's; None otherwise."""
    if sys.prefix == sys.base_prefix:
        return None
    return Path(sys.prefix) / "secret_key"


def read_local_secret_key(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


# Where SECRET_KEY came from: "environment" (production), "local-file" (a checkout after `make run`: the
# README's commands work there as written) or "development" (DEBUG or tests, a fixed key). `ausbildung check
# --deploy` accepts only "environment" (core.checks.secret_key_from_environment).
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_SOURCE = "environment"  # noqa: S105 - a label, not a key
if not SECRET_KEY and not (TESTING or HELP_ONLY):  # the tests and a --help keep the fixed key
    SECRET_KEY = read_local_secret_key(local_secret_key_file())
    SECRET_KEY_SOURCE = "local-file"  # noqa: S105
if not SECRET_KEY:
    SECRET_KEY_SOURCE = "development"  # noqa: S105
    if DEBUG or TESTING or HELP_ONLY:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set; it is required when DEBUG is off (see .env.example). In a checkout, "
            "'make run' creates a local one in .venv/secret_key."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATA_DIR = Path(env_str("AUSBILDUNG_DATA_DIR", str(PROJECT_DIR / "var")))
DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ausbildung.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "ausbildung.core.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ausbildung.core",
    "ausbildung.records",
    "ausbildung.offers",
    "ausbildung.onboarding",
    "ausbildung.staff",
    "ausbildung.orientation",
    "ausbildung.matching",
    "ausbildung.transition",
    "ausbildung.transition.clearing",
    "ausbildung.pathways",
    "ausbildung.campaigns",
    "ausbildung.monitoring",
    # after monitoring: its history loader scores the contracts monitoring's history made (retention.demo)
    "ausbildung.retention",
    "ausbildung.api",
]

MIDDLEWARE = [
    # First: an oversized request is refused from its headers, before anything reads its body.
    "ausbildung.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP and no-store; after whitenoise, so static files keep their long cache headers.
    "ausbildung.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp); see core.signin.
    "django_otp.middleware.OTPMiddleware",
    "ausbildung.api.auth.BearerTokenMiddleware",  # API clients: `Authorization: Bearer <token>`
    "django.contrib.messages.middleware.MessageMiddleware",
    "ausbildung.core.middleware.IdleSessionMiddleware",  # after messages: it leaves a notice
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Writes the staff reads noted by the views (core.audit) in one INSERT once the answer succeeded; outside
    # the form-token transaction, so a read is written after the form's write committed.
    "ausbildung.core.middleware.ReadAuditMiddleware",
    # The one place access is decided (see docs/permissions.md); must come after authentication.
    "ausbildung.core.permissions.PermissionMiddleware",
    # A form rendered once is handled once (`{% form_token %}`); after the permission check.
    "ausbildung.core.submissions.FormTokenMiddleware",
]

ROOT_URLCONF = "ausbildung.urls"
WSGI_APPLICATION = "ausbildung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ausbildung.core.context_processors.platform",
            ],
            "builtins": ["ausbildung.core.submissions"],
        },
    },
]

# --- auth ----------------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling first, so a locked-out login never reaches the DB
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests are about; the production hasher stays Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:landing"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False
# The client's address for the username+IP lock: behind the proxy, the one the proxy appended to
# X-Forwarded-For (core.middleware.client_ip), not the proxy's own address shared by everyone.
AXES_CLIENT_IP_CALLABLE = "ausbildung.core.middleware.client_ip"

# The second factor (TOTP, django-otp; core.signin.two_factor): "required" for staff roles (they see other
# people's data), or "optional" for everyone. Optional is for a local demo only: `ausbildung check --deploy`
# warns about it while DEBUG is off (core.checks).
STAFF_TWO_FACTOR = env_str("STAFF_TWO_FACTOR", "required").strip().lower()
if STAFF_TWO_FACTOR not in {"required", "optional"}:
    raise ImproperlyConfigured('STAFF_TWO_FACTOR must be "required" or "optional".')
# The issuer shown in the authenticator app beside the account name.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "ausbildung")
# Password-reset requests (core.signin.passwords): at most this many per e-mail address and per client
# address within an hour; more are answered the same way but send nothing.
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 10)
# A reset link is valid for this long (Django's PASSWORD_RESET_TIMEOUT, in seconds): one hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy (docs/deployment.md): the scheme comes from X-Forwarded-Proto and the client's
# address from X-Forwarded-For, counted from the right over TRUSTED_PROXY_COUNT proxies.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be at least 1 (the proxy in front of the platform).")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# HTTPS=1: the platform is reached over HTTPS only. Browsers are told so for a year (HSTS), plain HTTP is
# redirected (the health check stays reachable for a load balancer probing over HTTP).
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS and not TESTING
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment the operator makes for the whole domain (hstspreload.org); off by default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy of every page (core.middleware.SecurityHeadersMiddleware): scripts and styles
# only from our own static files, no inline scripts, no framing. Inline `style` attributes are not allowed
# either: the templates have none (htmx's indicator style is off in base.html).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)

# Idle sessions end after these many minutes without a request (core.middleware.IdleSessionMiddleware):
# staff, who see other people's data, after 30; pupils, apprentices and guardians after 120.
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 30)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
if SESSION_IDLE_MINUTES_STAFF < 1 or SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_IDLE_MINUTES_STAFF must be at least 1.")

# --- i18n ----------------------------------------------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_TZ = True

# --- static files --------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded application documents: outside the web root, served only through a view that checks access.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private")))
# Largest application document (bytes) and most documents per application.
APPLICATION_DOCUMENT_MAX_BYTES = env_int("APPLICATION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
APPLICATION_DOCUMENT_MAX_COUNT = env_int("APPLICATION_DOCUMENT_MAX_COUNT", 5)
# Largest request body (bytes): larger requests are refused with 413 before their body is read
# (core.middleware.RequestBodyLimitMiddleware). Must leave room for one application document.
MAX_REQUEST_BODY = env_int("MAX_REQUEST_BODY", 12 * 1024 * 1024)
if MAX_REQUEST_BODY < APPLICATION_DOCUMENT_MAX_BYTES + 64 * 1024:
    raise ImproperlyConfigured(
        "MAX_REQUEST_BODY must exceed APPLICATION_DOCUMENT_MAX_BYTES by at least 64 KiB (the form around it)."
    )
# Form fields without files are held in memory up to this size; uploads above 1 MiB go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Serve straight from the app folders, so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- mail and background work --------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ausbildung <noreply@localhost>")
# The platform's public address, e.g. https://ausbildung.example.de: links in mails (the digest) start with it;
# empty: mails name the page's path only.
PLATFORM_URL = env_str("PLATFORM_URL").rstrip("/")

# Background work runs eagerly in the request unless a worker is configured (TASKS_BACKEND=database).
_tasks_backend = env_str("TASKS_BACKEND", "immediate")
if _tasks_backend not in {"immediate", "database"}:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'immediate' or 'database'; got {_tasks_backend!r}.")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[_tasks_backend],
    }
}

# Lay out the PDF pages of signed record periods in the background once they are signed (records.exporters.pdf;
# off in tests, which call `prepare` where they need it).
RECORDS_PDF_PREPARE = env_bool("RECORDS_PDF_PREPARE", not TESTING)

# Weekday of the reminder mails of the training record (0 = Monday … 6 = Sunday).
RECORD_REMINDER_WEEKDAY = env_int("RECORD_REMINDER_WEEKDAY", 4)
if not 0 <= RECORD_REMINDER_WEEKDAY <= 6:
    raise ImproperlyConfigured("RECORD_REMINDER_WEEKDAY must be 0 (Monday) to 6 (Sunday).")

# --- training-record evidence ---------------------------------------------------------------------------------
# Signatures of the training record are HMAC-SHA256 links under a server key kept outside the database
# (records/integrity.py). RECORD_SIGNING_KEYS="k2:<secret>,k1:<old secret>": the first key signs, the others
# only verify (rotation: put a new key first, keep the old ones). Without it, one key is derived from
# SECRET_KEY under its own label (key id "sk-" + a fingerprint); production should set its own key and keep it
# out of database backups.


def record_signing_keys(raw: str, secret_key: str) -> list[tuple[str, str]]:
    """Parse RECORD_SIGNING_KEYS into (key id, secret) pairs, the signing key first."""
    import hashlib
    import hmac
    import re

    if not raw:
        derived = hmac.new(
            secret_key.encode(), b"ausbildung.records.signing-key.v1", hashlib.sha256
        ).hexdigest()
        fingerprint = hashlib.sha256(derived.encode()).hexdigest()[:8]
        return [(f"sk-{fingerprint}", derived)]
    keys: list[tuple[str, str]] = []
    for part in raw.split(","):
        key_id, sep, secret = part.strip().partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", key_id):
            raise ImproperlyConfigured(
                "RECORD_SIGNING_KEYS must be a comma-separated list of id:secret (id: letters, digits, . _ -)."
            )
        if len(secret) < 32:
            raise ImproperlyConfigured(
                f"RECORD_SIGNING_KEYS: the secret of key {key_id!r} is shorter than 32."
            )
        if key_id in dict(keys):
            raise ImproperlyConfigured(f"RECORD_SIGNING_KEYS names key {key_id!r} twice.")
        keys.append((key_id, secret))
    return keys


RECORD_SIGNING_KEYS = record_signing_keys(env_str("RECORD_SIGNING_KEYS"), SECRET_KEY)
# Append-only log of the signature chains' heads, outside the database (one JSON line per signature and per
# reopening); `ausbildung records verify` compares the chains with it. Keep it on another disk or host.
RECORD_ANCHOR_LOG = Path(env_str("RECORD_ANCHOR_LOG") or DATA_DIR / "record-anchors.log")

# --- logging -------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors": {"()": "ausbildung.core.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- platform ------------------------------------------------------------------------------------------------

PLATFORM_NAME = env_str("PLATFORM_NAME", "ausbildung")
# The Land whose Kreise the demo region loads (ARS code of the Land, 2 digits).
DEMO_LAND_CODE = "10"
