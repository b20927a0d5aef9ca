"""Plan pages for every role: the plans a user may read, a plan shaped like its
Lampiran, and the audit trail. (A step's page with its evidence lives in evidence.views,
the dashboards in actionplan.progress.views, the documents in actionplan.documents.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from actionplan.access import Akses, default_plan, rencana_for_user
from actionplan.models import CatatanAudit, RencanaAksi
from actionplan.selectors import lampiran_rows


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
    listed = RencanaAksi.objects.select_related("satuan_kerja").order_by(
        "satuan_kerja__nama", "-tahun"
    )
    if units is not None:
        listed = listed.filter(satuan_kerja_id__in=units)
    has_unit = units is None or bool(units)
    akses = Akses.of(request.user)
    plans = list(listed)
    context = {
        "plans": plans,
        "has_unit": has_unit,
        # Each plan links to its dashboard where the user may see it (any year).
        "dasbor_units": {
            p.satuan_kerja_id for p in plans if akses.can_view_dashboard(p.satuan_kerja_id)
        },
    }
    return render(request, "actionplan/home.html", context)


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
def audit(request: HttpRequest) -> HttpResponse:
    units = Akses.of(request.user).audit_units()
    if units is not None and not units:
        raise PermissionDenied("Catatan audit hanya dapat dibaca admin dan pimpinan.")
    entries = CatatanAudit.objects.for_listing()
    if units is not None:
        entries = entries.filter(satuan_kerja_id__in=units)
    page = Paginator(entries, 50).get_page(request.GET.get("halaman"))
    return render(request, "actionplan/audit.html", {"page": page})
