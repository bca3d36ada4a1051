"""Django settings: one module, everything deployment-specific read through `nengji.web.env`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ

from nengji.web.env import data_dir, env, flag, private_files, secret_key

DATA_DIR = data_dir()
PACKAGE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = flag("NENGJI_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in (env("NENGJI_ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from the package, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",  # login throttling (finding 9 of issue 15): see AXES_* below
    "captcha",  # django-simple-captcha: the public comment form's challenge, drawn locally
    "nengji.core",
    "nengji.plan",
    "nengji.accounts",
    "nengji.monitoring",
    "nengji.indexing",
    "nengji.registry",
    "nengji.vouchers",
    "nengji.techrights",
    "nengji.policy",
    "nengji.cockpit",
    "nengji.portal",
    "nengji.reports",
    "nengji.web",
]

MIDDLEWARE = [
    "nengji.web.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nengji.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nengji.web.middleware.DomainErrorMiddleware",
    # turns a lock-out into our 429 (nengji.web.lockout), for the login page and the API alike
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nengji.web.urls"
WSGI_APPLICATION = "nengji.web.wsgi.application"

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
                "nengji.web.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": environ.Env.db_url_config(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'nengji.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the cockpit read while an import writes; IMMEDIATE takes the write lock when a
    # transaction starts, so two writers queue (up to the timeout) instead of one failing with
    # "database is locked" when it tries to upgrade a read lock mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"

# Login throttling (django-axes): after NENGJI_LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one client, that pair is refused for NENGJI_LOGIN_LOCKOUT_MINUTES (429 +
# Retry-After), without hashing the password again; the office unlocks on /accounts/access/.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("NENGJI_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("NENGJI_LOGIN_LOCKOUT_MINUTES") or 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# attempts while locked out neither count nor extend the lock-out (Retry-After stays true)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "nengji.core.http.client_ip"  # honours NENGJI_TRUST_PROXY
AXES_LOCKOUT_CALLABLE = "nengji.web.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not our business to log
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# With several plans loaded, the one pages, the API and the CLI use unless told otherwise.
NENGJI_DEFAULT_PLAN = env("NENGJI_DEFAULT_PLAN")

LANGUAGE_CODE = env("NENGJI_LANGUAGE") or "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The site-wide catalogue first, then each app that keeps its own (makemessages, run from
# src/nengji, files every app's strings into the catalogue of that app when it has one).
LOCALE_PATHS = [
    PACKAGE_DIR / "web" / "locale",
    *sorted(p for p in PACKAGE_DIR.glob("*/locale") if p.parent.name != "web"),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve straight from the package through WhiteNoise: nothing to collect, nothing from a CDN.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Evidence uploads for monitoring submissions: at most this many bytes per file.
NENGJI_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Uploads are bounded before anything reads them: a request declaring a larger body is refused
# (413) at once (the proxy should cap at the same size); file parts over 2.5 MB stream to a
# temporary file, never into memory; other bodies over 2.5 MB are refused (413 JSON in the API).
NENGJI_REQUEST_MAX_BYTES = int(env("NENGJI_REQUEST_MAX_MB") or 25) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An xlsx (a zip) is refused when its directory says it unpacks to more than this.
NENGJI_XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024

# Background jobs (reports, index recomputation) on a real queue: django-tasks. The database
# backend needs nothing beyond the database; `nengji worker` runs its jobs (`nengji serve` and
# `nengji demo` start one beside the web server). RQ on Redis for larger deployments.
TASKS_BACKEND = env("NENGJI_TASKS_BACKEND") or "database"
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env("NENGJI_REDIS_URL") or "redis://127.0.0.1:6379/0"}}

# The public comment form's CAPTCHA (django-simple-captcha): the image is drawn on this server
# with the font the package ships (no outside service, works offline); each challenge is stored
# once and deleted at its first attempt, right or wrong, so an answer cannot be replayed. An hour
# to answer, because a citizen may take a while to write the comment itself.
CAPTCHA_TIMEOUT = 60
CAPTCHA_LENGTH = 5
CAPTCHA_FONT_SIZE = 34
CAPTCHA_TEST_MODE = False
CAPTCHA_2X_IMAGE = False

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Production behind HTTPS (docs/operations.md): `check --deploy` is clean with NENGJI_HTTPS on.
HTTPS = flag("NENGJI_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(env("NENGJI_HSTS_SECONDS") or 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
TRUST_PROXY = flag("NENGJI_TRUST_PROXY")
if TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in (
        env("NENGJI_CSRF_TRUSTED_ORIGINS")
        or (",".join(f"https://{h}" for h in ALLOWED_HOSTS if h not in ("*",)) if HTTPS else "")
    ).split(",")
    if o.strip()
]
# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and fonts
# (everything is served from the package, nothing from a CDN). Inline scripts are still
# allowed for the few inline event handlers (onchange) of the pages; remove 'unsafe-inline'
# from script-src once they are gone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The database, its journals and uploaded files: readable by the service account only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
private_files(DATA_DIR, "nengji.sqlite3", "nengji.sqlite3-wal", "nengji.sqlite3-shm")

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = DATA_DIR / "outbox"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
