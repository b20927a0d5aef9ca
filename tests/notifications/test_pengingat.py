"""The day's reminders over a simulated June 2026 (the clock moved to 07:00 of each day),
with the exact notifications each person gets, and a repeated run adding nothing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actionplan.notifications.enums import Jenis
from actionplan.notifications.models import Butir, Kiriman, Notifikasi
from actionplan.notifications.pengingat import ambang_terdekat, hitung
from tests.notifications.conftest import wib

pytestmark = pytest.mark.django_db


def test_the_nearest_reminder_day_is_the_one_reached():
    assert ambang_terdekat(8, [7, 2]) is None
    assert ambang_terdekat(7, [7, 2]) == 7
    assert ambang_terdekat(5, [7, 2]) == 7
    assert ambang_terdekat(2, [7, 2]) == 2
    assert ambang_terdekat(0, [7, 2]) == 2


def _run_june(world, clock) -> dict[str, list[tuple[int, str, int]]]:
    """Every day of June at 07:00; a version for May sent on 2 June at 09:00 and left
    waiting. Returns per user kind: (day, kind, number of items)."""
    may = world.langkah.jadwal.get(bulan=5)
    for day in range(1, 31):
        if day == 2:
            clock.move_to(wib(2026, 6, 2, 9, 0))
            world.submit(slot=may)
        clock.move_to(wib(2026, 6, day, 7, 0))
        hitung(datetime.date(2026, 6, day))
    names = {u.pk: kind for kind, u in world.users.items()}
    got: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for n in Notifikasi.objects.order_by("dibuat", "jenis", "pk"):
        got[names[n.penerima_id]].append((n.dibuat.day, n.jenis, len(n.butir)))
    return dict(got)


def test_a_simulated_june_gives_each_person_exactly_these(world, clock):
    got = _run_june(world, clock)
    mondays = [1, 8, 15, 22, 29]
    # Team A's step is due every month: January-May overdue on 1 June (weekly, Mondays),
    # May sent on 2 June so four from then on; June's month due 7 and 2 days before
    # its end (23 and 28 June).
    assert got["anggota"] == [
        (1, Jenis.TERLAMBAT, 5),
        (8, Jenis.TERLAMBAT, 4),
        (15, Jenis.TERLAMBAT, 4),
        (22, Jenis.TERLAMBAT, 4),
        (23, Jenis.JATUH_TEMPO, 1),
        (28, Jenis.JATUH_TEMPO, 1),
        (29, Jenis.TERLAMBAT, 4),
    ]
    assert got["anggota_lain"] == [(23, Jenis.JATUH_TEMPO, 1), (28, Jenis.JATUH_TEMPO, 1)]
    assert got["unit_lain"] == [(23, Jenis.JATUH_TEMPO, 1), (28, Jenis.JATUH_TEMPO, 1)]
    # Sent 2 June 09:00: new on the 3rd, waiting more than 5 days on the 8th.
    assert got["reviewer"] == [(3, Jenis.REVIEW_BARU, 1), (8, Jenis.REVIEW_MENUNGGU, 1)]
    # More than 10 days on the 13th: the unit's admin is told.
    assert got["admin"] == [(13, Jenis.ESKALASI, 1)]
    # May's summary with its PDF on 1 June, a weekly summary every Monday.
    assert got["pimpinan"] == [
        (1, Jenis.RINGKASAN_BULANAN, 4),
        *[(day, Jenis.RINGKASAN_MINGGUAN, got["pimpinan"][1][2]) for day in mondays],
    ]
    bulanan = Notifikasi.objects.get(jenis=Jenis.RINGKASAN_BULANAN)
    assert bulanan.lampiran == [{"laporan": world.rencana.pk, "bulan": 5}]
    assert bulanan.judul == f"Laporan monev Mei 2026: {world.unit.nama}"


def test_running_the_same_day_again_adds_nothing(world, clock):
    clock.move_to(wib(2026, 6, 23, 7, 0))
    first = hitung(datetime.date(2026, 6, 23))
    assert first.notifikasi == {
        Jenis.JATUH_TEMPO: 3,
        Jenis.TERLAMBAT: 1,
        Jenis.RINGKASAN_MINGGUAN: 1,
    }
    counts = (Notifikasi.objects.count(), Butir.objects.count(), Kiriman.objects.count())
    for _ in range(3):
        again = hitung(datetime.date(2026, 6, 23))
        assert (again.notifikasi, again.email) == ({}, 0)
    assert (Notifikasi.objects.count(), Butir.objects.count(), Kiriman.objects.count()) == counts


def test_the_member_digest_names_the_step_and_links_to_the_tasks(world, clock, settings):
    settings.ZI_SITE_URL = "https://zi.kpu.example.org"
    clock.move_to(wib(2026, 6, 23, 7, 0))
    hitung(datetime.date(2026, 6, 23))
    n = Notifikasi.objects.get(penerima=world.users["anggota_lain"])
    assert n.judul == "1 langkah aksi bulan Juni belum dikirim buktinya"
    assert n.pengantar == (
        "Bulan Juni berakhir 30 Juni 2026 (7 hari lagi). Bukti untuk langkah aksi berikut "
        "belum dikirim:"
    )
    assert n.butir == [f"I.1 Juni: {world.langkah_b.teks}"]
    assert n.tautan == "https://zi.kpu.example.org/tugas/"


def test_the_command_reports_and_refuses_a_bad_date(world, clock):
    clock.move_to(wib(2026, 6, 23, 7, 0))
    out = StringIO()
    call_command("kirim_pengingat", tanggal="2026-06-23", stdout=out)
    assert out.getvalue().splitlines()[:5] == [
        "Pengingat 2026-06-23: 5 notifikasi baru.",
        "  Langkah aksi jatuh tempo bulan ini: 3",
        "  Ringkasan mingguan untuk pimpinan: 1",
        "  Bukti terlambat atau dikembalikan (mingguan): 1",
        "E-mail ringkasan harian diantrekan: 0.",
    ]
    with pytest.raises(CommandError, match="tidak sah"):
        call_command("kirim_pengingat", tanggal="25-06-2024", stdout=StringIO())
