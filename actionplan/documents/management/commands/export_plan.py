from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.documents.exporters import EXPORTERS
from actionplan.models import RencanaAksi, SatuanKerja
from actionplan.selectors import rencana_get


class Command(BaseCommand):
    help = (
        "Ekspor rencana aksi satu satuan kerja dan tahun: json (satu baris per langkah aksi), "
        "pdf (keputusan dan lampirannya, atau laporan kemajuan dengan --report) atau xlsx."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="kode (slug) satuan kerja")
        parser.add_argument("--year", required=True, type=int, help="tahun rencana aksi")
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("-o", "--output", help="berkas tujuan (bawaan: keluaran standar)")
        parser.add_argument(
            "--paper", choices=["f4", "a4"], default="f4", help="ukuran kertas PDF (bawaan: f4)"
        )
        parser.add_argument(
            "--report",
            type=int,
            metavar="BULAN",
            help="PDF: laporan kemajuan sampai akhir bulan ini (1-12) sebagai ganti keputusan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit, year = options["unit"], options["year"]
        try:
            rencana = rencana_get(unit_slug=unit, tahun=year)
        except RencanaAksi.DoesNotExist:
            if not SatuanKerja.objects.filter(slug=unit).exists():
                raise CommandError(f"Satuan kerja '{unit}' tidak ditemukan.") from None
            raise CommandError(f"Rencana aksi {unit} tahun {year} tidak ditemukan.") from None
        report = options["report"]
        if report is not None and not 1 <= report <= 12:
            raise CommandError("--report harus bulan 1 sampai 12.")
        if report is not None and options["format"] != "pdf":
            raise CommandError("--report hanya untuk --format pdf.")
        data = EXPORTERS[options["format"]](rencana, paper=options["paper"], report=report)
        output = options["output"]
        if output:
            path = Path(output)
            if not path.parent.is_dir():
                raise CommandError(f"Folder tujuan '{path.parent}' tidak ada.")
            path.write_bytes(data)
            self.stderr.write(f"Tersimpan: {path} ({len(data)} byte)")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise CommandError(
                    f"Format {options['format']} berupa berkas biner; gunakan -o BERKAS."
                ) from None
            self.stdout.write(text, ending="")
