"""The Excel import in the admin: the steps' page gains "Impor" (a workbook exported by
ZI Tracker, edited or not): preview every row with its errors, then confirm; nothing is
written before that. Registered over the plan's own admin of LangkahAksi."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Result

from actionplan.admin.plan import LangkahAksiAdmin
from actionplan.documents.xlsx import DataSheetXLSX, LangkahAksiResource
from actionplan.models import LangkahAksi, RencanaAksi


class RencanaImportForm(ImportForm):
    rencana = forms.ModelChoiceField(
        queryset=RencanaAksi.objects.select_related("satuan_kerja"),
        label="Rencana aksi tujuan",
        help_text="Baris lembar 'Data' dimasukkan ke rencana aksi ini (kode yang sama "
        "memperbarui langkah aksi yang ada).",
    )


class RencanaConfirmImportForm(ConfirmImportForm):
    rencana = forms.ModelChoiceField(queryset=RencanaAksi.objects.all(), widget=forms.HiddenInput)


class LangkahAksiImportAdmin(ImportMixin, LangkahAksiAdmin):
    """Also the Excel import: upload a workbook exported by ZI Tracker (edited or not),
    preview every row with its errors, then confirm; nothing is written before that."""

    resource_classes = [LangkahAksiResource]
    formats = [DataSheetXLSX]
    import_form_class = RencanaImportForm
    confirm_form_class = RencanaConfirmImportForm

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"rencana": cleaned.get("rencana")}

    def get_confirm_form_initial(
        self, request: HttpRequest, import_form: RencanaImportForm | None
    ) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["rencana"] = import_form.cleaned_data["rencana"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        request = kwargs.pop("request", None)
        kwargs.pop("form", None)
        # The confirm step imports again from the stored file; a row that has become
        # invalid since the preview undoes the whole import instead of being skipped.
        kwargs["rollback_on_validation_errors"] = True
        if request is not None:
            kwargs["aktor"] = request.user
        return kwargs

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Impor dibatalkan: beberapa baris tidak valid (data berubah sejak pratinjau). "
                "Tidak ada yang disimpan; unggah ulang berkasnya.",
                level="error",
            )
            return redirect("admin:actionplan_langkahaksi_import")
        return super().process_result(result, request)


admin.site.unregister(LangkahAksi)
admin.site.register(LangkahAksi, LangkahAksiImportAdmin)
