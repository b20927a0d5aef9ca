"""Fast settings for the test suite; the database still comes from DATABASE_URL."""

import tempfile
from pathlib import Path

from zi_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test that writes files gets its own MEDIA_ROOT (see tests/conftest.py); this is the
# fallback so nothing ever lands in the developer's real media folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zi-tracker-test-media-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
