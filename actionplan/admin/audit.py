"""The audit trail, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from actionplan.models import CatatanAudit


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
