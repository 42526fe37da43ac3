"""Django settings, read from the environment (12-factor).

Every setting that differs between a laptop and a province's cluster comes
from an environment variable; the defaults give a working single-process
instance on SQLite under ``var/``.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("DIGIGOV_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("DIGIGOV_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The secret key from the environment, else one generated once and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Under the test runner static files are served from the apps, not a collected manifest.
TESTING = env_bool("DIGIGOV_TESTING") or "pytest" in sys.modules
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "digigov.core",
    "digigov.audit",
    "digigov.orgs",
    "digigov.accounts",
    "digigov.worktime",
    "digigov.catalog",
    "digigov.dossiers",
    "digigov.pdfs",
    "digigov.signing",
    "digigov.payments",
    "digigov.store",
    "digigov.documents",
    "digigov.exchange",
    "digigov.reports",
    "digigov.opendata",
    "digigov.api",
    "digigov.govstack",
    "digigov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "digigov.accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "digigov.urls"
WSGI_APPLICATION = "digigov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digigov.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digigov.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue
        # on the busy timeout instead of failing half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["digigov.accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Vietnamese first, then English and Indonesian.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: dossier component files.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES * 2
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Working time (DOMAIN.md section 3): two sessions a day, 8 hours in all.
WORKDAY_SESSIONS = os.environ.get("WORKDAY_SESSIONS", "08:00-12:00,13:00-17:00")

# Mail: console in the demo; any Django backend through EMAIL_BACKEND.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "digigov <no-reply@digigov.local>")

# "immediate": mail is sent when the transaction commits, inside the request (fine
# for a commune on one process). "queue": requests only store the message and
# `digigov send_notifications --loop` delivers it (production: mail servers are slow).
NOTIFICATION_DELIVERY = os.environ.get("NOTIFICATION_DELIVERY", "immediate")
if NOTIFICATION_DELIVERY not in {"immediate", "queue"}:
    raise ValueError("NOTIFICATION_DELIVERY must be 'immediate' or 'queue'.")

# The installation's own name (a proper name, shown as set); empty: a generic name
# in the visitor's language (core.context_processors.site).
SITE_NAME = os.environ.get("SITE_NAME", "")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "digigov.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# The bare endpoint that bench/intake uses as its ceiling; never on in production.
BENCH_ENDPOINTS = env_bool("DIGIGOV_BENCH_ENDPOINTS")

# Open data (docs/opendata.md): the publisher of the automatic datasets (an organ code;
# empty: the top-level agency), how old they may get before a read regenerates them,
# what the service-quality dataset covers, uploads and the DCAT cache.
OPENDATA_PUBLISHER = os.environ.get("OPENDATA_PUBLISHER", "")
OPENDATA_REFRESH_MAX_AGE = int(os.environ.get("OPENDATA_REFRESH_MAX_AGE", "3600"))
OPENDATA_QUALITY_MONTHS = int(os.environ.get("OPENDATA_QUALITY_MONTHS", "6"))
OPENDATA_QUALITY_DEPTH = int(os.environ.get("OPENDATA_QUALITY_DEPTH", "2"))
OPENDATA_UPLOAD_MAX_BYTES = int(os.environ.get("OPENDATA_UPLOAD_MAX_BYTES", str(50 * 2**20)))
OPENDATA_CATALOG_CACHE_SECONDS = int(os.environ.get("OPENDATA_CATALOG_CACHE_SECONDS", "300"))
