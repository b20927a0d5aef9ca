"""Reviewers look at photos and PDF pages without downloading them: previews are PNG
images drawn on the server, behind the same access check as the download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from evidence.models import BerkasBukti
from tests import files

pytestmark = pytest.mark.django_db


def _two_page_pdf() -> bytes:
    """A real two-page PDF (pages drawn with Pillow, saved as PDF)."""
    out = io.BytesIO()
    pages = [Image.new("RGB", (400, 560), colour) for colour in ("white", "lightblue")]
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def _upload(world, *uploads):
    bukti = world.submit(files=list(uploads))
    return list(BerkasBukti.objects.filter(bukti=bukti).order_by("pk"))


def test_pdf_pages_are_previewed_as_png_with_page_navigation(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    [berkas] = _upload(world, SimpleUploadedFile("notulen.pdf", _two_page_pdf()))
    client = world.client_for("reviewer")
    page = client.get(reverse("berkas-pratinjau", args=[berkas.pk]), {"halaman": 2})
    html = page.content.decode()
    assert 'data-testid="halaman">Halaman 2 dari 2<' in html
    assert "‹ Sebelumnya" in html and "Berikutnya ›" not in html
    image = client.get(reverse("berkas-pratinjau-gambar", args=[berkas.pk]), {"halaman": 2})
    assert image["Content-Type"] == "image/png"
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"
    picture = Image.open(io.BytesIO(image.content))
    assert picture.format == "PNG"
    assert max(picture.size) <= 1200
    # The second page is light blue: the preview shows that page, not the first.
    assert picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2)) != (
        255,
        255,
        255,
    )
    missing = client.get(reverse("berkas-pratinjau-gambar", args=[berkas.pk]), {"halaman": 3})
    assert missing.status_code == 404


def test_images_are_redrawn_not_served_as_they_are(world):
    [berkas] = _upload(world, files.png())
    response = world.client_for("reviewer").get(
        reverse("berkas-pratinjau-gambar", args=[berkas.pk])
    )
    assert response.status_code == 200
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    from django.conf import settings

    assert response.content != (settings.MEDIA_ROOT / berkas.lokasi).read_bytes()


def test_office_files_have_no_preview(world):
    [berkas] = _upload(world, files.upload("laporan.docx", files.docx_bytes()))
    client = world.client_for("reviewer")
    assert client.get(reverse("berkas-pratinjau", args=[berkas.pk])).status_code == 404
    assert client.get(reverse("berkas-pratinjau-gambar", args=[berkas.pk])).status_code == 404


def test_previews_follow_the_download_access(world):
    [berkas] = _upload(world, files.pdf())
    url = reverse("berkas-pratinjau-gambar", args=[berkas.pk])
    assert world.client_for("unit_lain").get(url).status_code == 404
    assert world.client_for("anonim").get(url).status_code == 302
    assert world.client_for("pimpinan").get(url).status_code == 200
