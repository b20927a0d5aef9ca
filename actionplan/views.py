"""Plan pages for every role: the plans a user may read, a plan shaped like its
Lampiran, a step with its monthly evidence, and the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actionplan.access import Akses, langkah_for_user, rencana_for_user, unit_of_langkah
from actionplan.models import CatatanAudit, RencanaAksi
from actionplan.selectors import lampiran_rows
from evidence.forms import ReviewForm, TarikForm
from evidence.selectors import slots_with_evidence


@login_required
def home(request: HttpRequest) -> HttpResponse:
    akses = Akses.of(request.user)
    units = akses.readable_units()
    plans = RencanaAksi.objects.select_related("satuan_kerja").order_by(
        "satuan_kerja__nama", "-tahun"
    )
    if units is not None:
        plans = plans.filter(satuan_kerja_id__in=units)
    has_unit = units is None or bool(units)
    return render(request, "actionplan/home.html", {"plans": list(plans), "has_unit": has_unit})


@login_required
def rencana_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rencana = rencana_for_user(request.user, pk)
    return render(
        request,
        "actionplan/rencana_detail.html",
        {"rencana": rencana, "rows": lampiran_rows(rencana)},
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
