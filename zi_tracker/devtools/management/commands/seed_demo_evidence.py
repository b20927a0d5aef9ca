from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.models import RencanaAksi
from zi_tracker.devtools.demo import DEMO_UNIT
from zi_tracker.devtools.demo_evidence import demo_evidence_create


class Command(BaseCommand):
    help = (
        "Mengisi rencana aksi demo (kpu-banyumas 2024) dengan contoh bukti: campuran "
        "disetujui, menunggu review, dikembalikan dan belum dikirim. Hanya untuk mode "
        "pengembangan; berkas yang dibuat bertanda DEMO."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", default=DEMO_UNIT)
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rencana = RencanaAksi.objects.get(
                satuan_kerja__slug=options["unit"], tahun=options["year"]
            )
        except RencanaAksi.DoesNotExist:
            raise CommandError(
                f"Rencana aksi {options['unit']} {options['year']} tidak ditemukan."
            ) from None
        try:
            counts = demo_evidence_create(rencana=rencana)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if not counts:
            self.stdout.write("Rencana aksi ini sudah berisi bukti; bukti demo tidak ditambahkan.")
            return
        self.stdout.write(
            "Bukti demo dibuat: "
            f"{counts['approved']} disetujui, {counts['fixed']} dikembalikan lalu disetujui, "
            f"{counts['returned']} dikembalikan, {counts['waiting']} menunggu review, "
            f"{counts['missing']} belum dikirim."
        )
