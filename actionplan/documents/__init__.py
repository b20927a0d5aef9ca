"""Documents of a plan (JSON now; the PDF Lampiran and the Excel workbook slot in here).

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


EXPORTERS: dict[str, Callable[..., bytes]] = {
    "json": export_json,
}
