"""Plan pages for every role: the plans a user may read, a plan shaped like its
Lampiran, a step with its monthly evidence, and the audit trail."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from actionplan.access import (
    Akses,
    default_plan,
    langkah_for_user,
    rencana_dashboard_for_user,
    rencana_export_for_user,
    rencana_for_user,
    unit_of_langkah,
)
from actionplan.enums import BULAN_CHOICES
from actionplan.models import CatatanAudit, RencanaAksi
from actionplan.progress import (
    METRICS,
    Dasbor,
    Moment,
    Rekap,
    State,
    default_month,
    my_tasks,
    slot_list,
)
from actionplan.selectors import lampiran_rows
from evidence.forms import ReviewForm, TarikForm
from evidence.selectors import slots_with_evidence


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One click after login: leadership lands on their unit's dashboard, team members
    on their tasks, anyone else (or anyone with several units) on the list of plans."""
    akses = Akses.of(request.user)
    plan = default_plan(akses.readable_units(), timezone.localdate().year)
    if plan is not None and akses.can_view_dashboard(plan.satuan_kerja_id):
        return redirect("dasbor", pk=plan.pk)
    if plan is not None and akses.is_member:
        return redirect("tugas-saya")
    return rencana_list(request)


@login_required
def rencana_list(request: HttpRequest) -> HttpResponse:
    units = Akses.of(request.user).readable_units()
    plans = RencanaAksi.objects.select_related("satuan_kerja").order_by(
        "satuan_kerja__nama", "-tahun"
    )
    if units is not None:
        plans = plans.filter(satuan_kerja_id__in=units)
    has_unit = units is None or bool(units)
    return render(request, "actionplan/home.html", {"plans": list(plans), "has_unit": has_unit})


def _chosen_month(request: HttpRequest, rencana: RencanaAksi) -> int:
    raw = request.GET.get("bulan", "")
    if re.fullmatch(r"[0-9]{1,2}", raw) and 1 <= int(raw) <= 12:
        return int(raw)
    return default_month(rencana)


@login_required
def dasbor(request: HttpRequest, pk: int) -> HttpResponse:
    rencana = rencana_dashboard_for_user(request.user, pk)
    moment = Moment.of(rencana, _chosen_month(request, rencana))
    return render(
        request,
        "actionplan/dasbor.html",
        {
            "rencana": rencana,
            "moment": moment,
            # Computed only when the page's cached fragment is missing (see the template).
            "dasbor": Dasbor(rencana, moment),
            "states": [(key, State.LABELS[key]) for key in State.ORDER],
            "months": BULAN_CHOICES,
            "boleh_unduh": Akses.of(request.user).can_export(rencana.satuan_kerja_id),
        },
    )


@login_required
def daftar_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """The slots behind a number on the dashboard."""
    rencana = rencana_dashboard_for_user(request.user, pk)
    moment = Moment.of(rencana, _chosen_month(request, rencana))
    metric = request.GET.get("ukuran", "due")
    if metric not in METRICS:
        metric = "due"
    area = request.GET.get("area", "")
    tim = request.GET.get("tim", "")
    slots = slot_list(
        rencana,
        moment,
        metric=metric,
        area=int(area) if re.fullmatch(r"[0-9]{1,2}", area) else None,
        tim=int(tim) if re.fullmatch(r"[0-9]{1,12}", tim) else None,
    )
    return render(
        request,
        "actionplan/daftar_slot.html",
        {
            "rencana": rencana,
            "moment": moment,
            "metric": METRICS[metric],
            "slots": list(slots),
            "labels": State.LABELS,
        },
    )


@login_required
def tugas_saya(request: HttpRequest) -> HttpResponse:
    """A team member's home: what to deliver this month, what is late, what came back."""
    akses = Akses.of(request.user)
    year = timezone.localdate().year
    sections = []
    for unit_id in sorted(set(akses.teams.values())):  # usually one unit
        plan = default_plan({unit_id}, year)
        if plan is not None:
            moment = Moment.of(plan, default_month(plan))
            teams = {tim for tim, unit in akses.teams.items() if unit == unit_id}
            sections.append(
                {"rencana": plan, "moment": moment, **my_tasks(plan, moment, team_ids=teams)}
            )
    return render(
        request,
        "actionplan/tugas_saya.html",
        {"sections": sections, "has_team": akses.is_member},
    )


@login_required
def rencana_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rencana = rencana_for_user(request.user, pk)
    return render(
        request,
        "actionplan/rencana_detail.html",
        {
            "rencana": rencana,
            "rows": lampiran_rows(rencana),
            "boleh_unduh": Akses.of(request.user).can_export(rencana.satuan_kerja_id),
        },
    )


@login_required
def langkah_detail(request: HttpRequest, pk: int) -> HttpResponse:
    langkah = langkah_for_user(request.user, pk)
    akses = Akses.of(request.user)
    unit_id = unit_of_langkah(langkah)
    slots = slots_with_evidence(langkah)
    return render(
        request,
        "actionplan/langkah_detail.html",
        {
            "langkah": langkah,
            "bukti_fisik": list(langkah.bukti_fisik.all()),
            "slots": slots,
            "bulan": [slot.bulan for slot in slots],
            "boleh_unggah": akses.can_upload(langkah, unit_id),
            "boleh_review": akses.can_review(unit_id),
            "review_form": ReviewForm(),
            "tarik_form": TarikForm(),
        },
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    units = Akses.of(request.user).audit_units()
    if units is not None and not units:
        raise PermissionDenied("Catatan audit hanya dapat dibaca admin dan pimpinan.")
    entries = CatatanAudit.objects.for_listing()
    if units is not None:
        entries = entries.filter(satuan_kerja_id__in=units)
    page = Paginator(entries, 50).get_page(request.GET.get("halaman"))
    return render(request, "actionplan/audit.html", {"page": page})


def _paper(request: HttpRequest) -> str:
    return "a4" if request.GET.get("kertas") == "a4" else "f4"


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def unduh_dokumen(request: HttpRequest, pk: int, dokumen: str) -> HttpResponse:
    """The official documents: keputusan (with its Lampiran), lampiran alone, the progress
    report of a month, the Excel workbook. Admin and pimpinan only."""
    from actionplan.documents.pdf import lampiran_pdf, laporan_pdf

    rencana = rencana_export_for_user(request.user, pk)
    slug, tahun, paper = rencana.satuan_kerja.slug, rencana.tahun, _paper(request)
    if dokumen == "keputusan":
        data = lampiran_pdf(rencana, paper=paper, keputusan=True)
        return _attachment(data, f"keputusan-{slug}-{tahun}.pdf", "application/pdf")
    if dokumen == "lampiran":
        data = lampiran_pdf(rencana, paper=paper)
        return _attachment(data, f"lampiran-{slug}-{tahun}.pdf", "application/pdf")
    if dokumen == "laporan":
        bulan = _chosen_month(request, rencana)
        data = laporan_pdf(rencana, bulan=bulan, paper=paper)
        return _attachment(data, f"laporan-{slug}-{tahun}-{bulan:02d}.pdf", "application/pdf")
    if dokumen == "excel":
        from actionplan.documents.xlsx import workbook_bytes

        return _attachment(
            workbook_bytes(rencana),
            f"rencana-aksi-{slug}-{tahun}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Dokumen tidak dikenal.")


@login_required
def rekap(request: HttpRequest) -> HttpResponse:
    """The units under the user's units (a province's kabupaten/kota, the nation's
    provinces and their units) with their completion for a month, worst first on
    request; each links to that unit's dashboard."""
    akses = Akses.of(request.user)
    if not akses.superuser and not akses.watches_any:
        raise PermissionDenied("Rekap unit untuk pimpinan atau reviewer satuan kerja induk.")
    today = timezone.localdate()
    raw = request.GET.get("tahun", "")
    tahun = int(raw) if re.fullmatch(r"20[0-9]{2}", raw) else today.year
    query = request.GET.get("q", "").strip()

    def plans() -> QuerySet[RencanaAksi]:
        listed = RencanaAksi.objects.filter(tahun=tahun)
        if not akses.superuser:
            listed = listed.filter(akses.watched_filter())
        if query:
            listed = listed.filter(satuan_kerja__nama__icontains=query)
        return listed

    probe = RencanaAksi(tahun=tahun)
    bulan = _chosen_month(request, probe)
    moment = Moment.of(probe, bulan)
    urut = "terburuk" if request.GET.get("urut") == "terburuk" else "nama"
    rekap = Rekap(plans, moment, urut=urut, scope=akses.watched_scope(), searching=bool(query))
    return render(
        request,
        "actionplan/rekap.html",
        {
            # Computed only when the page's cached fragment is missing (see the template).
            "rekap": rekap,
            "tahun": tahun,
            "bulan": bulan,
            "urut": urut,
            "q": query,
            "years": rekap.years,
            "months": BULAN_CHOICES,
        },
    )
