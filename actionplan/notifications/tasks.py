"""The background jobs (huey): the day's reminders at 07:00 WIB, the outbox every
minute, and an alert's delivery right after its transaction. Each is safe to run twice
or to be lost: the outbox and the reminders' unique keys make a repeated run send
nothing new, and the next run picks up what a lost one left."""

from __future__ import annotations

import os
import socket

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, task

from actionplan.notifications.kirim import kirim_tertunda
from actionplan.notifications.pengingat import hitung


@db_periodic_task(crontab(hour="7", minute="0"))
def pengingat_harian() -> dict:
    """The same as ``manage.py kirim_pengingat``: compute today's reminders, deliver."""
    hasil = hitung(timezone.localdate())
    laporan = kirim_tertunda()
    return {"notifikasi": hasil.jumlah, "email": hasil.email, "terkirim": laporan.terkirim}


@db_periodic_task(crontab(minute="*"))
def kirim_outbox() -> int:
    return kirim_tertunda().terkirim


@db_task()
def kirim_outbox_segera() -> int:
    return kirim_tertunda().terkirim


@task()
def periksa() -> dict:
    """Answers from a consumer: proves jobs are taken (README: checking the consumer)."""
    return {"host": socket.gethostname(), "pid": os.getpid()}
