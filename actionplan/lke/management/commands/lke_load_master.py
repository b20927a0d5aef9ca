"""``python manage.py lke_load_master FILE``: load PortalRB's master of LKE questions
(the JSON its master endpoint returns) for the year the file names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.lke.master import MasterTidakSah, master_load

BAWAAN = Path(__file__).resolve().parents[4] / "fixtures" / "lke" / "master_soal_lkezi_2026.json"


class Command(BaseCommand):
    help = "Memuat master soal LKE ZI dari berkas JSON PortalRB (semua atau tidak sama sekali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(BAWAAN),
            help=f"berkas JSON master PortalRB (bawaan: {BAWAAN.relative_to(BAWAAN.parents[2])})",
        )
        parser.add_argument("--sumber", default="", help="keterangan sumber berkas")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Berkas {path} tidak ditemukan.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise CommandError(f"Berkas {path} bukan JSON yang sah: {e}") from None
        sumber = options["sumber"] or f"PortalRB KemenPAN-RB, master soal LKE ZI ({path.name})"
        try:
            master = master_load(data=data, sumber=sumber)
        except MasterTidakSah as e:
            raise CommandError(f"Master tidak dimuat: {e}") from None
        self.stdout.write(
            f"Master LKE {master.tahun} dimuat: {master.soal.count()} soal, "
            f"{master.node.count()} node (sumber: {master.sumber})."
        )
