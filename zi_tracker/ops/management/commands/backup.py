"""``python manage.py backup -o FILE``: the database and every evidence file in one
archive (see zi_tracker/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zi_tracker.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Mencadangkan seluruh isi basis data dan semua berkas bukti ke satu arsip .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="berkas arsip tujuan")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Cadangan ditulis ke {result.path}: {result.rows} baris data, {result.files} "
            f"berkas bukti ({result.bytes / 1_048_576:.1f} MB), {result.seconds:.1f} s."
        )
