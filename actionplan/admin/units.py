"""Units, their teams and the roles of their people."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from actionplan.admin.base import AuditedAdmin, TabularInline
from actionplan.models import PeranPengguna, SatuanKerja, TimKerja

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _WithCounts(TypedDict):
        n_anggota: int
        n_langkah: int


class PeranPenggunaInline(TabularInline):
    model = PeranPengguna
    extra = 0
    autocomplete_fields = ["user"]


class TimKerjaInline(TabularInline):
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
    def jumlah_anggota(self, obj: WithAnnotations[TimKerja, _WithCounts]) -> int:
        return obj.n_anggota

    @admin.display(description="langkah aksi", ordering="n_langkah")
    def jumlah_langkah(self, obj: WithAnnotations[TimKerja, _WithCounts]) -> int:
        return obj.n_langkah


@admin.register(PeranPengguna)
class PeranPenggunaAdmin(AuditedAdmin):
    list_display = ["user", "peran", "satuan_kerja"]
    list_select_related = ["user", "satuan_kerja"]
    list_filter = ["peran", "satuan_kerja"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "satuan_kerja"]
