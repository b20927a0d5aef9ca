"""Checking and storing uploaded evidence files.

A file is accepted only when its *content* is one of the allowed kinds (PDF, JPEG, PNG,
Office Open XML or ODF documents), its name's extension agrees with that content, and
it carries no active content (macros, scripts, embedded programs, remote templates,
decompression bombs: see ``evidence.active_content``, which parses each kind).
Files are copied in chunks (never whole in memory) to a random name under MEDIA_ROOT,
hashing with SHA-256 on the way, and moved into place atomically.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
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

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024

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


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "bukti"


def _private_dirs(directory: Path) -> None:
    """Create ``directory`` and the evidence folders above it (up to MEDIA_ROOT) with
    mode 0750 whatever the umask: ``mkdir(mode=…, parents=True)`` gives the parents the
    default mode, so MEDIA_ROOT/bukti was created 0755."""
    if directory.is_dir():
        return
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(mode=0o750, parents=True, exist_ok=True)
    current = root
    for part in directory.relative_to(root).parts:
        current = current / part
        try:
            current.mkdir(mode=0o750)
        except FileExistsError:
            continue
        os.chmod(current, 0o750)  # the umask may have taken bits away (or left some)


def store(checked: CheckedFile) -> tuple[str, int, str]:
    """Copy the upload to a new random file; returns (relative path, size, sha256).
    The file appears under its final name only once it is complete."""
    relative = f"bukti/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{checked.jenis.value}"
    target = Path(settings.MEDIA_ROOT) / relative
    _private_dirs(target.parent)
    partial = target.with_name(f".{target.name}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        # Readable by the app's user (and group) only: evidence is not for other accounts.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), "wb") as out:
            checked.upload.seek(0)
            for chunk in checked.upload.chunks(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            logger.error("Evidence store full while writing %s: %s", relative, exc)
            raise ValidationError(
                "Ruang penyimpanan server penuh, sehingga bukti belum tersimpan. Tidak ada "
                "yang berubah; beri tahu admin aplikasi, lalu coba lagi nanti."
            ) from None
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return relative, size, digest.hexdigest()


def remove_stored(relative_paths: list[str]) -> None:
    for relative in relative_paths:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)


def absolute_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("lokasi berkas di luar MEDIA_ROOT")
    return path
