"""Delete the Excel import's previews that were never confirmed (older than a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from actionplan.documents.impor import PRATINJAU_UMUR, pratinjau_bersihkan


class Command(BaseCommand):
    help = "Hapus pratinjau impor Excel yang tidak dikonfirmasi (lebih dari 24 jam)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = pratinjau_bersihkan()
        jam = int(PRATINJAU_UMUR.total_seconds() // 3600)
        self.stdout.write(f"{count} pratinjau impor lebih dari {jam} jam dihapus.")
