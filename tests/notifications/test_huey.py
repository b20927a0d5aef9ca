"""The job runner: the periodic tasks' schedule and their work in immediate mode, and a
real consumer (``manage.py run_huey``) taking a job from the real Redis."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys

import pytest

from actionplan.notifications import tasks
from actionplan.notifications.models import Notifikasi
from tests.conftest import ROOT
from tests.notifications.conftest import wib


def test_the_schedule_is_daily_at_seven_and_every_minute():
    daily = tasks.pengingat_harian.task_class()
    assert daily.validate_datetime(datetime.datetime(2026, 6, 15, 7, 0))
    assert not daily.validate_datetime(datetime.datetime(2026, 6, 15, 7, 1))
    assert tasks.kirim_outbox.task_class().validate_datetime(datetime.datetime(2026, 6, 15, 13, 37))


@pytest.mark.django_db
def test_the_daily_task_does_what_the_command_does(world, clock):
    clock.move_to(wib(2026, 6, 23, 7, 0))
    # Through huey (immediate mode: run at once, in this process and transaction).
    tasks.pengingat_harian()
    assert Notifikasi.objects.count() == 5
    # Run again (a job repeated after a restart): nothing new.
    assert tasks.pengingat_harian.call_local() == {"notifikasi": 0, "email": 0, "terkirim": 0}
    assert Notifikasi.objects.count() == 5


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.mark.slow
def test_a_real_consumer_takes_a_job_from_redis(tmp_path):
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis tidak berjalan di 127.0.0.1:6379 (wajib di CI).")
        pytest.skip("Redis tidak berjalan di 127.0.0.1:6379.")
    from huey import RedisHuey

    url = "redis://127.0.0.1:6379/15"
    name = f"zi-tracker-uji-{os.getpid()}"
    huey = RedisHuey(name, url=url)
    huey.flush()
    huey._registry.register(tasks.periksa.task_class)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
            "ZI_HUEY_URL": url,
            "ZI_HUEY_NAME": name,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    result = huey.enqueue(tasks.periksa.s())
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        answer = result.get(blocking=True, timeout=60)
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode()
        huey.flush()
    assert answer["pid"] == consumer.pid, output
    assert answer["host"] == socket.gethostname()
    # The consumer ended cleanly on SIGTERM (a restart loses no job: they stay queued).
    assert consumer.returncode == 0, output
