"""Absolute links to ZI Tracker's own evidence, as written into the workbook's
evidence column and the PDF, and read back on import: ``{ZI_SITE_URL}/langkah/<step>/
?bukti=<version>#bulan-<month>`` opens the step page at the month of that version."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from evidence.models import Bukti

_BUKTI = re.compile(r"/langkah/\d+/\?(?:[^#\s]*&)?bukti=(\d+)")


def bukti_url(bukti: Bukti) -> str:
    """``bukti`` with ``slot`` loaded."""
    path = reverse("langkah-detail", args=[bukti.slot.langkah_aksi_id])
    return f"{settings.ZI_SITE_URL}{path}?bukti={bukti.pk}#bulan-{bukti.slot.bulan}"


def pisah_sel_bukti(teks: str) -> tuple[tuple[int, ...], str]:
    """A workbook's evidence cell -> (ZI Tracker evidence ids, the other lines: outside
    links, one per line). Lines may also be separated by ';'."""
    ids: list[int] = []
    other: list[str] = []
    for line in str(teks or "").replace(";", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        found = _BUKTI.search(line)
        if found and line.startswith(settings.ZI_SITE_URL):
            ids.append(int(found.group(1)))
        else:
            other.append(line)
    return tuple(dict.fromkeys(ids)), "\n".join(other)
