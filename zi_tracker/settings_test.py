"""Fast settings for the test suite; the database still comes from DATABASE_URL."""

import os
import tempfile
from pathlib import Path

from zi_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test that writes files gets its own MEDIA_ROOT (see tests/conftest.py); this is the
# fallback so nothing ever lands in the developer's real media folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zi-tracker-test-media-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: only a file database gives threads real SQLite
    # locking with a busy timeout, which the concurrency tests exercise.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="zi-tracker-test-db-")) / "test.sqlite3")
    }

# Tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="zi-tracker-test-static-"))
WHITENOISE_USE_FINDERS = True

# Background jobs run at once, in the test's own process and transaction.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
HUEY.pop("filename", None)
HUEY.pop("url", None)
HUEY["huey_class"] = "huey.MemoryHuey"

# The query counts the suite asserts include reading the session from the database,
# whichever cache is configured; tests/test_shared_cache.py covers the Redis sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

if ZI_CACHE_URL:  # noqa: F405
    # The suite against a shared Redis (ZI_CACHE_URL set, as CI does once): each test
    # process its own keys, since every test empties the caches (clear() keeps to them).
    ZI_CACHE_PREFIX = f"{ZI_CACHE_PREFIX}-test{os.getpid()}"  # noqa: F405
    CACHES = {
        "default": {**CACHES["default"], "KEY_PREFIX": f"{ZI_CACHE_PREFIX}:c"},  # noqa: F405
        "pages": {**CACHES["pages"], "KEY_PREFIX": f"{ZI_CACHE_PREFIX}:p"},  # noqa: F405
    }
