"""Files that pretend, archives that break, and the edges of the evidence pages."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evidence.files import check_upload
from evidence.models import Bukti
from tests import files


def _zip(entries: list[tuple[str, bytes]], **kwargs) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", **kwargs) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def _refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError):
        check_upload(files.upload(name, data))


def test_docx_carrying_a_web_page_is_refused():
    _refused(
        "laporan.docx",
        _zip(
            [
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w/>"),
                ("index.html", b"<script>alert(1)</script>"),
            ]
        ),
    )


def test_docx_with_macros_is_refused():
    _refused(
        "laporan.docx",
        _zip(
            [
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w/>"),
                ("word/vbaProject.bin", b"\x00" * 10),
            ]
        ),
    )


def test_odf_whose_mimetype_is_not_the_first_stored_entry_is_refused():
    _refused(
        "notulen.odt",
        _zip([("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")]),
    )
    _refused(
        "notulen.odt",
        _zip(
            [("mimetype", b"application/vnd.oasis.opendocument.text")],
            compression=zipfile.ZIP_DEFLATED,
        ),
    )


def test_broken_archive_is_refused_not_a_server_error(world):
    data = bytearray(files.docx_bytes())
    data[60:90] = b"\xff" * 30  # corrupt the compressed data and headers
    _refused("rusak.docx", bytes(data))
    response = world.client_for("anggota").post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {"bulan": world.today.month, "berkas": [files.upload("rusak.docx", bytes(data))]},
    )
    assert response.status_code == 200
    assert "bukan dokumen Word" in response.content.decode()
    assert Bukti.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"),
        ("foto.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>"),
        ("scan.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
    ],
)
def test_right_header_wrong_body_is_refused(name, data):
    _refused(name, data)


def test_stored_files_are_private_to_the_app(world, _media_root):
    bukti = world.submit()
    path = _media_root / bukti.berkas.get().lokasi
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == stat.S_IMODE(0o040)
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o007 == 0


def test_download_of_a_file_missing_from_storage_is_not_found(world, _media_root):
    bukti = world.submit()
    berkas = bukti.berkas.get()
    (_media_root / berkas.lokasi).unlink()
    response = world.client_for("anggota").get(reverse("berkas-unduh", args=[berkas.pk]))
    assert response.status_code == 404


def test_download_forbids_scripts_even_if_rendered(world):
    bukti = world.submit()
    response = world.client_for("anggota").get(
        reverse("berkas-unduh", args=[bukti.berkas.get().pk])
    )
    b"".join(response.streaming_content)
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("bulan", ["²", "-1", "1e3", "abc", "99999999999"])
def test_odd_month_in_the_upload_link_is_ignored(world, bulan):
    response = world.client_for("anggota").get(
        reverse("bukti-unggah", args=[world.langkah.pk]), {"bulan": bulan}
    )
    assert response.status_code == 200
    # The page reads ``bulan`` to preselect a month; an odd value preselects none.
    assert response.context["form"]["bulan"].value() is None
    valid = world.client_for("anggota").get(
        reverse("bukti-unggah", args=[world.langkah.pk]), {"bulan": "3"}
    )
    assert valid.context["form"]["bulan"].value() == 3


def test_withdraw_with_an_overlong_reason_changes_nothing(world):
    bukti = world.submit()
    response = world.client_for("anggota").post(
        reverse("bukti-tarik", args=[bukti.pk]), {"catatan": "x" * 2001}
    )
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == "diajukan"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Bukti tidak ditarik: Pastikan nilai ini mengandung paling banyak 2000 karakter "
        "(sekarang 2001 karakter)."
    ]


def test_member_of_a_team_of_another_unit_cannot_upload_even_if_linked(world):
    """A step whose team belongs to another unit (bad data) gives that unit's members no
    right to upload here: the team must be of the step's own unit."""
    from actionplan.access import Akses

    langkah = world.langkah
    langkah.tim = world.tim_lain
    langkah.save()
    user = world.users["unit_lain"]
    assert Akses.of(user).can_upload(langkah, world.unit.pk) is False


class _RecordingFile(io.BytesIO):
    """A file object that remembers the largest single read."""

    largest = 0

    def read(self, size=-1):
        data = super().read(size)
        type(self).largest = max(type(self).largest, len(data))
        return data


def test_storing_reads_the_upload_in_chunks_never_whole(world, _media_root):
    """A large upload (on disk as a temporary file during the request) is checked and
    copied piece by piece: no single read holds more than 1 MiB."""
    from django.core.files.uploadedfile import UploadedFile

    from evidence.files import CHUNK

    pdf = files.pdf_bytes()
    data = pdf[:9] + b"%" + b"0" * (6 * 1024 * 1024) + b"\n" + pdf[9:]
    _RecordingFile.largest = 0
    upload = UploadedFile(_RecordingFile(data), name="besar.pdf", size=len(data))
    bukti = world.submit(files=[upload])
    assert bukti.berkas.get().ukuran == len(data)
    assert 0 < _RecordingFile.largest <= CHUNK
