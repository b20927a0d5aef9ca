"""Serving an evidence file once access has been decided: the one place that builds a
file download's response and its safe headers (the step page's download and the
read-only evidence pages for PortalRB's evaluators both use it).

Local store: the app streams the file (or nginx does, with ``ZI_X_ACCEL_PREFIX``).
Object storage (``ZI_EVIDENCE_STORAGE=s3``): a 302 to a signed URL that lives 60 seconds
and makes the object store answer with the same attachment name, content type and
``Cache-Control`` (``ZI_EVIDENCE_S3_DOWNLOAD=redirect``, the default), or the app
streams the object through itself (``stream``) when browsers cannot reach the store."""

from __future__ import annotations

import logging
from typing import cast

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.http import content_disposition_header

from evidence.files import CONTENT_TYPES
from evidence.models import BerkasBukti
from evidence.storage import evidence_storage

logger = logging.getLogger(__name__)


class _Streamed(FileResponse):
    block_size = 64 * 1024  # object storage: fewer, larger reads than Django's 4 KiB


def berkas_response(berkas: BerkasBukti) -> HttpResponseBase:
    """The file as an attachment, never rendered by the browser."""
    content_type = CONTENT_TYPES.get(berkas.jenis, "application/octet-stream")
    storage = evidence_storage()
    response: HttpResponseBase
    if storage.remote and settings.ZI_EVIDENCE_S3_DOWNLOAD == "redirect":
        url = storage.download_url(
            berkas.lokasi, filename=berkas.nama_asli, content_type=content_type
        )
        response = HttpResponseRedirect(url)
        # The signed URL is for this user, now: not cached, not passed on as a referrer.
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if not storage.remote and settings.EVIDENCE_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        # nginx serves the bytes from an internal location after this access check.
        prefix = settings.EVIDENCE_X_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{berkas.lokasi}"
        response["Content-Disposition"] = cast(  # always a header for an attachment
            str, content_disposition_header(as_attachment=True, filename=berkas.nama_asli)
        )
    else:
        try:
            stream = storage.open_stream(berkas.lokasi)
        except FileNotFoundError:
            logger.error("Berkas bukti %s hilang dari penyimpanan: %s", berkas.pk, berkas.lokasi)
            raise Http404("Berkas tidak tersedia di penyimpanan.") from None
        response_class = _Streamed if storage.remote else FileResponse
        response = response_class(
            stream.file, as_attachment=True, filename=berkas.nama_asli, content_type=content_type
        )
        response["Content-Length"] = str(stream.size)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, the file gets no scripts, no origin, no requests.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
