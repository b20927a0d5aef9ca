"""``python manage.py lke_export --unit SLUG --year YEAR --format xlsx|pdf -o FILE``:
the unit's LKE of the year as PortalRB's workbook or as the filled PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.documents.lke_pdf import lke_pdf
from actionplan.documents.lke_xlsx import workbook_bytes
from actionplan.lke.models import PenilaianLke


class Command(BaseCommand):
    help = "Mengekspor LKE satu satuan kerja dan tahun: workbook PortalRB (xlsx) atau PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="slug satuan kerja")
        parser.add_argument("--year", type=int, required=True, help="tahun evaluasi")
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("-o", "--output", required=True, help="berkas tujuan")

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = (
            PenilaianLke.objects.with_unit()
            .filter(satuan_kerja__slug=options["unit"], tahun=options["year"])
            .first()
        )
        if penilaian is None:
            raise CommandError(
                f"Belum ada penilaian LKE {options['year']} untuk satuan kerja '{options['unit']}'."
            )
        data = workbook_bytes(penilaian) if options["format"] == "xlsx" else lke_pdf(penilaian)
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as e:
            raise CommandError(f"Tidak dapat menulis {path}: {e.strerror or e}.") from None
        self.stdout.write(f"{path} ditulis ({len(data)} byte).")
