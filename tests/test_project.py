"""The project as a whole: migrations in step with models, settings from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50


SHOWN = (
    "[settings.DEBUG, db['ENGINE'], db['NAME'], settings.ALLOWED_HOSTS, "
    "str(settings.MEDIA_ROOT), settings.LANGUAGE_CODE, settings.TIME_ZONE]"
)


def _settings_process(show: str = SHOWN, **env: str) -> subprocess.CompletedProcess:
    """Import the real settings module in a fresh interpreter with the given environment;
    it prints ``show`` (an expression of ``settings`` and ``db``) as JSON."""
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        f"db = settings.DATABASES['default']; print(json.dumps({show}))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "ZI_PG_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "zi_tracker.settings", **env},
    )


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected"


def test_settings_defaults_run_on_sqlite_in_indonesian(tmp_path):
    import json

    result = _settings_process()
    assert result.returncode == 0, result.stderr
    debug, engine, name, hosts, _media, lang, tz = json.loads(result.stdout)
    assert (debug, engine) == (True, "django.db.backends.sqlite3")
    assert name == str(ROOT / "var" / "zi_tracker.sqlite3")
    assert hosts == ["127.0.0.1", "localhost"]
    assert (lang, tz) == ("id", "Asia/Jakarta")


def test_settings_read_database_url_and_media_root(tmp_path):
    import json

    result = _settings_process(
        DATABASE_URL="postgres://zi:rahasia@db.example:5433/zi_tracker",
        MEDIA_ROOT=str(tmp_path / "bukti"),
        DJANGO_ALLOWED_HOSTS="zi.kpu.go.id, 10.0.0.5",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
    )
    assert result.returncode == 0, result.stderr
    debug, engine, name, hosts, media, _, _ = json.loads(result.stdout)
    assert (debug, engine, name) == (False, "django.db.backends.postgresql", "zi_tracker")
    assert hosts == ["zi.kpu.go.id", "10.0.0.5"]
    assert media == str(tmp_path / "bukti")


def _pg_options(**env: str) -> dict:
    import json

    result = _settings_process(
        "db.get('OPTIONS', {})", DATABASE_URL="postgres://zi@db.example:5432/zi", **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_prepares_a_statement_on_its_second_run_unless_told_otherwise():
    options = _pg_options()
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 1
    assert _pg_options(ZI_PG_PREPARE_AFTER="5")["prepare_threshold"] == 5
    off = _pg_options(ZI_PG_PREPARED="false")
    assert "prepare_threshold" not in off and "server_side_binding" not in off


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "zi.example"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "pendek", "DJANGO_ALLOWED_HOSTS": "x"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "mungkin"}, "DJANGO_DEBUG harus bernilai true/false"),
    ],
)
def test_production_mode_refuses_unsafe_settings(env, message):
    result = _settings_process(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_403_is_logged_without_its_traceback():
    import logging
    import sys

    from django.core.exceptions import PermissionDenied

    from zi_tracker.middleware import WithoutForbiddenTraceback

    try:
        raise PermissionDenied("Tidak boleh.")
    except PermissionDenied:
        exc_info = sys.exc_info()

    def record(status: int) -> logging.LogRecord:
        entry = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), exc_info)
        entry.status_code = status
        return entry

    forbidden, error = record(403), record(500)
    assert WithoutForbiddenTraceback().filter(forbidden) is True
    assert forbidden.exc_info is None
    assert WithoutForbiddenTraceback().filter(error) is True
    assert error.exc_info == exc_info


@pytest.mark.django_db
def test_favicon_is_served_and_linked(client, django_user_model):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("zi/favicon.svg")
    client.force_login(django_user_model.objects.create_user("u", password="sandi-uji-123"))
    assert 'rel="icon"' in client.get("/rencana/").content.decode()


WSGI_STATE = (
    "import gc, json, zi_tracker.wsgi as w; from django.db import connections; "
    "print(json.dumps({'frozen': gc.get_freeze_count(), 'thresholds': gc.get_threshold(), "
    "'expected': w.GC_THRESHOLDS, 'open': [c.alias for c in connections.all() "
    "if c.connection is not None]}))"
)


def test_the_wsgi_entry_point_warms_up_freezes_and_leaves_no_connection_open(tmp_path):
    """What gunicorn --preload forks the workers from: the app loaded and warmed, its
    objects frozen out of the cycle collector's walks, no database connection a forked
    worker would share."""
    import json

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", WSGI_STATE],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["frozen"] > 50_000
    assert state["thresholds"] == state["expected"]
    assert state["open"] == []
