"""``python manage.py lke_import --unit SLUG --year YEAR FILE.xlsx``: read PortalRB's
``Jawaban`` layout (columns K, L, M for the unit, N, Q for the TPI, at each question's
``excel_baris``) into the unit's assessment of the year, creating it when missing. The
workbook is the whole assessment (a blank cell clears that field); all or nothing: on a
bad file nothing is written, the reasons go to stderr and the exit status is 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from actionplan.documents.lke_xlsx import impor_workbook
from actionplan.lke import services
from actionplan.lke.enums import StatusPenilaian
from actionplan.models import SatuanKerja


class Command(BaseCommand):
    help = (
        "Mengimpor workbook LKE (lembar 'Jawaban', format PortalRB) ke penilaian satu satuan "
        "kerja dan tahun: jawaban unit dan TPI, semua atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="slug satuan kerja")
        parser.add_argument("--year", type=int, required=True, help="tahun evaluasi")
        parser.add_argument("file", metavar="FILE.xlsx", help="workbook LKE")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = SatuanKerja.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Satuan kerja '{options['unit']}' tidak ditemukan.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as e:
            raise CommandError(f"Berkas {path} tidak dapat dibaca: {e.strerror or e}.") from None
        try:
            with transaction.atomic():
                penilaian = services.penilaian_get_or_create(
                    satuan_kerja=unit, tahun=options["year"], by=None
                )
                changed = impor_workbook(
                    penilaian=penilaian,
                    content=content,
                    by=None,
                    sumber=f"lke_import {path.name}",
                    boleh_unit=True,
                    boleh_tpi=True,
                    # The server's operator: a submitted or evaluated assessment is
                    # written too (its state stays; the event and audit say so).
                    abaikan_kunci=True,
                )
        except ValidationError as e:
            raise CommandError(
                f"{path.name} tidak diimpor (tidak ada yang diubah):\n" + "\n".join(e.messages)
            ) from None
        if penilaian.status != StatusPenilaian.DRAFT:
            self.stderr.write(
                f"Perhatian: penilaian berstatus '{penilaian.get_status_display()}'; "
                "jawaban ditulis sebagai operator dan statusnya tidak diubah."
            )
        self.stdout.write(
            f"LKE {unit.nama} {options['year']} diimpor dari {path.name}: "
            f"{changed['unit']} soal berubah (unit), {changed['tpi']} soal berubah (TPI)."
        )
