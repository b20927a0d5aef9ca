"""``python manage.py verify_storage``: every evidence file record against its file, and
every stored file against the records. Exit status 1 on any problem."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zi_tracker.ops.verify_storage import check_storage, remove_orphans


class Command(BaseCommand):
    help = (
        "Memeriksa setiap catatan berkas bukti terhadap berkasnya (ada, ukuran, SHA-256) "
        "dan mencari berkas yatim; keluar dengan status 1 bila ada masalah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tanpa-hash", action="store_true", help="periksa ukuran saja (lebih cepat)"
        )
        parser.add_argument(
            "--hapus-yatim",
            action="store_true",
            help="hapus berkas yatim yang lebih tua dari --umur-menit",
        )
        parser.add_argument("--umur-menit", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["umur_menit"] < 1:
            raise CommandError("--umur-menit minimal 1.")
        start = time.perf_counter()
        report = check_storage(hashes=not options["tanpa_hash"])
        elapsed = time.perf_counter() - start
        for pk, lokasi in report.missing:
            self.stdout.write(f"HILANG   berkas #{pk}: {lokasi}")
        for pk, lokasi, expected, actual in report.wrong_size:
            self.stdout.write(
                f"UKURAN   berkas #{pk}: {lokasi} ({actual} byte, tercatat {expected})"
            )
        for pk, lokasi in report.wrong_hash:
            self.stdout.write(f"SHA-256  berkas #{pk}: {lokasi} tidak sama dengan catatan")
        for lokasi in report.orphans:
            self.stdout.write(f"YATIM    {lokasi} (tidak tercatat di basis data)")
        if options["hapus_yatim"] and report.orphans:
            removed = remove_orphans(report, older_than_minutes=options["umur_menit"])
            self.stdout.write(f"{len(removed)} berkas yatim dihapus.")
            removed_set = set(removed)
            report.orphans = [o for o in report.orphans if o not in removed_set]
        self.stdout.write(
            f"{report.records} catatan, {report.files} berkas ({report.bytes / 1_048_576:.1f} MB) "
            f"diperiksa dalam {elapsed:.1f} s: {len(report.missing)} hilang, "
            f"{len(report.wrong_size)} ukuran salah, {len(report.wrong_hash)} SHA-256 salah, "
            f"{len(report.orphans)} yatim."
        )
        if not report.ok:
            raise CommandError("Penyimpanan bukti tidak cocok dengan basis data.", returncode=1)
