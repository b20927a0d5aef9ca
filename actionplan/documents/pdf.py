"""The official documents as PDF (WeasyPrint, from Django templates).

- the Lampiran: landscape F4 (215 x 330 mm) or A4, header repeated on every page, no row
  split across pages, page numbers, signature and certified-copy blocks;
- the whole Keputusan: the decree pages (portrait) followed by the Lampiran;
- the progress report for a month: the same table with each month's state.

Fonts come from ``static/fonts`` (Liberation Sans, Arial-metric; DejaVu Sans for ✓), so
every server renders the same document.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from actionplan.enums import BULAN_CHOICES, nama_bulan
from actionplan.models import RencanaAksi
from actionplan.progress.dashboard import plan_grid, plan_progress, slot_list
from actionplan.progress.models import CatatanMonev
from actionplan.progress.moment import Moment
from actionplan.progress.states import State
from actionplan.selectors import lampiran_rows

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
# Bump when the document templates change, so cached PDFs are not served stale.
TEMPLATE_VERSION = "1"
# A superseded revision's PDFs are never asked for again; this bounds how long they stay.
PDF_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Paper:
    name: str
    short: float  # mm
    long: float  # mm


PAPERS = {"f4": Paper("F4", 215, 330), "a4": Paper("A4", 210, 297)}


def tanggal_indonesia(value: datetime.date) -> str:
    return f"{value.day} {nama_bulan(value.month)} {value.year}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


DIKTUM = [
    "KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH", "KEDELAPAN",
    "KESEMBILAN", "KESEPULUH",
]  # fmt: skip


def diktum_label(n: int) -> str:
    return DIKTUM[n - 1] if n <= len(DIKTUM) else f"KE-{n}"


def waktu_cetak(at: datetime.datetime | None = None) -> str:
    """When a document was printed, in Indonesian: "15 Juni 2026 pukul 10.00 WIB"."""
    local = timezone.localtime(at or timezone.now())
    return f"{tanggal_indonesia(local.date())} pukul {local:%H.%M} {local.tzname()}"


# Whose move an overdue month is, by its state: the team's (nothing sent, or returned)
# or the reviewer's (sent and waiting).
GILIRAN = {State.OVERDUE: "tim", State.RETURNED: "tim", State.SUBMITTED: "reviewer (TPI)"}


def overdue_steps(rencana: RencanaAksi, moment: Moment) -> list[dict]:
    """The steps with overdue months (due, month ended, not approved), in document
    order, each with its months' state and whose move it is. One query."""
    labels = dict(State.choices)
    groups: dict[int, dict] = {}
    for slot in slot_list(rencana, moment, metric="overdue"):
        state = slot.state  # type: ignore[attr-defined]  # annotated by with_state
        group = groups.setdefault(
            slot.langkah_aksi_id, {"langkah": slot.langkah_aksi, "bulan": [], "giliran": set()}
        )
        giliran = GILIRAN.get(state, "tim")
        group["bulan"].append(
            {"bulan": slot.bulan, "state": state, "label": labels[state], "giliran": giliran}
        )
        group["giliran"].add(giliran)
    for group in groups.values():
        group["giliran"] = sorted(group["giliran"], key=lambda g: g != "tim")
    return list(groups.values())


def monev_notes(rencana: RencanaAksi, bulan: int, names: dict[int, str]) -> list[dict]:
    """The month's kendala and tindak lanjut per area, only areas with something
    written, with the area's name from ``names`` (number -> name). One query."""
    return [
        {
            "nomor": note.area,
            "nama": names.get(note.area, ""),
            "kendala": note.kendala,
            "tindak_lanjut": note.tindak_lanjut,
        }
        for note in CatatanMonev.objects.filter(rencana=rencana, bulan=bulan).order_by("area")
        if note.kendala or note.tindak_lanjut
    ]


def _document_context(rencana: RencanaAksi, paper: Paper) -> dict:
    rows = lampiran_rows(rencana)
    return {
        "rencana": rencana,
        "paper": paper,
        "fonts": FONTS_DIR.as_uri(),
        "rows": rows,
        "months": [n for n, _ in BULAN_CHOICES],
        # The decree's column-number row: 1 NO … 5 BUKTI FISIK, 6-17 the months, 18 TIM.
        "colnums": list(range(1, 19)),
        "tanggal": tanggal_indonesia(rencana.tanggal_penetapan),
        "menimbang": _lines(rencana.menimbang),
        "mengingat": _lines(rencana.mengingat),
        "diktum": [(diktum_label(n), t) for n, t in enumerate(_lines(rencana.diktum), 1)],
        "salinan_jabatan_keputusan": rencana.salinan_jabatan_keputusan or rencana.salinan_jabatan,
    }


def render_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def lampiran_html(rencana: RencanaAksi, *, paper: str = "f4", keputusan: bool = False) -> str:
    context = _document_context(rencana, PAPERS[paper])
    context["keputusan"] = keputusan
    return render_to_string("documents/rencana_aksi.html", context)


def laporan_html(rencana: RencanaAksi, *, bulan: int, paper: str = "f4") -> str:
    moment = Moment.of(rencana, bulan)
    progress = plan_progress(rencana, moment)
    context = _document_context(rencana, PAPERS[paper])
    rows = plan_grid(rencana, moment)
    names = {row["area"].nomor: row["area"].nama for row in rows if row["area"]}
    context.update(
        {
            "rows": rows,
            "moment": moment,
            "bulan_nama": nama_bulan(bulan),
            "progress": progress,
            "summaries": [
                ("Area perubahan", progress.per_area, "area"),
                ("Tim penanggung jawab", progress.per_team, "tim"),
            ],
            "states": State.choices,
            "terlambat": overdue_steps(rencana, moment),
            "catatan": monev_notes(rencana, bulan, names),
            "dicetak": waktu_cetak(),
            "tanggal_cetak": tanggal_indonesia(timezone.localdate()),
        }
    )
    return render_to_string("documents/laporan.html", context)


def lampiran_pdf(rencana: RencanaAksi, *, paper: str = "f4", keputusan: bool = False) -> bytes:
    """The Lampiran (or the whole Keputusan) as PDF. Cached under the plan's
    ``revisi_rencana``, which every change of what the document prints raises and an
    evidence upload does not (actionplan.revisions)."""
    kind = "keputusan" if keputusan else "lampiran"
    key = f"pdf:{rencana.pk}:{rencana.revisi_rencana}:{kind}:{paper}:{TEMPLATE_VERSION}"
    return cast(  # get_or_set returns what the callable made
        bytes,
        cache.get_or_set(
            key,
            lambda: render_pdf(lampiran_html(rencana, paper=paper, keputusan=keputusan)),
            PDF_CACHE_SECONDS,
        ),
    )


def laporan_pdf(rencana: RencanaAksi, *, bulan: int, paper: str = "f4") -> bytes:
    """The progress report: evidence changes all the time, so it is always rendered."""
    return render_pdf(laporan_html(rencana, bulan=bulan, paper=paper))
