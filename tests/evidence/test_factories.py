"""The evidence factories build valid rows, and files the app itself accepts."""

from __future__ import annotations

import datetime
import hashlib
import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.enums import JenisBerkas, JenisPeristiwa, StatusBukti
from tests import files
from tests.factories import BerkasBuktiFactory, BuktiFactory, PeristiwaBuktiFactory

UTC = datetime.UTC


def test_bukti_is_the_slots_next_version_waiting_for_review(db):
    first = BuktiFactory()
    first.full_clean()
    assert (first.versi, first.status) == (1, StatusBukti.DIAJUKAN)
    assert (first.diperiksa_oleh, first.diperiksa_pada, first.catatan_review) == (None, None, "")
    # The default slot is January 2024: an upload now is late.
    assert (first.slot.bulan, first.slot.rencana.tahun, first.terlambat) == (1, 2024, True)
    second = BuktiFactory(slot=first.slot)
    assert second.versi == 2
    in_time = BuktiFactory(diunggah_pada=datetime.datetime(2024, 1, 31, 16, 59, tzinfo=UTC))
    assert in_time.terlambat is False


def test_reviewed_bukti_has_a_reviewer_a_time_and_a_note_when_returned(db):
    uploaded = datetime.datetime(2024, 1, 10, 3, tzinfo=UTC)
    returned = BuktiFactory(status=StatusBukti.DIKEMBALIKAN, diunggah_pada=uploaded)
    returned.full_clean()
    assert returned.diperiksa_oleh not in (None, returned.diunggah_oleh)
    assert returned.diperiksa_pada == uploaded + datetime.timedelta(days=1)
    assert returned.catatan_review == "Bukti belum lengkap."
    approved = BuktiFactory(status=StatusBukti.DISETUJUI)
    assert approved.diunggah_pada <= approved.diperiksa_pada
    assert approved.catatan_review == ""


def test_berkas_is_a_real_file_where_the_store_keeps_it(world, _media_root):
    bukti = BuktiFactory(slot=world.slot, diunggah_oleh=world.users["anggota"])
    pdf = BerkasBuktiFactory(bukti=bukti, nama_asli="Notulen.pdf")
    png = BerkasBuktiFactory(bukti=bukti, jenis=JenisBerkas.PNG)
    pdf.full_clean()
    for berkas in (pdf, png):
        path = _media_root / berkas.lokasi
        data = path.read_bytes()
        assert berkas.lokasi.startswith("bukti/") and berkas.lokasi.endswith(f".{berkas.jenis}")
        assert (berkas.ukuran, berkas.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert (_media_root / pdf.lokasi).read_bytes().startswith(b"%PDF-")
    # The app's own checks accept them: verify_storage, and the download.
    out = StringIO()
    call_command("verify_storage", stdout=out)
    assert "2 catatan, 2 berkas" in out.getvalue()
    response = world.client_for("anggota").get(reverse("berkas-unduh", args=[pdf.pk]))
    assert b"".join(response.streaming_content) == (_media_root / pdf.lokasi).read_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="Notulen.pdf"'


def test_berkas_takes_given_bytes_and_refuses_a_wrong_kind(db, _media_root):
    data = files.pdf_bytes("Daftar hadir")
    berkas = BerkasBuktiFactory(isi=data)
    assert (_media_root / berkas.lokasi).read_bytes() == data
    with pytest.raises(ValueError, match="not the"):
        BerkasBuktiFactory(jenis=JenisBerkas.PNG, isi=data)
    built = BerkasBuktiFactory.build(bukti=berkas.bukti)
    assert not (_media_root / built.lokasi).exists()  # build() writes no file


def test_peristiwa_is_the_event_that_gave_the_status(db):
    returned = BuktiFactory(status=StatusBukti.DIKEMBALIKAN)
    event = PeristiwaBuktiFactory(bukti=returned)
    event.full_clean()
    assert (event.jenis, event.oleh, event.pada, event.catatan) == (
        JenisPeristiwa.DIKEMBALIKAN,
        returned.diperiksa_oleh,
        returned.diperiksa_pada,
        "Bukti belum lengkap.",
    )
    upload = PeristiwaBuktiFactory(bukti=BuktiFactory(slot=returned.slot))
    assert (upload.jenis, upload.oleh, upload.pada) == (
        JenisPeristiwa.DIAJUKAN_ULANG,
        upload.bukti.diunggah_oleh,
        upload.bukti.diunggah_pada,
    )
    replaced = PeristiwaBuktiFactory(bukti=upload.bukti, jenis=JenisPeristiwa.DIGANTIKAN)
    assert (replaced.oleh, replaced.catatan) == (upload.bukti.diunggah_oleh, "Digantikan versi 3.")
