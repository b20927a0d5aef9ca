from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.models import RencanaAksi
from actionplan.services import RencanaSudahAda, rencana_salin_ke_tahun


class Command(BaseCommand):
    help = (
        "Menyalin rencana aksi ke tahun berikutnya (struktur, tim, jadwal; tanpa bukti): "
        "langkah pertama tiap tahun, 'mengevaluasi Tim Kerja tahun sebelumnya'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="kode (slug) satuan kerja")
        parser.add_argument("--year", required=True, type=int, help="tahun rencana sumber")
        parser.add_argument("--to", type=int, help="tahun tujuan (bawaan: tahun berikutnya)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rencana = RencanaAksi.objects.select_related("satuan_kerja").get(
                satuan_kerja__slug=options["unit"], tahun=options["year"]
            )
        except RencanaAksi.DoesNotExist:
            raise CommandError(
                f"Rencana aksi {options['unit']} tahun {options['year']} tidak ditemukan."
            ) from None
        tahun = options["to"] or rencana.tahun + 1
        try:
            copy = rencana_salin_ke_tahun(rencana=rencana, tahun=tahun)
        except RencanaSudahAda as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Rencana aksi {copy.satuan_kerja} {copy.tahun} dibuat.")
