"""E-mail against a real SMTP server (aiosmtpd on a free port): the actual messages, once;
a server that goes down delays them and loses none; the rescue server takes over."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actionplan.notifications.enums import Kanal, StatusKiriman
from actionplan.notifications.kirim import kirim_tertunda
from actionplan.notifications.models import Kiriman
from evidence.enums import StatusBukti
from evidence.services import bukti_review
from tests.notifications.conftest import Smtp, wib

pytestmark = pytest.mark.django_db


def _emails(world) -> None:
    for kind, user in world.users.items():
        user.email = f"{kind}@kpu.example.org"
        user.save(update_fields=["email"])


def _parts(message) -> tuple[str, str]:
    # Lines travel with CRLF endings over SMTP.
    return tuple(
        message.get_body(preferencelist=(kind,)).get_content().replace("\r\n", "\n")
        for kind in ("plain", "html")
    )


def test_the_day_digests_arrive_once(world, clock, smtp):
    _emails(world)
    clock.move_to(wib(2026, 6, 23, 7, 0))
    call_command("kirim_pengingat", tanggal="2026-06-23", stdout=StringIO())
    kotak = smtp.kotak
    assert sorted(to for _from, tos in kotak.envelopes for to in tos) == [
        "anggota@kpu.example.org",
        "anggota_lain@kpu.example.org",
        "pimpinan@kpu.example.org",
        "unit_lain@kpu.example.org",
    ]
    [anggota] = kotak.to("anggota@kpu.example.org")
    # Two notifications (overdue this week, due this month) in one digest.
    assert anggota["Subject"] == "[ZI Tracker] 2 pemberitahuan, 23 Juni 2026"
    assert anggota["From"] == "ZI Tracker <zi@kpu.example.org>"
    text, html = _parts(anggota)
    assert text.startswith("Yth. anggota,\n\n")
    assert "5 BUKTI TERLAMBAT ATAU DIKEMBALIKAN" in text
    assert f"- I.1 Juni: {world.langkah.teks}" in text
    assert "Buka: http://127.0.0.1:8000/tugas/" in text
    assert '<a href="http://127.0.0.1:8000/tugas/"' in html
    assert "<li>I.1 Juni: " in html
    [lain] = kotak.to("anggota_lain@kpu.example.org")
    assert lain["Subject"] == "[ZI Tracker] 1 langkah aksi bulan Juni belum dikirim buktinya"
    [pimpinan] = kotak.to("pimpinan@kpu.example.org")
    assert (
        pimpinan["Subject"] == f"[ZI Tracker] Ringkasan mingguan {world.unit.nama} (23 Juni 2026)"
    )
    text, _html = _parts(pimpinan)
    assert "- Belum dikirim, bulannya sudah lewat (giliran tim): 5" in text
    assert Kiriman.objects.filter(status=StatusKiriman.TERKIRIM).count() == 4
    # Again, the same day: nothing new arrives.
    call_command("kirim_pengingat", tanggal="2026-06-23", stdout=StringIO())
    assert len(kotak.messages) == 4


def test_the_month_summary_carries_the_monev_pdf(world, clock, smtp):
    _emails(world)
    clock.move_to(wib(2026, 6, 1, 7, 0))
    call_command("kirim_pengingat", tanggal="2026-06-01", stdout=StringIO())
    [message] = smtp.kotak.to("pimpinan@kpu.example.org")
    assert message["Subject"] == "[ZI Tracker] 2 pemberitahuan, 1 Juni 2026"
    [pdf] = list(message.iter_attachments())
    slug = world.unit.slug
    assert pdf.get_filename() == f"laporan-{slug}-2026-05-f4.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF-")


def test_a_server_down_mid_run_delays_and_loses_nothing(world, clock, smtp):
    _emails(world)
    clock.move_to(wib(2026, 6, 23, 7, 0))
    smtp.stop()
    call_command("kirim_pengingat", tanggal="2026-06-23", stdout=StringIO(), stderr=StringIO())
    rows = list(Kiriman.objects.filter(kanal=Kanal.EMAIL))
    assert len(rows) == 4
    now = timezone.now()
    for row in rows:
        assert (row.status, row.percobaan) == (StatusKiriman.MENUNGGU, 1)
        assert row.coba_lagi_pada > now
        assert "Connection refused" in row.galat or "Errno" in row.galat
    # Before the back-off has passed nothing is tried; the server is back afterwards.
    smtp.start()
    assert kirim_tertunda().terkirim == 0
    clock.shift(datetime.timedelta(minutes=2))
    assert kirim_tertunda().terkirim == 4
    assert kirim_tertunda().terkirim == 0
    assert len(smtp.kotak.messages) == 4
    assert Kiriman.objects.filter(status=StatusKiriman.TERKIRIM, percobaan=2).count() == 4


def test_the_rescue_server_takes_over_when_the_main_one_fails(world, clock, smtp, settings):
    _emails(world)
    rescue = Smtp()
    rescue.start()
    try:
        settings.ZI_EMAIL_RESCUE_HOST, settings.ZI_EMAIL_RESCUE_PORT = "127.0.0.1", rescue.port
        smtp.stop()
        clock.move_to(wib(2026, 6, 23, 7, 0))
        call_command("kirim_pengingat", tanggal="2026-06-23", stdout=StringIO())
        assert len(rescue.kotak.messages) == 4
        assert set(Kiriman.objects.values_list("status", "lewat")) == {
            (StatusKiriman.TERKIRIM, "127.0.0.1")
        }
    finally:
        rescue.stop()


def test_a_returned_version_is_mailed_at_once_with_the_note(
    world, smtp, django_capture_on_commit_callbacks
):
    _emails(world)
    bukti = world.submit()
    with django_capture_on_commit_callbacks(execute=True):
        bukti_review(
            bukti=bukti,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Daftar hadir belum ditandatangani.",
        )
    [message] = smtp.kotak.messages
    assert message["To"] == "anggota@kpu.example.org"
    assert message["Subject"].startswith("[ZI Tracker] Bukti dikembalikan: I.1 Juni: ")
    text, _html = _parts(message)
    assert "- Catatan reviewer: Daftar hadir belum ditandatangani." in text
    assert f"Buka: http://127.0.0.1:8000/langkah/{world.langkah.pk}/" in text


def test_a_review_rolled_back_leaves_no_message(world, smtp):
    from django.db import transaction

    bukti = world.submit()
    with pytest.raises(RuntimeError), transaction.atomic():
        bukti_review(
            bukti=bukti,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="x",
        )
        raise RuntimeError
    assert not Kiriman.objects.exists()
    assert not world.users["anggota"].notifikasi.exists()
