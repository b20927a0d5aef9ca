"""The plan, level by level: the plan page shows the whole Lampiran as one outline with
a link to every row; each level has its own page with its children inline, so no page
holds ~50 nested forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString

from actionplan.admin.base import (
    COMPACT_TEXTAREA,
    AreaFilter,
    AuditedAdmin,
    BulanFilter,
    IndikatorAreaFilter,
    LabelledInlineFormSet,
    LangkahAreaFilter,
    PlanAdminMedia,
    RencanaFilter,
    TabularInline,
    TimChoicesMixin,
    month_strip,
    short_text,
)
from actionplan.enums import BULAN, BULAN_CHOICES
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    RencanaAksi,
)
from actionplan.selectors import lampiran_rows
from actionplan.services import RencanaSudahAda, langkah_aksi_set_bulan, rencana_salin_ke_tahun

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from actionplan.admin.base import PlanRequest

    class _WithNLangkah(TypedDict):
        n_langkah: int


class AreaPerubahanInline(TabularInline):
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
    def jumlah_langkah(self, obj: WithAnnotations[RencanaAksi, _WithNLangkah]) -> int:
        return obj.n_langkah

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: RencanaAksi | None = None,
    ) -> HttpResponse:
        # The whole Lampiran under the form, full width, every cell a link to its row.
        if obj is not None:
            context["outline_rows"] = _outline_rows(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _outline_rows(rencana: RencanaAksi) -> list[dict]:
    return [{**row, "strip": month_strip(row["langkah"].bulan)} for row in lampiran_rows(rencana)]


class KomponenInline(TabularInline):
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


class IndikatorInline(TabularInline):
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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


class LangkahAksiInlineFormSet(LabelledInlineFormSet):
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


class LangkahAksiInline(TimChoicesMixin, TabularInline):
    model = LangkahAksi
    formset = LangkahAksiInlineFormSet
    extra = 0
    fields = ["urutan", "teks", "tim"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": COMPACT_TEXTAREA}}

    def get_formset(
        self, request: HttpRequest, obj: Indikator | None = None, **kwargs: Any
    ) -> type[forms.BaseInlineFormSet]:
        cast("PlanRequest", request)._zi_parent = obj
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
        return short_text(obj.teks)

    @admin.display(description="area", ordering="komponen__area__nomor")
    def area_romawi(self, obj: Indikator) -> str:
        return obj.komponen.area.romawi


class BuktiFisikInline(TabularInline):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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


@admin.register(LangkahAksi)
class LangkahAksiAdmin(TimChoicesMixin, AuditedAdmin):
    """A step with its bukti fisik and months (the Excel import is added by
    actionplan.documents.admin)."""

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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def get_form(
        self,
        request: HttpRequest,
        obj: LangkahAksi | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        cast("PlanRequest", request)._zi_parent = obj
        return super().get_form(request, obj, change, **kwargs)

    def save_related(
        self, request: HttpRequest, form: LangkahAksiForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        langkah_aksi_set_bulan(langkah=form.instance, bulan=form.cleaned_data["bulan"])

    @admin.display(description="no", ordering="indikator__komponen__area__nomor")
    def lokasi(self, obj: LangkahAksi) -> str:
        komponen = obj.indikator.komponen
        return f"{komponen.area.romawi}.{komponen.nomor}"

    @admin.display(description="indikator")
    def indikator_singkat(self, obj: LangkahAksi) -> str:
        return short_text(obj.indikator.teks, 10)

    @admin.display(description="langkah aksi", ordering="teks")
    def teks_singkat(self, obj: LangkahAksi) -> str:
        return short_text(obj.teks, 14)

    @admin.display(description="pelaksanaan (bulan)")
    def jadwal_strip(self, obj: LangkahAksi) -> SafeString:
        return month_strip(obj.bulan)
