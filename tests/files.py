"""Small real files made in the tests: each opens in the program it claims to be for."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(text: str = "Bukti uji") -> bytes:
    """A minimal valid one-page PDF with ``text`` on it."""
    from zi_tracker.devtools.demo_evidence import minimal_pdf

    return minimal_pdf([text])


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time: the same bytes on every run (pytest-xdist compares
    the test ids its workers collect, and these bytes are in some)."""
    return zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr(_entry("word/document.xml"), "<w:document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(_entry("content.xml"), "<office:document-content/>")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf(name: str = "bukti.pdf", text: str = "Bukti uji", size: int = 0):
    """A valid PDF; with ``size``, padded to that many bytes."""
    from zi_tracker.devtools.demo_evidence import padded_pdf

    return upload(name, padded_pdf([text], size), "application/pdf")


def png(name: str = "foto.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def jpeg(name: str = "foto.jpg"):
    return upload(name, image_bytes("JPEG"), "image/jpeg")
