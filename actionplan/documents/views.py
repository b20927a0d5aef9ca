"""Downloads of the official documents: the Keputusan with its Lampiran, the Lampiran
alone, the monthly progress report and the Excel workbook. Admin and pimpinan only."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from actionplan.access import rencana_export_for_user
from actionplan.documents.pdf import lampiran_pdf, laporan_pdf
from actionplan.documents.xlsx import workbook_bytes
from actionplan.models import RencanaAksi
from actionplan.progress.moment import chosen_month


def _paper(request: HttpRequest) -> str:
    return "a4" if request.GET.get("kertas") == "a4" else "f4"


def pdf_filename(kind: str, rencana: RencanaAksi, paper: str, *, bulan: int | None = None) -> str:
    """A PDF's file name, with its paper so an F4 and an A4 download of the same document
    do not overwrite each other: ``lampiran-<slug>-<tahun>-f4.pdf``,
    ``laporan-<slug>-<tahun>-<MM>-a4.pdf``."""
    parts = [kind, rencana.satuan_kerja.slug, str(rencana.tahun)]
    if bulan is not None:
        parts.append(f"{bulan:02d}")
    return "-".join([*parts, paper]) + ".pdf"


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = cast(  # always a header for an attachment
        str, content_disposition_header(as_attachment=True, filename=filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def unduh_dokumen(request: HttpRequest, pk: int, dokumen: str) -> HttpResponse:
    """The official documents: keputusan (with its Lampiran), lampiran alone, the progress
    report of a month, the Excel workbook. Admin and pimpinan only."""

    rencana = rencana_export_for_user(request.user, pk)
    slug, tahun, paper = rencana.satuan_kerja.slug, rencana.tahun, _paper(request)
    if dokumen == "keputusan":
        data = lampiran_pdf(rencana, paper=paper, keputusan=True)
        return _attachment(data, pdf_filename("keputusan", rencana, paper), "application/pdf")
    if dokumen == "lampiran":
        data = lampiran_pdf(rencana, paper=paper)
        return _attachment(data, pdf_filename("lampiran", rencana, paper), "application/pdf")
    if dokumen == "laporan":
        bulan = chosen_month(request.GET.get("bulan", ""), rencana)
        data = laporan_pdf(rencana, bulan=bulan, paper=paper)
        name = pdf_filename("laporan", rencana, paper, bulan=bulan)
        return _attachment(data, name, "application/pdf")
    if dokumen == "excel":
        return _attachment(
            workbook_bytes(rencana),
            f"rencana-aksi-{slug}-{tahun}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Dokumen tidak dikenal.")
