"""The daily computation's queries do not grow with units or users."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplan.enums import Peran
from actionplan.models import PeranPengguna
from actionplan.notifications.pengingat import hitung
from tests.factories import (
    AreaPerubahanFactory,
    IndikatorFactory,
    KomponenFactory,
    LangkahAksiFactory,
    RencanaAksiFactory,
    TimKerjaFactory,
    UserFactory,
)
from tests.notifications.conftest import wib

pytestmark = pytest.mark.django_db


def _units(n: int) -> None:
    for _ in range(n):
        plan = RencanaAksiFactory(tahun=2026)
        tim = TimKerjaFactory(satuan_kerja=plan.satuan_kerja)
        LangkahAksiFactory(
            indikator=IndikatorFactory(
                komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=plan, nomor=1))
            ),
            tim=tim,
            bulan=[5, 6],
        )
        tim.anggota.add(UserFactory(email="a@example.org"), UserFactory(email="b@example.org"))
        for peran in (Peran.PIMPINAN, Peran.REVIEWER, Peran.ADMIN):
            PeranPengguna.objects.create(
                user=UserFactory(email="p@example.org"), satuan_kerja=plan.satuan_kerja, peran=peran
            )


@pytest.mark.parametrize("units", [1, 3])
def test_the_daily_run_is_a_fixed_number_of_queries(clock, units):
    _units(units)
    clock.move_to(wib(2026, 6, 23, 7, 0))
    with CaptureQueriesContext(connection) as queries:
        hasil = hitung(datetime.date(2026, 6, 23))
    # Each unit: two members with a due and an overdue month, one pimpinan.
    assert hasil.notifikasi == {
        "jatuh_tempo": 2 * units,
        "terlambat": 2 * units,
        "ringkasan_mingguan": units,
    }
    # savepoint and its release, plans, roles, members, slots with state, waiting versions, counts
    # per plan, LKE assessments, LKE deadlines, recipients (preferences, users), existing
    # notifications, ledger insert + read back, notifications insert, WhatsApp insert
    # (none: no gateway), digest: pending, existing, recipients (2), insert, read back,
    # link update.
    # PostgreSQL also takes the run's advisory lock (SQLite's writer lock needs no query).
    assert len(queries) == 23 + (connection.vendor == "postgresql")
