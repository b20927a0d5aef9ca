"""Exporters of a plan's documents, by format.

Each exporter takes a plan and returns the document's bytes; ``EXPORTERS`` maps the
``--format`` of ``export_plan`` to it, so a new format is one entry, not a new command.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from actionplan.models import RencanaAksi
from actionplan.selectors import plan_rows


def export_json(rencana: RencanaAksi, **_options: object) -> bytes:
    text = json.dumps(plan_rows(rencana), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def export_pdf(
    rencana: RencanaAksi, *, paper: str = "f4", report: int | None = None, **_options: object
) -> bytes:
    """The whole Keputusan with its Lampiran, or with ``report`` the progress report of
    that month."""
    from actionplan.documents.pdf import lampiran_pdf, laporan_pdf

    if report is not None:
        return laporan_pdf(rencana, bulan=report, paper=paper)
    return lampiran_pdf(rencana, paper=paper, keputusan=True)


def export_xlsx(rencana: RencanaAksi, **_options: object) -> bytes:
    from actionplan.documents.xlsx import workbook_bytes

    return workbook_bytes(rencana)


EXPORTERS: dict[str, Callable[..., bytes]] = {
    "json": export_json,
    "pdf": export_pdf,
    "xlsx": export_xlsx,
}
