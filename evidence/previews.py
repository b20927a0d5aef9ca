"""Previews of evidence files as PNG images rendered on the server, so a reviewer can look
at a photo or at the pages of a PDF without downloading it, and the browser never gets
the original bytes inline (a crafted file reaches nobody's PDF reader this way).

Images are decoded with Pillow (its decompression-bomb limit applies) and re-encoded;
PDF pages are drawn by PDFium (pypdfium2). A preview is cached under the file's SHA-256
and the page, and a PDF's page count under its SHA-256: the same bytes always give the
same image, and on object storage a file is fetched (to a temporary file) only to draw
a page not drawn before."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from PIL import Image

from evidence.enums import JenisBerkas
from evidence.models import BerkasBukti
from evidence.storage import evidence_storage

PREVIEWABLE = (JenisBerkas.PDF, JenisBerkas.JPEG, JenisBerkas.PNG)
MAX_SIDE = 1200  # pixels of the preview's longer side
CACHE_SECONDS = 7 * 24 * 3600


class TidakBisaDipratinjau(Exception):
    """The file has no preview (kind, page out of range, or unreadable)."""


@dataclass(frozen=True)
class Preview:
    png: bytes
    pages: int


def page_count(berkas: BerkasBukti) -> int:
    if berkas.jenis not in PREVIEWABLE:
        raise TidakBisaDipratinjau(
            "Berkas jenis ini tidak dapat dipratinjau; unduh untuk membukanya."
        )
    if berkas.jenis != JenisBerkas.PDF:
        return 1
    key = f"pratinjau-halaman:{berkas.sha256}"
    pages = cache.get(key)
    if pages is None:
        pages = _pdf_pages(berkas)
        cache.set(key, pages, CACHE_SECONDS)
    return int(pages)


def _pdf_pages(berkas: BerkasBukti) -> int:
    import pypdfium2

    try:
        with evidence_storage().local_copy(berkas.lokasi) as path:
            document = pypdfium2.PdfDocument(str(path))
            try:
                return len(document)
            finally:
                document.close()
    except (pypdfium2.PdfiumError, OSError):
        raise TidakBisaDipratinjau("PDF ini tidak dapat dibaca untuk pratinjau.") from None


def preview(berkas: BerkasBukti, *, halaman: int = 1) -> Preview:
    """Page ``halaman`` (1-based) of a PDF, or the image, as PNG at most MAX_SIDE px."""
    pages = page_count(berkas)
    if not 1 <= halaman <= pages:
        raise TidakBisaDipratinjau(f"Halaman {halaman} tidak ada (berkas ini {pages} halaman).")
    key = f"pratinjau:{berkas.sha256}:{halaman}"
    png = cache.get(key)
    if png is None:
        png = _render(berkas, halaman)
        cache.set(key, png, CACHE_SECONDS)
    return Preview(png=png, pages=pages)


def _render(berkas: BerkasBukti, halaman: int) -> bytes:
    try:
        with evidence_storage().local_copy(berkas.lokasi) as path:
            image = _draw(path, berkas.jenis, halaman)
    except FileNotFoundError:
        raise TidakBisaDipratinjau("Berkas ini tidak tersedia di penyimpanan.") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw(path: Path, jenis: str, halaman: int) -> Image.Image:
    if jenis == JenisBerkas.PDF:
        import pypdfium2

        document = pypdfium2.PdfDocument(str(path))
        try:
            page = document[halaman - 1]
            width, height = page.get_size()
            scale = min(2.0, MAX_SIDE / max(width, height, 1))
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            document.close()
        return image
    try:
        with Image.open(path) as opened:
            opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a smaller size
            return opened.convert("RGB")
    except (OSError, Image.DecompressionBombError):
        raise TidakBisaDipratinjau("Gambar ini tidak dapat dibaca untuk pratinjau.") from None
