"""Serving an evidence file once access has been decided: the one place that builds a
file download's response and its safe headers (the step page's download and the
read-only evidence pages for PortalRB's evaluators both use it)."""

from __future__ import annotations

import logging
from typing import cast

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

from evidence.files import CONTENT_TYPES, absolute_path
from evidence.models import BerkasBukti

logger = logging.getLogger(__name__)


def berkas_response(berkas: BerkasBukti) -> HttpResponseBase:
    """The file as an attachment, never rendered by the browser."""
    content_type = CONTENT_TYPES.get(berkas.jenis, "application/octet-stream")
    if settings.EVIDENCE_X_ACCEL_PREFIX:
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        # nginx serves the bytes from an internal location after this access check.
        prefix = settings.EVIDENCE_X_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{berkas.lokasi}"
        response["Content-Disposition"] = cast(  # always a header for an attachment
            str, content_disposition_header(as_attachment=True, filename=berkas.nama_asli)
        )
    else:
        try:
            handle = open(absolute_path(berkas.lokasi), "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            logger.error("Berkas bukti %s hilang dari penyimpanan: %s", berkas.pk, berkas.lokasi)
            raise Http404("Berkas tidak tersedia di penyimpanan.") from None
        response = FileResponse(
            handle, as_attachment=True, filename=berkas.nama_asli, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, the file gets no scripts, no origin, no requests.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
