"""Evidence in the admin is read-only: uploads and reviews go through the app's pages
(and their services), which check access and write the history and audit trail."""

from django.contrib import admin
from django.http import HttpRequest

from evidence.models import BerkasBukti, Bukti, PeristiwaBukti


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class BerkasInline(ReadOnlyMixin, admin.TabularInline):
    model = BerkasBukti
    fields = ["nama_asli", "jenis", "ukuran", "sha256"]
    readonly_fields = fields
    extra = 0


class PeristiwaInline(ReadOnlyMixin, admin.TabularInline):
    model = PeristiwaBukti
    fields = ["pada", "jenis", "oleh", "catatan"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("oleh")


@admin.register(Bukti)
class BuktiAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["slot", "versi", "status", "terlambat", "diunggah_oleh", "diunggah_pada"]
    list_filter = ["status", "terlambat", "slot__bulan"]
    search_fields = ["slot__langkah_aksi__teks", "diunggah_oleh__username", "catatan"]
    inlines = [BerkasInline, PeristiwaInline]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).with_plan()
