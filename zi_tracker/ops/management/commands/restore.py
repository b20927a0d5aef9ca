"""``python manage.py restore FILE``: an archive made by ``backup`` into an empty
installation (see zi_tracker/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zi_tracker.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Memulihkan arsip cadangan ke instalasi kosong (basis data dan berkas bukti)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="berkas arsip dari perintah backup")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = restore(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Dipulihkan dari cadangan {result['created']}: {result['rows']} baris data, "
            f"{result['files']} berkas bukti, {result['seconds']:.1f} s."
        )
