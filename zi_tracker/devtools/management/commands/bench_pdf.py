"""Benchmark of the official PDF: how long the Lampiran takes for the 2024 plan and for a
plan ten times its size, beside the floor (WeasyPrint alone on the same HTML), and how
fast an unchanged plan comes from the cache. Prints a table and JSON."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from actionplan.documents.pdf import lampiran_html, lampiran_pdf, render_pdf
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    RencanaAksi,
    SatuanKerja,
    Slot,
    TimKerja,
)


class Rollback(Exception):
    pass


def _timed(fn: Callable[..., object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _scaled_copy(source: RencanaAksi, factor: int) -> RencanaAksi:
    """A plan with ``factor`` times the source's komponen (each area repeated), for the
    duration of the benchmark's transaction."""
    unit = SatuanKerja.objects.create(nama="Unit benchmark", slug="bench-pdf-unit")
    teams = {
        t.nama: TimKerja.objects.create(satuan_kerja=unit, nama=t.nama, urutan=t.urutan)
        for t in TimKerja.objects.filter(satuan_kerja=source.satuan_kerja)
    }
    copy = RencanaAksi.objects.get(pk=source.pk)
    copy.pk, copy.satuan_kerja = None, unit
    copy.save()
    steps = list(LangkahAksi.objects.of_plan(source).in_document_order())
    areas = {}
    for langkah in steps:
        komponen = langkah.indikator.komponen
        area = komponen.area
        if area.nomor not in areas:
            areas[area.nomor] = AreaPerubahan.objects.create(
                rencana=copy, nomor=area.nomor, nama=area.nama
            )
        for round_ in range(factor):
            new_komponen, _ = Komponen.objects.get_or_create(
                area=areas[area.nomor],
                nomor=komponen.nomor + round_ * 100,
                defaults={"nama": komponen.nama},
            )
            indikator, _ = Indikator.objects.get_or_create(
                komponen=new_komponen,
                urutan=langkah.indikator.urutan,
                defaults={"teks": langkah.indikator.teks},
            )
            new = LangkahAksi.objects.create(
                indikator=indikator,
                urutan=langkah.urutan,
                teks=langkah.teks,
                tim=teams[langkah.tim.nama],
            )
            BuktiFisik.objects.bulk_create(
                BuktiFisik(langkah_aksi=new, urutan=b.urutan, teks=b.teks)
                for b in langkah.bukti_fisik.all()
            )
            Slot.objects.bulk_create(Slot(langkah_aksi=new, bulan=b) for b in langkah.bulan)
    return copy


class Command(BaseCommand):
    help = "Mengukur waktu pembuatan PDF lampiran (dan rasio terhadap WeasyPrint saja)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", default="kpu-banyumas")
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--factor", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = RencanaAksi.objects.get(
                satuan_kerja__slug=options["unit"], tahun=options["year"]
            )
        except RencanaAksi.DoesNotExist:
            raise CommandError(
                f"Rencana aksi {options['unit']} {options['year']} tidak ditemukan; "
                "jalankan dulu: python manage.py loaddata banyumas_2024"
            ) from None
        repeat = options["repeat"]
        results = []
        try:
            with transaction.atomic():
                plans = [("2024 plan", source), (f"{options['factor']}x plan", None)]
                for label, plan in plans:
                    plan = plan or _scaled_copy(source, options["factor"])
                    steps = LangkahAksi.objects.of_plan(plan).count()
                    html = lampiran_html(plan)
                    render_pdf(html)  # warm up fonts and imports
                    floor = _timed(lambda html=html: render_pdf(html), repeat)
                    full = _timed(lambda plan=plan: render_pdf(lampiran_html(plan)), repeat)
                    cache.clear()
                    lampiran_pdf(plan)
                    cached = _timed(lambda plan=plan: lampiran_pdf(plan), repeat)
                    results.append(
                        {
                            "plan": label,
                            "steps": steps,
                            "floor_weasyprint_median_s": round(statistics.median(floor), 3),
                            "pdf_median_s": round(statistics.median(full), 3),
                            "pdf_p95_s": round(max(full), 3),
                            "ratio_to_floor": round(
                                statistics.median(full) / statistics.median(floor), 2
                            ),
                            "cached_median_s": round(statistics.median(cached), 4),
                        }
                    )
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"{'plan':<12} {'steps':>6} {'floor s':>9} {'pdf s':>8} {'p95 s':>8} "
            f"{'ratio':>6} {'cached s':>9}"
        )
        for r in results:
            self.stdout.write(
                f"{r['plan']:<12} {r['steps']:>6} {r['floor_weasyprint_median_s']:>9} "
                f"{r['pdf_median_s']:>8} {r['pdf_p95_s']:>8} {r['ratio_to_floor']:>6} "
                f"{r['cached_median_s']:>9}"
            )
        self.stdout.write(json.dumps({"repeat": repeat, "results": results}))
