"""Evidence in the admin is read-only: uploads and reviews go through the app's pages
(and their services), which check access and write the history and audit trail."""

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from evidence.models import BerkasBukti, Bukti, BuktiQuerySet, PeristiwaBukti


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class BerkasInline(ReadOnlyMixin, admin.TabularInline):
    model = BerkasBukti
    # A tuple: one value that types as both (a list is invariant).
    fields = readonly_fields = ("nama_asli", "jenis", "ukuran", "sha256")
    extra = 0


class PeristiwaInline(ReadOnlyMixin, admin.TabularInline):
    model = PeristiwaBukti
    fields = readonly_fields = ("pada", "jenis", "oleh", "catatan")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[PeristiwaBukti]:
        return super().get_queryset(request).select_related("oleh")


@admin.register(Bukti)
class BuktiAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["slot", "versi", "status", "terlambat", "diunggah_oleh", "diunggah_pada"]
    list_filter = ["status", "terlambat", "slot__bulan"]
    search_fields = ["slot__langkah_aksi__teks", "diunggah_oleh__username", "catatan"]
    inlines = [BerkasInline, PeristiwaInline]

    def get_queryset(self, request: HttpRequest) -> BuktiQuerySet:
        return cast(BuktiQuerySet, super().get_queryset(request)).with_plan()
