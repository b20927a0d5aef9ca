"""The LKE in the Django admin (superusers only): the masters are read-only (they come
from PortalRB through ``lke_load_master``); thresholds are saved through
``lke.services.ambang_simpan`` so each change is audited as on the app's page; the
predicates units hold are recorded in the audit trail too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from actionplan.audit import audit_record
from actionplan.enums import AksiAudit
from actionplan.lke.models import AmbangPredikat, MasterLke, PredikatUnit
from actionplan.lke.services import ambang_simpan


@admin.register(MasterLke)
class MasterLkeAdmin(admin.ModelAdmin):
    list_display = ["tahun", "sumber", "dibuat_portalrb", "dimuat_pada"]
    fields = readonly_fields = ("tahun", "sumber", "dibuat_portalrb", "dimuat_pada")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AmbangPredikat)
class AmbangPredikatAdmin(admin.ModelAdmin):
    list_display = ["tahun", "predikat", "kriteria", "batas"]
    list_filter = ["tahun", "predikat"]

    def save_model(
        self, request: HttpRequest, obj: AmbangPredikat, form: Any, change: bool
    ) -> None:
        if change:
            # A changed year, predicate or criterion would leave the old row behind.
            AmbangPredikat.objects.filter(pk=obj.pk).delete()
        ambang_simpan(
            tahun=obj.tahun,
            nilai={(obj.predikat, obj.kriteria): obj.batas},
            by=request.user,  # type: ignore[arg-type]  # the admin is for logged-in superusers
        )
        saved = AmbangPredikat.objects.get(
            tahun=obj.tahun, predikat=obj.predikat, kriteria=obj.kriteria
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: AmbangPredikat) -> None:
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=obj,
            ringkasan=f"Ambang predikat dihapus: {obj}",
            aktor=request.user,
            satuan_kerja_id=None,
        )
        super().delete_model(request, obj)


@admin.register(PredikatUnit)
class PredikatUnitAdmin(admin.ModelAdmin):
    list_display = ["satuan_kerja", "predikat", "sejak"]
    list_filter = ["predikat"]
    search_fields = ["satuan_kerja__nama"]
    list_select_related = ["satuan_kerja"]

    def save_model(self, request: HttpRequest, obj: PredikatUnit, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=obj,
            ringkasan=f"Predikat unit {'diubah' if change else 'dicatat'}: {obj}",
            aktor=request.user,
            satuan_kerja_id=obj.satuan_kerja_id,
        )

    def delete_model(self, request: HttpRequest, obj: PredikatUnit) -> None:
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=obj,
            ringkasan=f"Predikat unit dihapus: {obj}",
            aktor=request.user,
            satuan_kerja_id=obj.satuan_kerja_id,
        )
        super().delete_model(request, obj)
