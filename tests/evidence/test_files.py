"""Recognising files by content and cleaning their names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evidence.enums import JenisBerkas
from evidence.files import check_upload, clean_filename, detect_kind
from tests import files


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("laporan.pdf", "laporan.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\tim\\Foto Apel.JPG", "Foto Apel.jpg"),
        ("undangan\u202efdp.exe", "undanganfdp.exe"),  # right-to-left override removed
        ("daf\x00tar\x1bhadir.pdf", "daftarhadir.pdf"),
        ("  .hidden.pdf", "hidden.pdf"),
        ("<script>.pdf", "_script_.pdf"),
        ("", "berkas"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Rapat ZI (Januari) [final].docx", "Rapat ZI (Januari) [final].docx"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (files.pdf(), JenisBerkas.PDF),
        (files.png(), JenisBerkas.PNG),
        (files.jpeg(), JenisBerkas.JPEG),
        (files.upload("a.docx", files.docx_bytes()), JenisBerkas.DOCX),
        (files.upload("a.odt", files.odt_bytes()), JenisBerkas.ODT),
    ],
)
def test_detect_kind_by_content(upload, kind):
    assert detect_kind(upload) == kind
    assert check_upload(upload).jenis == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("kosong.pdf", b"", "kosong"),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "bukan PDF"),
        ("halaman.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bukan PDF"),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "tidak diterima"),
        ("skrip.jpg", b"#!/bin/sh\nrm -rf /\n", "bukan gambar JPEG"),
        ("foto.png", files.image_bytes("JPEG"), "bukan gambar PNG"),
        ("arsip.docx", b"PK\x03\x04 not really a zip", "bukan dokumen Word"),
        ("lembar.xlsx", files.docx_bytes(), "bukan lembar kerja Excel"),
        ("tanpa-ekstensi", files.pdf_bytes(), "tidak diterima"),
        ("program.exe", b"MZ" + b"\x00" * 100, "tidak diterima"),
    ],
)
def test_check_upload_refuses_bad_files(name, data, message):
    with pytest.raises(ValidationError) as exc:
        check_upload(files.upload(name, data))
    assert message in exc.value.messages[0]


def test_check_upload_refuses_files_over_the_limit(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = files.upload("besar.pdf", files.pdf_bytes() + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        check_upload(big)
    assert exc.value.messages == [
        "Berkas “besar.pdf” berukuran 1,0 MB, melebihi batas 1 MB per berkas."
    ]


def test_pdf_header_after_a_few_junk_bytes_is_accepted():
    data = b"\xef\xbb\xbf\r\n" + files.pdf_bytes()
    assert check_upload(files.upload("scan.pdf", data)).jenis == JenisBerkas.PDF


@pytest.mark.parametrize(
    "data",
    [
        b"<html>%PDF-1.4</html>",
        b"MZ\x90\x00%PDF-1.4",
        b"#!/bin/sh\n%PDF-1.4",
        b"\n" * 2000 + b"%PDF-1.4",
    ],
)
def test_pdf_marker_inside_another_kind_of_file_is_refused(data):
    with pytest.raises(ValidationError):
        check_upload(files.upload("palsu.pdf", data))
