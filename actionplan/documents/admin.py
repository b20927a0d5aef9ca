"""The Excel import in the admin: the steps' page gains "Impor" (a workbook exported by
ZI Tracker, edited or not): preview every row with its errors, then confirm; nothing is
written before that. Registered over the plan's own admin of LangkahAksi.

The uploaded workbook waits for its confirm in the database (``documents.impor``), so
the confirm may land on any server; a workbook over ``IMPORT_MAX_BYTES`` is refused by
the form before anything is stored or read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Result, RowResult

from actionplan.admin.plan import LangkahAksiAdmin
from actionplan.documents.impor import PratinjauHilang, PratinjauStorage, untuk_pengguna
from actionplan.documents.models import ImporPratinjau
from actionplan.documents.xlsx import (
    IMPORT_MAX_BYTES,
    DataSheetXLSX,
    ImporDitolak,
    LangkahAksiResource,
)
from actionplan.models import LangkahAksi, RencanaAksi


class RencanaImportForm(ImportForm):
    rencana = forms.ModelChoiceField(
        queryset=RencanaAksi.objects.select_related("satuan_kerja"),
        label="Rencana aksi tujuan",
        help_text="Baris lembar 'Data' dimasukkan ke rencana aksi ini (kode yang sama "
        "memperbarui langkah aksi yang ada).",
    )

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload is not None and (upload.size or 0) > IMPORT_MAX_BYTES:
            mb = 1024 * 1024
            ukuran = f"{upload.size / mb:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Berkas berukuran {ukuran} MB, melebihi batas {IMPORT_MAX_BYTES // mb} MB "
                "untuk impor."
            )
        return upload


class RencanaConfirmImportForm(ConfirmImportForm):
    rencana = forms.ModelChoiceField(queryset=RencanaAksi.objects.all(), widget=forms.HiddenInput)


class LangkahAksiImportAdmin(ImportMixin, LangkahAksiAdmin):
    """Also the Excel import: upload a workbook exported by ZI Tracker (edited or not),
    preview every row with its errors, then confirm; nothing is written before that."""

    resource_classes = [LangkahAksiResource]
    formats = [DataSheetXLSX]
    import_form_class = RencanaImportForm
    confirm_form_class = RencanaConfirmImportForm
    tmp_storage_class = PratinjauStorage

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with untuk_pengguna(request.user) as state:
            response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if state.disimpan and context.get("confirm_form") is None:
            # Nothing to confirm (refused or invalid rows): the stored copy goes now.
            ImporPratinjau.objects.filter(token__in=state.disimpan).delete()
        return response

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            with untuk_pengguna(request.user):
                return super().process_import(request, **kwargs)
        except PratinjauHilang:
            self.message_user(
                request,
                "Pratinjau impor ini tidak ditemukan: sudah dikonfirmasi, sudah lewat 24 jam, "
                "atau diunggah oleh pengguna lain. Tidak ada yang disimpan; unggah ulang "
                "berkasnya.",
                level=messages.ERROR,
            )
            return redirect("admin:actionplan_langkahaksi_import")

    def add_data_read_fail_error_to_form(self, form: forms.Form, e: Exception) -> None:
        """The reason in Indonesian, never a Python exception's name or text."""
        if isinstance(e, ImporDitolak):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                "Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx). Gunakan berkas "
                "hasil ekspor ZI Tracker (lembar 'Data').",
            )

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        baru = result.totals[RowResult.IMPORT_TYPE_NEW]
        diperbarui = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        messages.success(
            request,
            f"Impor selesai: {baru} langkah aksi baru, {diperbarui} langkah aksi diperbarui.",
        )

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
