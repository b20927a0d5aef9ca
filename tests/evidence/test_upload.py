"""Uploading evidence through the page, as a team member does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import BerkasBukti, Bukti
from tests import files


def _stored_files(media_root: Path) -> list[Path]:
    root = media_root / "bukti"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _post(world, *, kind="anggota", langkah=None, **data):
    langkah = langkah or world.langkah
    payload = {"bulan": world.today.month, "tautan": "", "catatan": "", **data}
    return world.client_for(kind).post(reverse("bukti-unggah", args=[langkah.pk]), payload)


def test_member_uploads_pdf_and_photo_for_this_month(world, _media_root):
    pdf_data = files.pdf_bytes("Daftar hadir apel")
    response = _post(
        world,
        berkas=[files.upload("Daftar Hadir.pdf", pdf_data), files.jpeg("foto apel.jpg")],
        catatan="Apel pagi Senin",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/langkah/{world.langkah.pk}/#bulan-{world.today.month}"
    bukti = Bukti.objects.get()
    assert (bukti.slot, bukti.versi, bukti.status) == (world.slot, 1, StatusBukti.DIAJUKAN)
    assert bukti.terlambat is False
    assert bukti.catatan == "Apel pagi Senin"
    stored = list(BerkasBukti.objects.order_by("id"))
    assert [b.nama_asli for b in stored] == ["Daftar Hadir.pdf", "foto apel.jpg"]
    assert [b.jenis for b in stored] == ["pdf", "jpg"]
    on_disk = _media_root / stored[0].lokasi
    assert on_disk.read_bytes() == pdf_data
    assert stored[0].sha256 == hashlib.sha256(pdf_data).hexdigest()
    assert stored[0].ukuran == len(pdf_data)
    assert "Daftar" not in stored[0].lokasi  # stored under a random name
    assert len(_stored_files(_media_root)) == 2
    assert list(bukti.peristiwa.values_list("jenis", flat=True)) == [JenisPeristiwa.DIAJUKAN]


def test_member_submits_a_link_only(world):
    response = _post(world, tautan="https://www.instagram.com/p/contoh-apel/")
    assert response.status_code == 302
    assert Bukti.objects.get().tautan == "https://www.instagram.com/p/contoh-apel/"


def test_upload_page_shows_only_scheduled_months(world):
    world.langkah.jadwal.exclude(bulan__in=[3, 6]).delete()
    response = world.client_for("anggota").get(reverse("bukti-unggah", args=[world.langkah.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="3">Maret</option>' in html
    assert '<option value="6">Juni</option>' in html
    assert "Januari" not in html


def test_reupload_creates_a_new_version_and_keeps_the_old(world, _media_root):
    first = world.submit(files=[files.pdf("v1.pdf")])
    response = _post(world, berkas=[files.pdf("v2.pdf", "versi dua")])
    assert response.status_code == 302
    first.refresh_from_db()
    second = Bukti.objects.get(versi=2)
    assert first.status == StatusBukti.DIGANTIKAN
    assert second.status == StatusBukti.DIAJUKAN
    assert len(_stored_files(_media_root)) == 2
    assert (_media_root / first.berkas.get().lokasi).exists()


def test_upload_for_a_past_month_is_allowed_and_late(world):
    from tests.factories import IndikatorFactory, LangkahAksiFactory, build_plan

    last_year = build_plan(satuan_kerja=world.unit, tahun=world.today.year - 1, komponen=1)
    langkah = LangkahAksiFactory(
        indikator=IndikatorFactory(komponen=last_year.area.get().komponen.get(), urutan=9),
        tim=world.tim_a,
        bulan=[12],
    )
    response = _post(world, langkah=langkah, bulan=12, berkas=[files.pdf()])
    assert response.status_code == 302
    bukti = Bukti.objects.get()
    assert bukti.terlambat is True
    page = world.client_for("anggota").get(response["Location"]).content.decode()
    assert "Terlambat" in page


def test_approved_slot_refuses_another_upload(world, _media_root):
    from evidence.services import bukti_review

    bukti = world.submit()
    bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    response = _post(world, berkas=[files.pdf()])
    assert response.status_code == 200
    assert "sudah disetujui" in response.content.decode()
    assert Bukti.objects.count() == 1
    assert len(_stored_files(_media_root)) == 1


# Bad input: a clear message on the form, and nothing written (no row, no file).


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"berkas": [files.upload("kosong.pdf", b"")]}, "kosong"),
        ({"berkas": [files.upload("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64)]}, "bukan PDF"),
        ({"berkas": [files.upload("page.pdf", b"<html><body>hi</body></html>")]}, "bukan PDF"),
        ({"berkas": [files.upload("logo.svg", b"<svg/>")]}, "tidak diterima"),
        ({"berkas": [files.upload("foto.jpg", b"#!/bin/bash\necho hi\n")]}, "bukan gambar JPEG"),
        ({"berkas": [files.pdf(), files.upload("x.pdf", b"bukan pdf")]}, "bukan PDF"),
        ({"tautan": "javascript:alert(1)"}, "diawali http:// atau https://"),
        ({"tautan": "ftp://contoh.go.id/bukti.pdf"}, "diawali http:// atau https://"),
        ({"tautan": "bukan alamat"}, "diawali http:// atau https://"),
        ({}, "Unggah minimal satu berkas atau isi tautan bukti."),
        ({"bulan": 13, "berkas": [files.pdf()]}, "tidak termasuk jadwal"),
        ({"bulan": "abc", "berkas": [files.pdf()]}, "Pilih bulan pelaporan dari daftar jadwal."),
        ({"catatan": "x" * 2001, "berkas": [files.pdf()]}, "paling banyak 2000 karakter"),
    ],
)
def test_bad_upload_is_refused_and_writes_nothing(world, _media_root, data, message):
    response = _post(world, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Bukti.objects.count() == 0
    assert BerkasBukti.objects.count() == 0
    assert _stored_files(_media_root) == []


def test_month_outside_the_schedule_names_the_schedule(world):
    world.langkah.jadwal.exclude(bulan__in=[2, 5]).delete()
    response = _post(world, bulan=3, berkas=[files.pdf()])
    assert (
        "Bulan Maret tidak termasuk jadwal pelaksanaan langkah aksi ini (jadwal: Februari, Mei)."
        in response.content.decode()
    )
    assert Bukti.objects.count() == 0


def test_file_over_the_limit_is_refused(world, settings, _media_root):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = files.upload("besar.pdf", files.pdf_bytes() + b"0" * (1024 * 1024 + 10))
    response = _post(world, berkas=[big])
    assert "melebihi batas 1 MB per berkas" in response.content.decode()
    assert Bukti.objects.count() == 0
    assert _stored_files(_media_root) == []


def test_too_many_files_are_refused(world, settings, _media_root):
    settings.EVIDENCE_MAX_FILES = 2
    response = _post(world, berkas=[files.pdf("a.pdf"), files.pdf("b.pdf"), files.pdf("c.pdf")])
    assert "Paling banyak 2 berkas sekali unggah." in response.content.decode()
    assert _stored_files(_media_root) == []


def test_step_of_another_team_is_refused(world, _media_root):
    response = _post(world, kind="anggota_lain", berkas=[files.pdf()])
    assert response.status_code == 403
    assert Bukti.objects.count() == 0
    assert _stored_files(_media_root) == []


def test_tampered_step_id_of_another_unit_is_not_found(world, _media_root):
    response = _post(world, langkah=world.langkah_lain, berkas=[files.pdf()])
    assert response.status_code == 404
    assert Bukti.objects.count() == 0


def test_large_upload_streams_to_disk(world, _media_root, settings):
    """A file over FILE_UPLOAD_MAX_MEMORY_SIZE is written to a temporary file during the
    request (Django's TemporaryFileUploadHandler), then copied in chunks."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    pdf = files.pdf_bytes()
    data = pdf[:9] + b"%" + b"0" * (3 * 1024 * 1024) + b"\n" + pdf[9:]  # a long comment line
    response = _post(world, berkas=[files.upload("besar.pdf", data)])
    assert response.status_code == 302
    berkas = BerkasBukti.objects.get()
    assert berkas.ukuran == len(data)
    assert berkas.sha256 == hashlib.sha256(data).hexdigest()
    assert (_media_root / berkas.lokasi).stat().st_size == len(data)


def test_failure_while_storing_leaves_no_row_and_no_file(world, _media_root, monkeypatch):
    """If writing the second file fails, the first file is removed again and the
    transaction leaves no row behind."""
    import evidence.services as services

    real_store = services.store
    calls = []

    def failing_store(item):
        calls.append(item)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_store(item)

    monkeypatch.setattr(services, "store", failing_store)
    with pytest.raises(OSError):
        world.submit(files=[files.pdf("a.pdf"), files.pdf("b.pdf")])
    assert Bukti.objects.count() == 0
    assert _stored_files(_media_root) == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../../etc/laporan.pdf", "laporan.pdf"),
        ("..\\..\\Windows\\notulen.pdf", "notulen.pdf"),
        ("daftar\x07hadir\u202egpj.pdf", "daftarhadirgpj.pdf"),
    ],
)
def test_names_with_path_parts_or_control_characters_are_cleaned(world, _media_root, raw, clean):
    response = _post(world, berkas=[files.upload(raw, files.pdf_bytes())])
    assert response.status_code == 302
    berkas = BerkasBukti.objects.get()
    assert berkas.nama_asli == clean
    stored = _stored_files(_media_root)
    assert len(stored) == 1
    assert stored[0].resolve().is_relative_to((_media_root / "bukti").resolve())


@pytest.mark.parametrize("link", ["ftp://contoh.go.id/bukti.pdf", "javascript:alert(1)"])
def test_the_service_itself_refuses_a_link_that_is_not_http(world, _media_root, link):
    """The database's constraint is not checked before saving (it costs queries): the
    service refuses such a link first, with a message, writing nothing."""
    from django.core.exceptions import ValidationError

    from evidence.services import bukti_submit

    with pytest.raises(ValidationError, match="diawali http:// atau https://"):
        bukti_submit(
            slot=world.slot,
            files=[files.pdf()],
            tautan=link,
            catatan="",
            oleh=world.users["anggota"],
        )
    assert not Bukti.objects.exists()
    assert not [p for p in Path(_media_root).rglob("*") if p.is_file()]
