"""Checking and storing uploaded evidence files.

A file is accepted only when its *content* is one of the allowed kinds (PDF, JPEG, PNG,
Office Open XML or ODF documents), its name's extension agrees with that content, and
it carries no active content (macros, scripts, embedded programs, remote templates,
decompression bombs: see ``evidence.active_content``, which parses each kind).
Files are copied in chunks (never whole in memory) to a random name in the evidence
store (evidence.storage: MEDIA_ROOT or an S3 bucket), hashing with SHA-256 on the way;
a file appears under its name only once it is complete.
"""

from __future__ import annotations

import errno
import logging
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from evidence.active_content import (
    Ditolak,
    check_archive,
    check_image,
    check_odf,
    check_ooxml,
    check_pdf,
)
from evidence.enums import JenisBerkas
from evidence.storage import CHUNK, PREFIX, HashingReader, PenyimpananGagal, evidence_storage

logger = logging.getLogger(__name__)

EXTENSIONS: dict[str, JenisBerkas] = {
    "pdf": JenisBerkas.PDF,
    "jpg": JenisBerkas.JPEG,
    "jpeg": JenisBerkas.JPEG,
    "png": JenisBerkas.PNG,
    "docx": JenisBerkas.DOCX,
    "xlsx": JenisBerkas.XLSX,
    "pptx": JenisBerkas.PPTX,
    "odt": JenisBerkas.ODT,
    "ods": JenisBerkas.ODS,
    "odp": JenisBerkas.ODP,
}

CONTENT_TYPES: dict[str, str] = {
    JenisBerkas.PDF: "application/pdf",
    JenisBerkas.JPEG: "image/jpeg",
    JenisBerkas.PNG: "image/png",
    JenisBerkas.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    JenisBerkas.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JenisBerkas.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    JenisBerkas.ODT: "application/vnd.oasis.opendocument.text",
    JenisBerkas.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    JenisBerkas.ODP: "application/vnd.oasis.opendocument.presentation",
}

_OOXML_MAIN_PART = {
    "word/document.xml": JenisBerkas.DOCX,
    "xl/workbook.xml": JenisBerkas.XLSX,
    "ppt/presentation.xml": JenisBerkas.PPTX,
}
_ODF_MIMETYPE = {
    b"application/vnd.oasis.opendocument.text": JenisBerkas.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": JenisBerkas.ODS,
    b"application/vnd.oasis.opendocument.presentation": JenisBerkas.ODP,
}
ALLOWED_LABEL = "PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT, ODS atau ODP"


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    nama: str
    jenis: JenisBerkas


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def clean_filename(raw: str) -> str:
    """A safe display name: no path parts, no control or bidi-override characters,
    nothing but letters, digits and a few punctuation marks, at most 120 characters."""
    name = unicodedata.normalize("NFKC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    # Drop control characters (Cc) and format characters (Cf: bidi overrides such as
    # U+202E, zero-width characters) that can disguise a name's real extension.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"})
    name = re.sub(r"[^\w\s.\-()\[\]]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: 120 - len(ext) - 1].strip(" .") or "berkas"
    return f"{stem}.{ext.lower()}" if ext else stem


def detect_kind(upload: UploadedFile) -> JenisBerkas | None:
    """The file's kind from its first bytes, confirmed by parsing it (a PDF with pypdf,
    images with Pillow, zip-based documents by their parts). Raises ``Ditolak`` when it
    is of a kind but carries active content (or is a bomb); None: no allowed kind."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # Some scanners put a byte-order mark, blank lines or NUL bytes before the PDF header
    # (readers accept it within the first 1024 bytes); nothing else may come first.
    marker = head.find(b"%PDF-")
    if marker == 0 or (marker > 0 and not head[:marker].strip(b"\xef\xbb\xbf\x00 \t\r\n")):
        assert upload.size is not None  # set for every upload
        check_pdf(upload, upload.size)
        return JenisBerkas.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JenisBerkas.JPEG if check_image(upload, "JPEG") else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return JenisBerkas.PNG if check_image(upload, "PNG") else None
    if head.startswith(b"PK\x03\x04"):
        try:
            return _zip_kind(upload)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError):
            return None
        except (KeyError, ValueError, NotImplementedError):
            return None
        finally:
            upload.seek(0)
    return None


def _zip_kind(upload: UploadedFile) -> JenisBerkas | None:
    with zipfile.ZipFile(upload) as archive:
        # Limits from the central directory before any part is read (Ditolak).
        infos = check_archive(archive)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            kind = next((k for part, k in _OOXML_MAIN_PART.items() if part in names), None)
            if kind is None:
                return None
            # Limits from the central directory first, then the parts (Ditolak).
            check_ooxml(archive)
        else:
            # ODF: "mimetype" is the first entry, stored uncompressed (ODF 1.2, part 3, 3.3).
            first = infos[0] if infos else None
            if (
                first is None
                or first.filename != "mimetype"
                or first.compress_type != zipfile.ZIP_STORED
                or first.file_size >= 100
            ):
                return None
            odf = _ODF_MIMETYPE.get(archive.read(first).strip())
            if odf is None:
                return None
            check_odf(archive)
            kind = odf
        # Every part must decompress with a correct checksum (its size bounded above).
        if archive.testzip() is not None:
            return None
        return kind


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Validate one uploaded file; raises ValidationError with a message that names it."""
    assert upload.name is not None and upload.size is not None  # set for every upload
    nama = clean_filename(upload.name)
    if upload.size == 0:
        raise ValidationError(f"Berkas “{nama}” kosong (0 byte).")
    limit = max_upload_bytes()
    if upload.size > limit:
        ukuran = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Berkas “{nama}” berukuran {ukuran} MB, melebihi batas "
            f"{settings.EVIDENCE_MAX_UPLOAD_MB} MB per berkas."
        )
    ext = nama.rpartition(".")[2].lower() if "." in nama else ""
    claimed = EXTENSIONS.get(ext)
    if claimed is None:
        raise ValidationError(f"Jenis berkas “{nama}” tidak diterima. Gunakan {ALLOWED_LABEL}.")
    try:
        actual = detect_kind(upload)
    except Ditolak as refused:
        raise ValidationError(f"Berkas “{nama}” ditolak: {refused}.") from None
    if actual is None or actual != claimed:
        raise ValidationError(
            f"Isi berkas “{nama}” bukan {claimed.label} seperti yang ditunjukkan namanya. "
            f"Unggah berkas asli berformat {ALLOWED_LABEL}."
        )
    return CheckedFile(upload=upload, nama=nama, jenis=actual)


def store(checked: CheckedFile) -> tuple[str, int, str]:
    """Copy the upload to a new random name in the evidence store, in 1 MiB pieces and
    hashing them on the way; returns (name, size, sha256). The file appears under its
    name only once it is complete (evidence.storage)."""
    name = f"{PREFIX}{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{checked.jenis.value}"
    storage = evidence_storage()
    checked.upload.seek(0)
    reader = HashingReader(checked.upload.chunks(CHUNK), size_hint=checked.upload.size)
    try:
        stored = storage.save(name, File(cast(IO[bytes], reader), name))
    except PenyimpananGagal as exc:
        logger.error("Evidence store failed while writing %s: %s", name, exc)
        raise ValidationError(
            "Penyimpanan bukti sedang tidak dapat dihubungi, sehingga bukti belum tersimpan. "
            "Tidak ada yang berubah; coba lagi beberapa saat lagi atau beri tahu admin aplikasi."
        ) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            logger.error("Evidence store full while writing %s: %s", name, exc)
            raise ValidationError(
                "Ruang penyimpanan server penuh, sehingga bukti belum tersimpan. Tidak ada "
                "yang berubah; beri tahu admin aplikasi, lalu coba lagi nanti."
            ) from None
        raise
    if stored != name:  # never: names are random and the store keeps them as given
        storage.delete(stored)
        raise RuntimeError(f"evidence store renamed {name} to {stored}")
    return name, reader.size, reader.sha256


def remove_stored(names: list[str]) -> None:
    """Delete files written for an upload that failed afterwards. Best effort: this runs
    while another error is being handled, and a file it cannot delete (the object store
    gone meanwhile) is an orphan that verify_storage lists and removes."""
    storage = evidence_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Evidence file %s not removed (an orphan for verify_storage)", name)
