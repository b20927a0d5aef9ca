"""The agency admin's pages: the year's proposal (units for WBK and WBBM with their LKE
verdict, the freeze), the API tokens, and what PortalRB fetched."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actionplan.lke import selectors as lke_selectors
from actionplan.lke.enums import Pihak
from actionplan.lke.models import PenilaianLke, PredikatUnit
from actionplan.portalrb import selectors, services
from actionplan.portalrb.access import instansi_for_user, instansi_of_user
from actionplan.portalrb.enums import Kategori
from actionplan.portalrb.forms import AlasanForm, PeriodeForm, PredikatForm, TokenForm, UsulkanForm
from actionplan.portalrb.models import Pengambilan, TokenApi, UnitDiusulkan

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@login_required
def beranda(request: HttpRequest) -> HttpResponse:
    agencies = instansi_of_user(request.user)
    if len(agencies) == 1:
        return redirect("portalrb-usulan", agencies[0].slug, timezone.localdate().year)
    return render(
        request, "portalrb/beranda.html", {"agencies": agencies, "tahun": timezone.localdate().year}
    )


def _messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def usulan(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    instansi = instansi_for_user(request.user, slug)
    if not 2000 <= tahun <= 2100:
        raise Http404("Tahun tidak sah.")
    by = cast("User", request.user)
    proposal = services.usulan_get_or_create(instansi=instansi, tahun=tahun)
    units = selectors.agency_units(instansi).order_by("nama")
    if request.method == "POST":
        aksi = request.POST.get("aksi", "")
        try:
            if aksi == "usulkan":
                form = UsulkanForm(request.POST, units=units)
                if not form.is_valid():
                    raise ValidationError("Pilih unit dan kategori yang sah.")
                row = services.unit_usulkan(
                    usulan=proposal,
                    satuan_kerja=form.cleaned_data["satuan_kerja"],
                    kategori=Kategori(form.cleaned_data["kategori"]),
                    by=by,
                )
                messages.success(request, f"{row.satuan_kerja.nama} diusulkan {row.kategori}.")
            elif aksi == "batalkan":
                raw = request.POST.get("satuan_kerja", "")
                if not raw.isdigit():
                    raise ValidationError("Unit tidak dikenal.")
                services.unit_batalkan(usulan=proposal, satuan_kerja_id=int(raw), by=by)
                messages.success(request, "Unit dibatalkan dari usulan.")
            elif aksi == "finalkan":
                services.usulan_finalkan(
                    usulan=proposal, by=by, base=request.build_absolute_uri("/")
                )
                messages.success(request, "Usulan final: jawaban yang diambil PortalRB dibekukan.")
            elif aksi == "buka":
                alasan = AlasanForm(request.POST)
                if not alasan.is_valid():
                    raise ValidationError("Tuliskan alasan membuka kembali usulan.")
                services.usulan_buka(usulan=proposal, by=by, alasan=alasan.cleaned_data["alasan"])
                messages.success(
                    request, "Usulan dibuka kembali; PortalRB mengambil jawaban terkini."
                )
            elif aksi == "periode":
                periode = PeriodeForm(request.POST)
                if not periode.is_valid():
                    raise ValidationError("Tanggal tidak sah.")
                services.usulan_periode(
                    usulan=proposal, berakhir=periode.cleaned_data["berakhir"], by=by
                )
                messages.success(request, "Akhir periode pengusulan disimpan.")
            elif aksi == "cabut_tautan":
                services.tautan_cabut(usulan=proposal, by=by, base=request.build_absolute_uri("/"))
                messages.success(request, "Semua tautan bukti yang pernah dikirim dicabut.")
            elif aksi == "predikat":
                form_p = PredikatForm(request.POST, units=units)
                if not form_p.is_valid():
                    raise ValidationError("Isi unit, predikat dan tanggal yang sah.")
                services.predikat_catat(
                    satuan_kerja=form_p.cleaned_data["satuan_kerja"],
                    predikat=form_p.cleaned_data["predikat"],
                    sejak=form_p.cleaned_data["sejak"],
                    by=by,
                )
                messages.success(request, "Predikat unit dicatat.")
            else:
                raise ValidationError("Aksi tidak dikenal.")
        except ValidationError as e:
            _messages(request, e)
        return redirect("portalrb-usulan", instansi.slug, tahun)
    rows = list(
        UnitDiusulkan.objects.filter(usulan=proposal)
        .select_related("satuan_kerja")
        .order_by("kategori", "satuan_kerja__nama")
    )
    assessments = {
        p.satuan_kerja_id: p
        for p in PenilaianLke.objects.with_unit().filter(
            satuan_kerja__in=[r.satuan_kerja_id for r in rows], tahun=tahun
        )
    }
    wbk_holders = {
        p.satuan_kerja_id: p
        for p in PredikatUnit.objects.filter(satuan_kerja__in=units).select_related("satuan_kerja")
    }
    entries = []
    for row in rows:
        penilaian = assessments.get(row.satuan_kerja_id)
        verdict = None
        if penilaian is not None:
            pihak = Pihak.TPI if penilaian.status in selectors.DIEVALUASI else Pihak.UNIT
            nilai = lke_selectors.nilai(penilaian, pihak)
            predikat = "WBBM" if row.kategori == Kategori.WBBM else "WBK"
            verdict = {
                "pihak": pihak,
                "total": float(nilai.skor.total),
                "memenuhi": nilai.putusan[predikat].memenuhi,
                "kurang": [k for k in nilai.putusan[predikat].kriteria if not k.memenuhi],
            }
        entries.append({"row": row, "penilaian": penilaian, "verdict": verdict})
    return render(
        request,
        "portalrb/usulan.html",
        {
            "instansi": instansi,
            "usulan": proposal,
            "entries": entries,
            "form": UsulkanForm(units=units),
            "form_predikat": PredikatForm(units=units),
            "form_periode": PeriodeForm(initial={"berakhir": proposal.berakhir}),
            "predikat": sorted(wbk_holders.values(), key=lambda p: p.satuan_kerja.nama),
            "api_base": request.build_absolute_uri(reverse("portalrb-api-wbk")).rsplit(
                "/pengusulan/", 1
            )[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest, slug: str) -> HttpResponse:
    instansi = instansi_for_user(request.user, slug)
    by = cast("User", request.user)
    baru = None
    if request.method == "POST":
        if request.POST.get("aksi") == "cabut":
            raw = request.POST.get("token", "")
            found = TokenApi.objects.filter(
                instansi=instansi, pk=raw if raw.isdigit() else 0
            ).first()
            if found is None:
                messages.error(request, "Token tidak ditemukan.")
            else:
                services.token_cabut(token=found, by=by)
                messages.success(request, f"Token {found.awalan}… dicabut.")
            return redirect("portalrb-token", instansi.slug)
        form = TokenForm(request.POST)
        if form.is_valid():
            _, baru = services.token_buat(instansi=instansi, nama=form.cleaned_data["nama"], by=by)
        else:
            messages.error(request, "Isi keterangan token (paling banyak 100 karakter).")
    response = render(
        request,
        "portalrb/token.html",
        {
            "instansi": instansi,
            "tokens": TokenApi.objects.filter(instansi=instansi).select_related("dibuat_oleh"),
            "form": TokenForm(),
            "baru": baru,
        },
    )
    response["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@login_required
def riwayat(request: HttpRequest, slug: str) -> HttpResponse:
    instansi = instansi_for_user(request.user, slug)
    rows = Pengambilan.objects.filter(instansi=instansi).select_related("satuan_kerja", "token")
    unit = request.GET.get("unit", "")
    if unit:
        rows = rows.filter(satuan_kerja__slug=unit)
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "portalrb/riwayat.html",
        {"instansi": instansi, "page": page, "unit": unit},
    )
