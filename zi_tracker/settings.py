"""ZI Tracker settings, read from the environment.

Development defaults run the app with zero set-up (SQLite file under ``var/``).
With ``DJANGO_DEBUG`` off the process refuses to start on the development
secret key or without ``DJANGO_ALLOWED_HOSTS``.
"""

import hashlib
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zi_tracker.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEVELOPMENT_SECRET_KEY = "django-insecure-zi-tracker-development-only"

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)

if not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY wajib diisi dengan kunci rahasia acak (minimal 40 karakter) "
            "bila DJANGO_DEBUG dimatikan."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS wajib diisi bila DJANGO_DEBUG dimatikan.")

# Behind a TLS-terminating proxy (nginx): trust its X-Forwarded-Proto header and list the
# public origins so Django's CSRF origin check accepts the forms.
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ZI_TRUST_FORWARDED_FOR = env_bool("DJANGO_BEHIND_TLS_PROXY", default=False)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# A session lasts one working day from login, whatever the activity.
SESSION_COOKIE_AGE = env_int("ZI_SESSION_HOURS", default=8) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS only when the site is served over TLS (in production through nginx): HSTS for a
# year, and plain-HTTP requests redirected. Off in development.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_SUBDOMAINS", default=not DEBUG)
# Only consents to the browsers' preload list; nothing is listed until the domain's owner
# submits it. Set DJANGO_HSTS_PRELOAD=false if the parent domain must keep plain HTTP.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=not DEBUG)
# The health check answers over plain HTTP (load balancers probe it inside the network).
SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]

INSTALLED_APPS = [
    "zi_tracker.admin_site.ZiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    # Layers, lowest first: the plan, its evidence, progress over both, the LKE, the documents
    # that print them, the notifications that send them; operations and development tools
    # on top (README, Architecture).
    "actionplan",
    "evidence",
    "actionplan.progress",
    "actionplan.lke",
    "actionplan.portalrb",
    "actionplan.documents",
    "actionplan.notifications",
    "actionplan.pengaturan",
    "huey.contrib.djhuey",
    "zi_tracker.ops",
    "zi_tracker.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zi_tracker.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zi_tracker.ops.health.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: locks out password guessing (see AXES_* below).
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy for every page: only this site's own scripts, styles, images
# and fonts; no inline script or style; no framing; forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before the password is
    # even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after 5 failed logins for one username from one address, that pair
# is locked for 15 minutes; a successful login resets the count.
AXES_ENABLED = env_bool("ZI_LOGIN_THROTTLE", default=True)
AXES_FAILURE_LIMIT = env_int("ZI_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = env_int("ZI_LOGIN_LOCK_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_VERBOSE = False
# Behind nginx the client's address is the last one of X-Forwarded-For (see there).
AXES_CLIENT_IP_CALLABLE = "actionplan.http.client_ip"

ROOT_URLCONF = "zi_tracker.urls"

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
                "actionplan.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "zi_tracker.wsgi.application"
ASGI_APPLICATION = "zi_tracker.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL is the default too.
        env_str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'zi_tracker.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", default=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a concurrent writer instead of failing at once with "database is locked":
    # take the write lock when a transaction begins (a deferred transaction that reads
    # first and then writes cannot wait for it), and wait up to 20 s for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the progress queries' correlated subqueries push PostgreSQL's cost estimate
    # past jit_above_cost, and compiling took ~1 s of a 1.8 s national roll-up (EXPLAIN
    # ANALYZE); an intranet app's short queries never win it back.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("options", "-c jit=off")
    # Prepared statements: psycopg prepares a statement the second time it runs on a
    # connection (ZI_PG_PREPARE_AFTER=1), so the access and page queries are planned
    # about once per connection (planning the access query took 1.5 ms, running it
    # 0.2 ms: EXPLAIN ANALYZE) and a query run only once is not prepared. psycopg's
    # default, after five runs, planned every query five times on each new connection:
    # under the load test the first 10 s, when the app servers' connections are new, had
    # a p95 of 456-659 ms against 351-368 ms with 1 (paired runs). Needs server-side
    # binding; turn off (ZI_PG_PREPARED=false) behind a pooler like PgBouncer in
    # transaction mode.
    if env_bool("ZI_PG_PREPARED", default=True):
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", env_int("ZI_PG_PREPARE_AFTER", default=1))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. Every key carries a revision read from the database (actionplan.revisions), so
# a cache never serves numbers older than the data, whether each app server keeps its own
# or all share one. Embedded default: a memory cache per process. With ZI_CACHE_URL
# (redis://host:6379/0) every app server shares one Redis through Django's RedisCache
# (zi_tracker.cache: clear() keeps to its own keys, an outage is a miss, not an error).
# Memory: the local caches hold at most MAX_ENTRIES entries each; in Redis every entry
# is written with an expiry (at most 7 days) and Redis itself is bounded by its maxmemory with an
# LRU policy (README, "Several app servers").
ZI_CACHE_URL = env_str("ZI_CACHE_URL", default="").strip()
# One Redis may serve several databases (units, test runs): the prefix names the database
# by default, so two data sets never read each other's entries.
ZI_CACHE_PREFIX = (
    env_str("ZI_CACHE_PREFIX", default="").strip()
    or "zi-"
    + hashlib.sha256(
        "|".join(
            str(DATABASES["default"].get(part) or "") for part in ("ENGINE", "HOST", "PORT", "NAME")
        ).encode()
    ).hexdigest()[:10]
)
if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", ZI_CACHE_PREFIX):
    raise ImproperlyConfigured(
        "ZI_CACHE_PREFIX hanya boleh berisi huruf, angka, titik, garis bawah dan tanda "
        f"hubung (paling banyak 64), bukan {ZI_CACHE_PREFIX!r}."
    )
if ZI_CACHE_URL:
    if not ZI_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "ZI_CACHE_URL harus alamat Redis (redis://host:6379/0, rediss:// atau unix://), "
            f"bukan {ZI_CACHE_URL!r}."
        )
    _redis = {
        "BACKEND": "zi_tracker.cache.RedisCache",
        "LOCATION": ZI_CACHE_URL,
        # Each cache operation waits at most this long for a Redis that does not answer
        # (0.5 s to connect, 2 s for a reply); it is then a miss, computed from the database.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2, "retry_on_timeout": False},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": f"{ZI_CACHE_PREFIX}:c"},
        "pages": {**_redis, "KEY_PREFIX": f"{ZI_CACHE_PREFIX}:p"},
    }
    # Sessions read from Redis, written through to the database (zi_tracker/sessions.py).
    SESSION_ENGINE = "zi_tracker.sessions"
else:
    CACHES = {
        # Small entries: each plan's roll-up counts, rendered PDFs (tens of KB).
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "zi-tracker",
            "OPTIONS": {"MAX_ENTRIES": env_int("ZI_CACHE_MAX_ENTRIES", default=5000)},
        },
        # Rendered page bodies (a dashboard ~90 KB, the national roll-up ~230 KB) and the
        # step pages with each of their months (a month 2-10 KB; one step page is up to
        # 13 entries): at most 1,500 entries per process with the default, mostly months.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "zi-tracker-fragments",
            "OPTIONS": {"MAX_ENTRIES": env_int("ZI_FRAGMENT_CACHE_ENTRIES", default=1500)},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
# The project's own catalogue: Indonesian for the django-import-export screens.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Static files are served by the app itself through WhiteNoise (compressed, with hashed
# names and long cache headers after `collectstatic`); no CDN, no separate web server.
# Evidence files (evidence/storage.py) live in STORAGES["evidence"]: a folder under
# MEDIA_ROOT by default, or, with ZI_EVIDENCE_STORAGE=s3, a private bucket of any
# S3-compatible object store (MinIO, Ceph, a cloud) through django-storages, configured
# by django-storages' own setting names taken from the environment. Downloads from S3
# are a 302 to a signed URL that lives 60 s (ZI_EVIDENCE_S3_DOWNLOAD=redirect), or
# streamed through the app (stream) when browsers cannot reach the object store.
ZI_EVIDENCE_STORAGE = env_str("ZI_EVIDENCE_STORAGE", default="local").strip().lower()
ZI_EVIDENCE_S3_DOWNLOAD = env_str("ZI_EVIDENCE_S3_DOWNLOAD", default="redirect").strip().lower()
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", default="") or None  # None: AWS itself
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID", default="") or None  # None: boto3's own chain
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY", default="") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", default="") or None
EVIDENCE_STORAGES = {
    "local": {"BACKEND": "evidence.storage.EvidenceFileSystemStorage"},
    "s3": {"BACKEND": "evidence.storage_s3.EvidenceS3Storage"},
}
if ZI_EVIDENCE_STORAGE not in EVIDENCE_STORAGES:
    raise ImproperlyConfigured("ZI_EVIDENCE_STORAGE harus 'local' atau 's3'.")
if ZI_EVIDENCE_S3_DOWNLOAD not in ("redirect", "stream"):
    raise ImproperlyConfigured("ZI_EVIDENCE_S3_DOWNLOAD harus 'redirect' atau 'stream'.")
if ZI_EVIDENCE_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME wajib diisi untuk ZI_EVIDENCE_STORAGE=s3.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "evidence": EVIDENCE_STORAGES[ZI_EVIDENCE_STORAGE],
}

# Evidence files are private: MEDIA_ROOT is never served under a public URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Evidence uploads: per-file limit, and files over 2.5 MB stream to a temporary file
# during the request instead of being held in memory (Django's upload handlers).
# The address people and PortalRB reach the app at: absolute links in workbooks, PDFs
# and messages (a request's own host is used where there is a request).
ZI_SITE_URL = env_str("ZI_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# PortalRB's API: requests per token and minute (429 beyond), and the longest life of an
# evaluators' evidence link (it also ends with the proposal period).
ZI_PORTALRB_PER_MENIT = env_int("ZI_PORTALRB_PER_MENIT", default=120)
ZI_PORTALRB_TAUTAN_HARI = env_int("ZI_PORTALRB_TAUTAN_HARI", default=120)

EVIDENCE_MAX_UPLOAD_MB = env_int("ZI_MAX_UPLOAD_MB", default=20)
EVIDENCE_MAX_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640
# Optional: let nginx send the bytes after the app has checked access (see README).
EVIDENCE_X_ACCEL_PREFIX = env_str("ZI_X_ACCEL_PREFIX", default="")
if EVIDENCE_X_ACCEL_PREFIX and ZI_EVIDENCE_STORAGE != "local":
    raise ImproperlyConfigured(
        "ZI_X_ACCEL_PREFIX hanya untuk penyimpanan bukti lokal; kosongkan untuk "
        "ZI_EVIDENCE_STORAGE=s3 (unduhan dialihkan ke URL bertanda tangan)."
    )

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-import-export: refuse to guess; every import is previewed and confirmed.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Reminders and notifications (README, "Pengingat dan notifikasi") -------------------
# E-mail through the office's SMTP server when EMAIL_HOST is set; otherwise every message
# is printed on the console (development).
EMAIL_HOST = env_str("EMAIL_HOST", default="")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=15)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="ZI Tracker <zi-tracker@localhost>")
# A second ("rescue") SMTP server, tried when the main one fails; off when empty.
ZI_EMAIL_RESCUE_HOST = env_str("ZI_EMAIL_RESCUE_HOST", default="")
ZI_EMAIL_RESCUE_PORT = env_int("ZI_EMAIL_RESCUE_PORT", default=25)
ZI_EMAIL_RESCUE_USER = env_str("ZI_EMAIL_RESCUE_USER", default="")
ZI_EMAIL_RESCUE_PASSWORD = env_str("ZI_EMAIL_RESCUE_PASSWORD", default="")
ZI_EMAIL_RESCUE_USE_TLS = env_bool("ZI_EMAIL_RESCUE_USE_TLS", default=False)
ZI_EMAIL_RESCUE_USE_SSL = env_bool("ZI_EMAIL_RESCUE_USE_SSL", default=False)
# WhatsApp through an HTTP gateway: "webhook" (JSON POST to ZI_WA_URL) or "fonnte";
# empty: no WhatsApp. The token only ever comes from the environment.
ZI_WA_PROVIDER = env_str("ZI_WA_PROVIDER", default="")
ZI_WA_URL = env_str("ZI_WA_URL", default="")
ZI_WA_TOKEN = env_str("ZI_WA_TOKEN", default="")
if ZI_WA_PROVIDER not in ("", "webhook", "fonnte"):
    raise ImproperlyConfigured("ZI_WA_PROVIDER harus kosong, 'webhook' atau 'fonnte'.")
if ZI_WA_PROVIDER == "webhook" and not ZI_WA_URL:
    raise ImproperlyConfigured("ZI_WA_URL wajib diisi untuk ZI_WA_PROVIDER=webhook.")
# Members are reminded of a month's steps this many days before the month ends; the
# reviewers of versions waiting longer than ZI_REVIEW_TUNGGU_HARI days, the unit's admin
# after twice as long.
ZI_PENGINGAT_HARI = sorted(
    {int(n) for n in env_list("ZI_PENGINGAT_HARI", default=["7", "2"])}, reverse=True
)
ZI_REVIEW_TUNGGU_HARI = env_int("ZI_REVIEW_TUNGGU_HARI", default=5)

# The job runner (huey): an SQLite file under var/ by default, no extra service; Redis
# with ZI_HUEY_URL=redis://… for several consumers on several machines.
ZI_HUEY_URL = env_str("ZI_HUEY_URL", default="")
HUEY = {
    "name": env_str("ZI_HUEY_NAME", default="zi-tracker"),
    # The crontabs of the periodic tasks are read in local time (Asia/Jakarta).
    "utc": False,
    "immediate": env_bool("ZI_HUEY_IMMEDIATE", default=False),
    "consumer": {"workers": env_int("ZI_HUEY_WORKERS", default=2), "worker_type": "thread"},
}
if ZI_HUEY_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": ZI_HUEY_URL})
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone on PostgreSQL has no var/ yet
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_403_traceback": {"()": "zi_tracker.middleware.WithoutForbiddenTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_403_traceback"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
    # Django's own loggers go to the root handler only, so no line is printed twice.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # WeasyPrint narrates every rendering step at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every login at INFO; lockouts are logged as warnings.
        "axes": {"level": "WARNING"},
    },
}
