"""The audit trail, read-only."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from actionplan.models import CatatanAudit


@admin.register(CatatanAudit)
class CatatanAuditAdmin(admin.ModelAdmin):
    """Read-only: the audit trail can be read and searched, never edited or deleted."""

    list_display = ["waktu", "aktor", "aksi", "satuan_kerja", "ringkasan"]
    list_select_related = ["aktor", "satuan_kerja"]
    list_filter = ["aksi", "satuan_kerja"]
    search_fields = ["ringkasan", "aktor__username", "objek"]
    date_hierarchy = "waktu"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """A year, month or day of the date drill-down out of range is a bad request
        (400), not a database overflow (it was a 500 for ?waktu__year=99999999999)."""
        for part, pattern in (
            ("year", r"[1-9][0-9]{3}"),
            ("month", r"(0?[1-9]|1[0-2])"),
            ("day", r"(0?[1-9]|[12][0-9]|3[01])"),
        ):
            raw = request.GET.get(f"waktu__{part}")
            if raw is not None and not re.fullmatch(pattern, raw):
                raise BadRequest("Tanggal pada alamat tidak sah.")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
