"""``python manage.py lke_score --unit SLUG --year YEAR [--tpi] --json``: a unit's LKE
score and verdict, computed from the unit's (or with --tpi the TPI's) answers."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.lke import selectors
from actionplan.lke.enums import Pihak
from actionplan.lke.models import PenilaianLke


class Command(BaseCommand):
    help = "Menghitung nilai LKE satu satuan kerja dan tahun (jawaban unit, atau TPI dengan --tpi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="slug satuan kerja")
        parser.add_argument("--year", type=int, required=True, help="tahun evaluasi")
        parser.add_argument("--tpi", action="store_true", help="nilai jawaban TPI")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

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
        pihak = Pihak.TPI if options["tpi"] else Pihak.UNIT
        hasil = selectors.nilai(penilaian, pihak, cached=False)
        data = hasil.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"LKE {penilaian.satuan_kerja.nama} {penilaian.tahun} ({Pihak(pihak).label})\n"
            f"  total {data['total']:.2f}  pengungkit {data['pengungkit']:.2f} "
            f"(pemenuhan {data['pemenuhan']:.2f}, reform {data['reform']:.2f})  "
            f"hasil {data['hasil']:.2f}"
        )
        for nama, v in data["predikat"].items():
            self.stdout.write(f"  {nama}: {'memenuhi' if v['memenuhi'] else 'belum memenuhi'}")
            for k in v["kriteria"]:
                mark = "ya " if k["memenuhi"] else "tidak"
                self.stdout.write(
                    f"    [{mark}] {k['nama']}: {k['nilai']:.2f} (batas {k['batas']:g})"
                )
