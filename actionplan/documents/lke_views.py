"""The LKE's documents: the workbook in PortalRB's layout and the filled LKE as PDF
(admin, pimpinan and the TPI), and the workbook's import (the unit's admin for the
unit's columns, the TPI for the TPI's columns)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from actionplan.access import Akses
from actionplan.documents.lke_pdf import lke_pdf
from actionplan.documents.lke_xlsx import (
    MAX_UPLOAD_BYTES,
    XLSX_CONTENT_TYPE,
    impor_workbook,
    nama_berkas,
    workbook_bytes,
)
from actionplan.documents.views import _attachment
from actionplan.lke import access, services
from actionplan.lke.models import PenilaianLke
from actionplan.models import SatuanKerja

TAHUN_MIN, TAHUN_MAX = 2000, 2100


def _penilaian(request: HttpRequest, slug: str, tahun: int) -> tuple[SatuanKerja, PenilaianLke]:
    """The unit (404 if unreadable) and its assessment of the year, created on first use
    (by whoever may act on it: the caller checks access before using it)."""
    unit = access.unit_for_user(request.user, slug)
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise Http404("Tahun tidak dikenal.")
    penilaian = PenilaianLke.objects.with_unit().filter(satuan_kerja=unit, tahun=tahun).first()
    if penilaian is None:
        penilaian = PenilaianLke(satuan_kerja=unit, tahun=tahun)
    penilaian.satuan_kerja = unit  # with its parent loaded, for the TPI check
    return unit, penilaian


def _dibuat(request: HttpRequest, unit: SatuanKerja, penilaian: PenilaianLke) -> PenilaianLke:
    if penilaian.pk is not None:
        return penilaian
    try:
        made = services.penilaian_get_or_create(
            satuan_kerja=unit,
            tahun=penilaian.tahun,
            by=cast(User, request.user),  # login_required
        )
    except ValidationError as e:
        raise Http404(e.messages[0]) from None
    made.satuan_kerja = unit
    return made


@login_required
def lke_excel(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    unit, penilaian = _penilaian(request, slug, tahun)
    access.require_export(request.user, penilaian)
    penilaian = _dibuat(request, unit, penilaian)
    return _attachment(workbook_bytes(penilaian), nama_berkas(penilaian, "xlsx"), XLSX_CONTENT_TYPE)


@login_required
def lke_pdf_view(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    unit, penilaian = _penilaian(request, slug, tahun)
    access.require_export(request.user, penilaian)
    penilaian = _dibuat(request, unit, penilaian)
    return _attachment(lke_pdf(penilaian), nama_berkas(penilaian, "pdf"), "application/pdf")


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label="Workbook LKE (.xlsx)",
        help_text=(
            "Lembar 'Jawaban' dalam format PortalRB: kolom K, L, M (unit) dan N, Q (TPI) "
            f"pada baris setiap soal. Paling besar {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"Berkas terlalu besar: paling besar {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        if not berkas.name.lower().endswith(".xlsx"):
            raise ValidationError("Pilih berkas Excel .xlsx (format PortalRB).")
        return berkas


@login_required
def lke_impor(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    """Upload the whole assessment as a workbook: all or nothing, each bad row named."""
    unit, penilaian = _penilaian(request, slug, tahun)
    boleh_unit = Akses.of(request.user).is_admin(unit.pk)
    boleh_tpi = access.can_evaluate(request.user, unit)
    if not (boleh_unit or boleh_tpi):
        raise PermissionDenied(
            "Impor LKE hanya untuk admin satuan kerja (kolom unit) dan TPI (kolom TPI)."
        )
    kesalahan: list[str] = []
    if request.method == "POST":
        form = ImporForm(request.POST, request.FILES)
        if form.is_valid():
            berkas = form.cleaned_data["berkas"]
            try:
                # A refused workbook leaves nothing, not even a new assessment.
                with transaction.atomic():
                    penilaian = _dibuat(request, unit, penilaian)
                    changed = impor_workbook(
                        penilaian=penilaian,
                        content=berkas.read(),
                        by=cast(User, request.user),  # login_required
                        sumber=f"unggahan {berkas.name[:100]}",
                        boleh_unit=boleh_unit,
                        boleh_tpi=boleh_tpi,
                    )
            except ValidationError as e:
                kesalahan = e.messages
            else:
                messages.success(
                    request,
                    f"Workbook diimpor: {changed['unit']} soal berubah pada jawaban unit, "
                    f"{changed['tpi']} soal pada jawaban TPI.",
                )
                return redirect("lke-penilaian", slug=unit.slug, tahun=tahun)
    else:
        form = ImporForm()
    return render(
        request,
        "lke/impor.html",
        {
            "unit": unit,
            "tahun": tahun,
            "penilaian": penilaian,
            "form": form,
            "kesalahan": kesalahan,
            "boleh_unit": boleh_unit,
            "boleh_tpi": boleh_tpi,
            "boleh_unduh": access.can_export(request.user, unit),
        },
    )
