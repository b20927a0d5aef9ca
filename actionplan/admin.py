"""The coordinator's workbench: the plan top to bottom, in plain Bahasa Indonesia.

The plan page shows the whole Lampiran as one outline with a link to every row; each
level has its own page with its children inline, so no page holds ~50 nested forms.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from actionplan.audit import audit_record
from actionplan.documents.xlsx import DataSheetXLSX, LangkahAksiResource
from actionplan.enums import AREA_CHOICES, BULAN, BULAN_CHOICES, BULAN_SINGKAT, AksiAudit
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    CatatanAudit,
    Indikator,
    Komponen,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)
from actionplan.selectors import lampiran_rows
from actionplan.services import RencanaSudahAda, langkah_aksi_set_bulan, rencana_salin_ke_tahun

COMPACT_TEXTAREA = forms.Textarea(attrs={"rows": 2, "cols": 80})


def _short(text: str, words: int = 12) -> str:
    return Truncator(text).words(words, truncate=" …")


def month_strip(bulan: list[int]) -> SafeString:
    """A compact 12-cell strip: filled cells are the scheduled months."""
    return render_to_string(
        "admin/actionplan/month_strip.html",
        {
            "cells": [
                {
                    "nomor": n,
                    "singkat": BULAN_SINGKAT[n - 1],
                    "nama": BULAN[n - 1],
                    "on": n in bulan,
                }
                for n in range(1, 13)
            ],
            "label": ", ".join(BULAN[n - 1] for n in bulan) or "Belum dijadwalkan",
        },
    )


# Where each plan model finds its unit, for the audit trail.
_UNIT_PATH = {
    SatuanKerja: "pk",
    TimKerja: "satuan_kerja_id",
    PeranPengguna: "satuan_kerja_id",
    RencanaAksi: "satuan_kerja_id",
    AreaPerubahan: "rencana__satuan_kerja_id",
    Komponen: "area__rencana__satuan_kerja_id",
    Indikator: "komponen__area__rencana__satuan_kerja_id",
    LangkahAksi: "indikator__komponen__area__rencana__satuan_kerja_id",
}


def _unit_id_of(obj: models.Model) -> int | None:
    path = _UNIT_PATH.get(type(obj))
    if path is None:
        return None
    value: object = obj
    for part in path.split("__"):
        value = getattr(value, part)
    return value  # type: ignore[return-value]


class AuditedMixin:
    """Every add, change and delete made in the admin also goes to the audit trail, with
    the admin's own description of what changed (fields, inline rows)."""

    def log_addition(self, request, obj, message):  # type: ignore[no-untyped-def]
        self._audit(request, obj, AksiAudit.RENCANA_DITAMBAH, "Ditambahkan", message)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request, obj, message):  # type: ignore[no-untyped-def]
        self._audit(request, obj, AksiAudit.RENCANA_DIUBAH, "Diubah", message)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request, queryset):  # type: ignore[no-untyped-def]
        for obj in queryset:
            self._audit(request, obj, AksiAudit.RENCANA_DIHAPUS, "Dihapus", None)
        return super().log_deletions(request, queryset)  # type: ignore[misc]

    def _audit(self, request, obj, aksi, verb, message):  # type: ignore[no-untyped-def]
        detail = ""
        if message:
            # The same text the admin's own history shows ("Mengubah teks.", "Menambahkan
            # peran pengguna …").
            detail = LogEntry(change_message=json.dumps(message)).get_change_message()
        audit_record(
            aksi=aksi,
            objek=obj,
            ringkasan=f"{verb}: {obj._meta.verbose_name} “{str(obj)[:150]}”"
            + (f" — {detail}" if detail else ""),
            aktor=request.user,
            satuan_kerja_id=_unit_id_of(obj),
        )


class AuditedAdmin(AuditedMixin, admin.ModelAdmin):
    pass


class PlanAdminMedia:
    css = {"all": ["actionplan/admin.css"]}


# --- filters ---------------------------------------------------------------------------


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter that applies ``lookup`` with one of its own choices; any other value
    in the URL is refused the way the admin refuses bad lookups (back to the full list
    with an error flag), never a server error."""

    lookup: str

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        if value not in {str(key) for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(f"Nilai filter {self.parameter_name} tidak dikenal.")
        return queryset.filter(**{self.lookup: value}).distinct()


class AreaFilter(ChoiceFilter):
    title = "area perubahan"
    parameter_name = "area"
    lookup = "area__nomor"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(n), r) for n, r in AREA_CHOICES]


class LangkahAreaFilter(AreaFilter):
    lookup = "indikator__komponen__area__nomor"


class IndikatorAreaFilter(AreaFilter):
    lookup = "komponen__area__nomor"


class BulanFilter(ChoiceFilter):
    title = "bulan pelaksanaan"
    parameter_name = "bulan"
    lookup = "jadwal__bulan"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(n), nama) for n, nama in BULAN_CHOICES]


class RencanaFilter(ChoiceFilter):
    title = "rencana aksi"
    parameter_name = "rencana"
    lookup = "indikator__komponen__area__rencana"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        # One query for every plan with its unit; the default filter would query the unit
        # of each plan to print its name.
        return [(str(r.pk), str(r)) for r in RencanaAksi.objects.select_related("satuan_kerja")]


# --- satuan kerja, tim, peran ------------------------------------------------------------


class PeranPenggunaInline(admin.TabularInline):
    model = PeranPengguna
    extra = 0
    autocomplete_fields = ["user"]


class TimKerjaInline(admin.TabularInline):
    model = TimKerja
    extra = 0
    fields = ["nama", "urutan"]
    show_change_link = True


@admin.register(SatuanKerja)
class SatuanKerjaAdmin(AuditedAdmin):
    list_display = ["nama", "slug", "induk"]
    list_select_related = ["induk"]
    search_fields = ["nama", "slug"]
    prepopulated_fields = {"slug": ["nama"]}
    autocomplete_fields = ["induk"]
    inlines = [TimKerjaInline, PeranPenggunaInline]


@admin.register(TimKerja)
class TimKerjaAdmin(AuditedAdmin):
    list_display = ["nama", "satuan_kerja", "jumlah_anggota", "jumlah_langkah"]
    list_select_related = ["satuan_kerja"]
    list_filter = ["satuan_kerja"]
    search_fields = ["nama", "anggota__username", "anggota__first_name", "anggota__last_name"]
    filter_horizontal = ["anggota"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_anggota=Count("anggota", distinct=True),
                n_langkah=Count("langkah_aksi", distinct=True),
            )
        )

    @admin.display(description="anggota", ordering="n_anggota")
    def jumlah_anggota(self, obj: TimKerja) -> int:
        return obj.n_anggota

    @admin.display(description="langkah aksi", ordering="n_langkah")
    def jumlah_langkah(self, obj: TimKerja) -> int:
        return obj.n_langkah


@admin.register(PeranPengguna)
class PeranPenggunaAdmin(AuditedAdmin):
    list_display = ["user", "peran", "satuan_kerja"]
    list_select_related = ["user", "satuan_kerja"]
    list_filter = ["peran", "satuan_kerja"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "satuan_kerja"]


# --- the plan, level by level ----------------------------------------------------------------


class AreaPerubahanInline(admin.TabularInline):
    model = AreaPerubahan
    extra = 0
    fields = ["nomor", "nama", "nama_singkat"]
    show_change_link = True
    formfield_overrides = {
        # One-line inputs keep the inline table readable; the area page has the full field.
        models.TextField: {"widget": forms.TextInput(attrs={"size": 70})},
    }


@admin.register(RencanaAksi)
class RencanaAksiAdmin(AuditedAdmin):
    list_display = ["satuan_kerja", "tahun", "keputusan", "tanggal_penetapan", "jumlah_langkah"]
    list_select_related = ["satuan_kerja"]
    list_filter = ["tahun", "satuan_kerja"]
    search_fields = ["satuan_kerja__nama", "judul", "nomor_keputusan"]
    autocomplete_fields = ["satuan_kerja"]
    inlines = [AreaPerubahanInline]
    change_form_template = "admin/actionplan/rencanaaksi/change_form.html"
    actions = ["salin_ke_tahun_berikutnya"]

    @admin.action(description="Salin ke tahun berikutnya (struktur, tim, jadwal; tanpa bukti)")
    def salin_ke_tahun_berikutnya(self, request: HttpRequest, queryset: QuerySet) -> None:
        for rencana in queryset.select_related("satuan_kerja"):
            try:
                copy = rencana_salin_ke_tahun(
                    rencana=rencana, tahun=rencana.tahun + 1, oleh=request.user
                )
            except RencanaSudahAda as exc:
                self.message_user(request, str(exc), level="error")
            else:
                self.message_user(request, f"Rencana aksi {copy.satuan_kerja} {copy.tahun} dibuat.")

    fieldsets = [
        (None, {"fields": ["satuan_kerja", "tahun"]}),
        (
            "Keputusan",
            {
                "fields": [
                    "instansi_penetap",
                    "nomor_keputusan",
                    "judul",
                    "judul_tabel",
                    ("tempat_penetapan", "tanggal_penetapan"),
                ]
            },
        ),
        ("Penandatangan", {"fields": ["jabatan_penandatangan", "nama_penandatangan"]}),
        (
            "Salinan sesuai dengan aslinya",
            {
                "fields": [
                    "salinan_instansi",
                    "salinan_jabatan",
                    "salinan_jabatan_keputusan",
                    "salinan_nama",
                ]
            },
        ),
        (
            "Isi keputusan",
            {
                "fields": ["menimbang", "mengingat", "menetapkan", "diktum"],
                "description": "Satu butir per baris; huruf (a., b.), nomor (1., 2.) dan "
                "KESATU, KEDUA ditambahkan saat dicetak. Tulis *kata* untuk huruf miring.",
            },
        ),
    ]
    Media = PlanAdminMedia

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(n_langkah=Count("area__komponen__indikator__langkah_aksi"))
        )

    @admin.display(description="keputusan")
    def keputusan(self, obj: RencanaAksi) -> str:
        return obj.nomor_lengkap

    @admin.display(description="langkah aksi", ordering="n_langkah")
    def jumlah_langkah(self, obj: RencanaAksi) -> int:
        return obj.n_langkah

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):  # type: ignore[no-untyped-def]
        # The whole Lampiran under the form, full width, every cell a link to its row.
        if obj is not None:
            context["outline_rows"] = _outline_rows(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _outline_rows(rencana: RencanaAksi) -> list[dict]:
    return [{**row, "strip": month_strip(row["langkah"].bulan)} for row in lampiran_rows(rencana)]


class KomponenInline(admin.TabularInline):
    model = Komponen
    extra = 0
    fields = ["nomor", "nama"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.TextInput(attrs={"size": 80})}}


@admin.register(AreaPerubahan)
class AreaPerubahanAdmin(AuditedAdmin):
    list_display = ["romawi_nama", "rencana"]
    list_select_related = ["rencana__satuan_kerja"]
    list_filter = ["rencana__tahun", "rencana__satuan_kerja"]
    search_fields = ["nama", "nama_singkat"]
    autocomplete_fields = ["rencana"]
    inlines = [KomponenInline]

    @admin.display(description="area perubahan", ordering="nomor")
    def romawi_nama(self, obj: AreaPerubahan) -> str:
        return str(obj)


class IndikatorInline(admin.TabularInline):
    model = Indikator
    extra = 0
    fields = ["urutan", "teks"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}


@admin.register(Komponen)
class KomponenAdmin(AuditedAdmin):
    list_display = ["__str__", "area_romawi", "rencana"]
    list_select_related = ["area__rencana__satuan_kerja"]
    list_filter = [AreaFilter, "area__rencana__tahun", "area__rencana__satuan_kerja"]
    search_fields = ["nama", "indikator__teks"]
    autocomplete_fields = ["area"]
    inlines = [IndikatorInline]

    @admin.display(description="area", ordering="area__nomor")
    def area_romawi(self, obj: Komponen) -> str:
        return obj.area.romawi

    @admin.display(description="rencana aksi")
    def rencana(self, obj: Komponen) -> RencanaAksi:
        return obj.area.rencana

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


class TimChoicesMixin:
    """The team select lists (and accepts) only the plan's own unit's teams, and its
    choices are read once per request: otherwise every inline row would query them."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name == "tim":
            if not hasattr(request, "_zi_tim"):
                unit = _unit_of(getattr(request, "_zi_parent", None))
                teams = TimKerja.objects.filter(satuan_kerja_id=unit) if unit else field.queryset
                field.queryset = teams
                # A comprehension, not list(): list() asks the iterator's length (a COUNT).
                request._zi_tim = (teams, [choice for choice in field.choices])  # noqa: C416
            field.queryset, field.choices = request._zi_tim
        return field


def _unit_of(obj: object | None) -> int | None:
    """The satuan kerja id of an indikator or a langkah aksi, in one query (None when
    adding a new one)."""
    if isinstance(obj, LangkahAksi):
        indikator_id = obj.indikator_id
    elif isinstance(obj, Indikator):
        indikator_id = obj.pk
    else:
        return None
    return (
        Indikator.objects.filter(pk=indikator_id)
        .values_list("komponen__area__rencana__satuan_kerja_id", flat=True)
        .first()
    )


class LangkahAksiInlineFormSet(forms.BaseInlineFormSet):
    """Steps added inline with a new indikator: their team must be of the plan's unit
    (the model's own check cannot see the unit before the indikator exists)."""

    def clean(self) -> None:
        super().clean()
        komponen = getattr(self.instance, "komponen", None)
        if komponen is None:
            return
        unit_id = komponen.area.rencana.satuan_kerja_id
        for form in self.forms:
            tim = form.cleaned_data.get("tim") if form.cleaned_data else None
            if tim is not None and tim.satuan_kerja_id != unit_id:
                form.add_error(
                    "tim", "Tim penanggung jawab harus dari satuan kerja pemilik rencana aksi."
                )


class LangkahAksiInline(TimChoicesMixin, admin.TabularInline):
    model = LangkahAksi
    formset = LangkahAksiInlineFormSet
    extra = 0
    fields = ["urutan", "teks", "tim"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}

    def get_formset(self, request, obj=None, **kwargs):  # type: ignore[no-untyped-def]
        request._zi_parent = obj
        return super().get_formset(request, obj, **kwargs)


@admin.register(Indikator)
class IndikatorAdmin(AuditedAdmin):
    list_display = ["teks_singkat", "komponen", "area_romawi"]
    list_select_related = ["komponen__area__rencana"]
    list_filter = [
        IndikatorAreaFilter,
        "komponen__area__rencana__tahun",
        "komponen__area__rencana__satuan_kerja",
    ]
    search_fields = ["teks", "komponen__nama"]
    autocomplete_fields = ["komponen"]
    inlines = [LangkahAksiInline]

    @admin.display(description="indikator", ordering="teks")
    def teks_singkat(self, obj: Indikator) -> str:
        return _short(obj.teks)

    @admin.display(description="area", ordering="komponen__area__nomor")
    def area_romawi(self, obj: Indikator) -> str:
        return obj.komponen.area.romawi


class BuktiFisikInline(admin.TabularInline):
    model = BuktiFisik
    extra = 0
    fields = ["urutan", "teks"]
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}


class LangkahAksiForm(forms.ModelForm):
    bulan = forms.TypedMultipleChoiceField(
        label="Pelaksanaan (bulan)",
        choices=BULAN_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Centang bulan-bulan pelaksanaan langkah aksi ini.",
    )

    class Meta:
        model = LangkahAksi
        fields = ["indikator", "urutan", "teks", "tim"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["bulan"] = self.instance.bulan

    def clean_bulan(self) -> list[int]:
        bulan = self.cleaned_data["bulan"]
        if self.instance.pk:
            removed = set(self.instance.bulan) - set(bulan)
            with_evidence = sorted(
                self.instance.jadwal.filter(bulan__in=removed, bukti__isnull=False)
                .values_list("bulan", flat=True)
                .distinct()
            )
            if with_evidence:
                names = ", ".join(BULAN[b - 1] for b in with_evidence)
                raise forms.ValidationError(
                    f"Bulan {names} sudah berisi bukti yang diunggah tim, jadi tidak dapat "
                    "dihapus dari jadwal."
                )
        return bulan


class RencanaImportForm(ImportForm):
    rencana = forms.ModelChoiceField(
        queryset=RencanaAksi.objects.select_related("satuan_kerja"),
        label="Rencana aksi tujuan",
        help_text="Baris lembar 'Data' dimasukkan ke rencana aksi ini (kode yang sama "
        "memperbarui langkah aksi yang ada).",
    )


class RencanaConfirmImportForm(ConfirmImportForm):
    rencana = forms.ModelChoiceField(queryset=RencanaAksi.objects.all(), widget=forms.HiddenInput)


@admin.register(LangkahAksi)
class LangkahAksiAdmin(ImportMixin, TimChoicesMixin, AuditedAdmin):
    """Also the Excel import: upload a workbook exported by ZI Tracker (edited or not),
    preview every row with its errors, then confirm; nothing is written before that."""

    resource_classes = [LangkahAksiResource]
    formats = [DataSheetXLSX]
    import_form_class = RencanaImportForm
    confirm_form_class = RencanaConfirmImportForm

    form = LangkahAksiForm
    list_display = ["lokasi", "indikator_singkat", "teks_singkat", "jadwal_strip", "tim"]
    list_display_links = ["teks_singkat"]
    list_filter = [LangkahAreaFilter, "tim", BulanFilter, RencanaFilter]
    search_fields = [
        "teks",
        "indikator__teks",
        "indikator__komponen__nama",
        "bukti_fisik__teks",
    ]
    autocomplete_fields = ["indikator"]
    inlines = [BuktiFisikInline]
    list_per_page = 100
    Media = PlanAdminMedia

    readonly_fields = ["letak"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            # The list and the form both show the step's place in the plan and its team.
            .select_related("indikator__komponen__area__rencana__satuan_kerja", "tim")
            .prefetch_related("jadwal")
        )

    @admin.display(description="letak dalam rencana")
    def letak(self, obj: LangkahAksi) -> str:
        if obj.pk is None:
            return "-"
        komponen = obj.indikator.komponen
        return (
            f"{komponen.area.rencana} › Area {komponen.area} › Komponen {komponen} › "
            f"Indikator: {obj.indikator.teks}"
        )

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        request._zi_parent = obj
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        langkah_aksi_set_bulan(langkah=form.instance, bulan=form.cleaned_data["bulan"])

    def get_import_resource_kwargs(self, request, **kwargs):  # type: ignore[no-untyped-def]
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"rencana": cleaned.get("rencana")}

    def get_confirm_form_initial(self, request, import_form):  # type: ignore[no-untyped-def]
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["rencana"] = import_form.cleaned_data["rencana"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):  # type: ignore[no-untyped-def]
        request = kwargs.pop("request", None)
        kwargs.pop("form", None)
        # The confirm step imports again from the stored file; a row that has become
        # invalid since the preview undoes the whole import instead of being skipped.
        kwargs["rollback_on_validation_errors"] = True
        if request is not None:
            kwargs["aktor"] = request.user
        return kwargs

    def process_result(self, result, request):  # type: ignore[no-untyped-def]
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Impor dibatalkan: beberapa baris tidak valid (data berubah sejak pratinjau). "
                "Tidak ada yang disimpan; unggah ulang berkasnya.",
                level="error",
            )
            return redirect("admin:actionplan_langkahaksi_import")
        return super().process_result(result, request)

    @admin.display(description="no", ordering="indikator__komponen__area__nomor")
    def lokasi(self, obj: LangkahAksi) -> str:
        komponen = obj.indikator.komponen
        return f"{komponen.area.romawi}.{komponen.nomor}"

    @admin.display(description="indikator")
    def indikator_singkat(self, obj: LangkahAksi) -> str:
        return _short(obj.indikator.teks, 10)

    @admin.display(description="langkah aksi", ordering="teks")
    def teks_singkat(self, obj: LangkahAksi) -> str:
        return _short(obj.teks, 14)

    @admin.display(description="pelaksanaan (bulan)")
    def jadwal_strip(self, obj: LangkahAksi) -> SafeString:
        return month_strip(obj.bulan)


@admin.register(CatatanAudit)
class CatatanAuditAdmin(admin.ModelAdmin):
    """Read-only: the audit trail can be read and searched, never edited or deleted."""

    list_display = ["waktu", "aktor", "aksi", "satuan_kerja", "ringkasan"]
    list_select_related = ["aktor", "satuan_kerja"]
    list_filter = ["aksi", "satuan_kerja"]
    search_fields = ["ringkasan", "aktor__username", "objek"]
    date_hierarchy = "waktu"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Accounts are audited like the plan: creating a user or changing their rights matters.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedMixin, UserAdmin):
    pass
