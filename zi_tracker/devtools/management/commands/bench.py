"""``python manage.py bench``: how fast the main pages are on a national-scale data set,
each beside a floor measured in the same run. See actionplan/bench.py for the method."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from actionplan import revisions
from actionplan.models import SLOT_TO_RENCANA, RencanaAksi, SatuanKerja, Slot
from evidence.enums import StatusBukti
from zi_tracker.devtools import bench
from zi_tracker.devtools.scale import PREFIX


def _vendor() -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
        connection.vendor, connection.vendor
    )


class Command(BaseCommand):
    help = (
        "Mengukur kecepatan halaman utama pada data berskala nasional (dibuat bila belum "
        "ada): median, p95, jumlah kueri dan rasio terhadap halaman dasar (floor)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=514, help="satuan kerja data uji")
        parser.add_argument("--runs", type=int, default=30, help="pengulangan per halaman")
        parser.add_argument(
            "--database-url",
            action="append",
            default=[],
            metavar="URL",
            help="ukur basis data ini (boleh berulang; mis. sqlite:///var/bench.sqlite3 "
            "dan postgres://…); tanpa opsi ini: basis data yang dikonfigurasi",
        )
        parser.add_argument("--json", metavar="FILE", help="tulis hasil JSON ke berkas ini")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Benchmark hanya untuk mode pengembangan (DJANGO_DEBUG=true).")
        if options["runs"] < 3:
            raise CommandError("--runs minimal 3.")
        if options["database_url"]:
            reports = [self._in_subprocess(url, options) for url in options["database_url"]]
        else:
            reports = [self._run(options)]
        for report in reports:
            self._print(report)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(reports, out, indent=2)
            self.stdout.write(f"JSON ditulis ke {options['json']}.")
        else:
            self.stdout.write(json.dumps(reports))

    # -- one database per process (settings are fixed per process) ------------------------

    def _in_subprocess(self, url: str, options: dict) -> dict:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            target = out.name
        command = [
            sys.executable,
            os.path.join(settings.BASE_DIR, "manage.py"),
            "bench",
            f"--units={options['units']}",
            f"--runs={options['runs']}",
            f"--json={target}",
        ]
        env = {**os.environ, "DATABASE_URL": url}
        self.stderr.write(f"== {url.split('@')[-1]} ==")
        try:
            completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL)
            if completed.returncode != 0:
                raise CommandError(f"Benchmark pada {url} gagal (kode {completed.returncode}).")
            with open(target, encoding="utf-8") as handle:
                return json.load(handle)[0]
        finally:
            os.unlink(target)

    def _ensure_data(self, units: int) -> dict:
        from django.core.management import call_command

        from zi_tracker.devtools.scale import generate

        if SatuanKerja._meta.db_table not in connection.introspection.table_names():
            call_command("migrate", verbosity=0)
        have = SatuanKerja.objects.filter(slug__startswith=f"{PREFIX}-kab-").count()
        if have:
            return {"units": have, "generated_s": None}
        self.stderr.write(f"Membuat data uji {units} satuan kerja…")
        start = time.perf_counter()
        generate(units=units, years=2)
        if connection.vendor in ("postgresql", "sqlite"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return {"units": units, "generated_s": round(time.perf_counter() - start, 1)}

    # -- the measurements -------------------------------------------------------------

    def _portalrb(self, year: int) -> tuple[str, str]:
        """The national office as the agency proposing every unit below it for WBK this
        year (552 at national scale); a fresh token; a unit whose LKE the TPI has
        evaluated. Returns (the token, that unit's slug)."""
        from actionplan.lke.enums import StatusPenilaian
        from actionplan.lke.models import PenilaianLke
        from actionplan.portalrb import selectors as prb_selectors
        from actionplan.portalrb import services as prb
        from actionplan.portalrb.enums import Kategori
        from actionplan.portalrb.models import UnitDiusulkan

        agency = SatuanKerja.objects.get(slug=f"{PREFIX}-kpu-ri")
        usulan = prb.usulan_get_or_create(instansi=agency, tahun=year)
        if not UnitDiusulkan.objects.filter(usulan=usulan).exists():
            UnitDiusulkan.objects.bulk_create(
                UnitDiusulkan(usulan=usulan, satuan_kerja=unit, kategori=Kategori.WBK)
                for unit in prb_selectors.agency_units(agency).exclude(pk=agency.pk)
            )
        _, token = prb.token_buat(instansi=agency, nama="bench", by=None)
        generated = PenilaianLke.objects.filter(
            tahun=year, satuan_kerja__slug__startswith=f"{PREFIX}-kab-"
        ).order_by(
            # An assessment the TPI has evaluated first; else the first one, marked so
            # (generated data: the API serves evaluated answers only).
            models.Case(
                models.When(
                    status__in=[StatusPenilaian.DIEVALUASI, StatusPenilaian.FINAL],
                    then=models.Value(0),
                ),
                default=models.Value(1),
            ),
            "satuan_kerja__slug",
        )
        chosen = generated.select_related("satuan_kerja").first()
        if chosen is None:
            raise CommandError("Tidak ada LKE satuan kerja hasil generate untuk uji PortalRB.")
        if chosen.status not in (StatusPenilaian.DIEVALUASI, StatusPenilaian.FINAL):
            PenilaianLke.objects.filter(pk=chosen.pk).update(status=StatusPenilaian.DIEVALUASI)
        evaluated = chosen.satuan_kerja.slug
        return f"Bearer {token}", evaluated

    def _reminders(self, year: int) -> dict:
        """The daily reminder run (``kirim_pengingat`` without delivery) for every unit,
        timed three times on a day late in a month, each rolled back."""
        import datetime

        from django.db import transaction

        from actionplan.notifications import pengingat

        day = datetime.date(year, timezone.localdate().month, 25)
        samples = []
        queries = 0
        for _ in range(3):
            with transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    hasil = pengingat.hitung(day)
                    samples.append(time.perf_counter() - start)
                queries = len(captured)
                transaction.set_rollback(True)
        return {
            "name": "pengingat harian (semua unit)",
            "median_ms": round(sorted(samples)[1] * 1000, 2),
            "queries": queries,
            "notifikasi": hasil.jumlah,
            "email": hasil.email,
        }

    @override_settings(
        ROOT_URLCONF="zi_tracker.devtools.bench", DEBUG=False, ZI_PORTALRB_PER_MENIT=10**9
    )
    def _run(self, options: dict) -> dict:
        data = self._ensure_data(options["units"])
        runs = options["runs"]
        User = get_user_model()
        year = timezone.localdate().year
        unit = SatuanKerja.objects.get(slug=f"{PREFIX}-kab-001")
        plan = RencanaAksi.objects.get(satuan_kerja=unit, tahun=year)
        province = unit.induk
        assert province is not None  # the generated kabupaten sit under a province
        users = {
            kind: User.objects.get(username=f"{PREFIX}-{kind}")
            for kind in (
                f"admin-{unit.slug}",
                f"pimpinan-{unit.slug}",
                f"tpi-{unit.slug}",
                f"anggota1-{unit.slug}",
                f"pimpinan-{province.slug}",
                f"admin-{PREFIX}-kpu-ri",
                f"pimpinan-{PREFIX}-kpu-ri",
            )
        }
        driver = bench.Driver()
        sessions = {kind: driver.session_for(user) for kind, user in users.items()}
        member = users[f"anggota1-{unit.slug}"]
        langkah_id = (
            Slot.objects.of_plan(plan)
            .filter(langkah_aksi__tim__anggota=member)
            .order_by("bulan", "pk")
            .values_list("langkah_aksi_id", flat=True)
            .first()
        )
        # The uploads need a month not yet approved; load tests approve many, so it is
        # looked for in every generated plan of the year, with a member of its team.
        target = (
            Slot.objects.of_year(year)
            .filter(
                **{f"{SLOT_TO_RENCANA}__satuan_kerja__slug__startswith": f"{PREFIX}-kab-"},
                langkah_aksi__tim__anggota__isnull=False,
            )
            .exclude(bukti__status=StatusBukti.DISETUJUI)
            .select_related("langkah_aksi__tim")
            .order_by("pk")
            .first()
        )
        if target is None or langkah_id is None:
            raise CommandError("Tidak ada slot tanpa bukti disetujui untuk uji unggah.")
        first_member = target.langkah_aksi.tim.anggota.order_by("pk").first()
        assert first_member is not None  # the target's team has members (filtered above)
        uploader = driver.session_for(first_member)

        # The LKE: the unit's assessment of the year, as its admin (who answers) sees it,
        # and the national roll-up of every unit's score, as the national admin sees it.
        lke_unit = reverse("lke-penilaian", args=[unit.slug, year])
        lke_rekap = reverse("lke-rekap", args=[year])
        # PortalRB's pull API as PortalRB calls it: the national list of proposed units,
        # and one unit's answers.
        token, evaluated = self._portalrb(year)
        sessions["portalrb"] = token
        pages = [
            ("floor", "/__bench__/floor/", f"pimpinan-{unit.slug}", {}),
            ("dasbor unit", f"/rencana/{plan.pk}/dasbor/", f"pimpinan-{unit.slug}", {}),
            ("rekap provinsi", "/rekap/", f"pimpinan-{province.slug}", {}),
            ("rekap nasional", "/rekap/", f"pimpinan-{PREFIX}-kpu-ri", {}),
            (
                "rekap nasional, terburuk",
                "/rekap/?urut=terburuk",
                f"pimpinan-{PREFIX}-kpu-ri",
                {},
            ),
            ("tugas saya", "/tugas/", f"anggota1-{unit.slug}", {}),
            ("antrean review", "/review/", f"tpi-{unit.slug}", {}),
            ("halaman langkah", f"/langkah/{langkah_id}/", f"anggota1-{unit.slug}", {}),
            ("LKE unit", lke_unit, f"admin-{unit.slug}", {}),
            ("rekap LKE nasional", lke_rekap, f"admin-{PREFIX}-kpu-ri", {}),
            ("PortalRB unit-wbk", reverse("portalrb-api-wbk"), "portalrb", {}),
            (
                "PortalRB jawaban unit",
                reverse("portalrb-api-jawaban", args=[evaluated]),
                "portalrb",
                {},
            ),
            (
                # A change of the plan's evidence raises its revision: the body is
                # computed again (the trend's ended months stay cached).
                "dasbor unit, setelah perubahan",
                f"/rencana/{plan.pk}/dasbor/",
                f"pimpinan-{unit.slug}",
                {
                    "runs": runs,
                    "warmup": 3,
                    "before_each": lambda: revisions.bump(evidence_only=True, pk=plan.pk),
                },
            ),
            (
                "dasbor unit, tanpa cache",
                f"/rencana/{plan.pk}/dasbor/",
                f"pimpinan-{unit.slug}",
                {"runs": max(3, runs // 3), "warmup": 1, "before_each": bench.clear_caches},
            ),
            (
                "rekap nasional, tanpa cache",
                "/rekap/",
                f"pimpinan-{PREFIX}-kpu-ri",
                {"runs": max(3, runs // 6), "warmup": 1, "before_each": bench.clear_caches},
            ),
            (
                "LKE unit, tanpa cache",
                lke_unit,
                f"admin-{unit.slug}",
                {"runs": max(3, runs // 3), "warmup": 1, "before_each": bench.clear_caches},
            ),
            (
                "rekap LKE, tanpa cache",
                lke_rekap,
                f"admin-{PREFIX}-kpu-ri",
                {"runs": max(3, runs // 6), "warmup": 1, "before_each": bench.clear_caches},
            ),
            (
                "lampiran PDF (render)",
                f"/rencana/{plan.pk}/unduh/lampiran/",
                f"pimpinan-{unit.slug}",
                {"runs": max(3, runs // 6), "warmup": 1, "before_each": bench.clear_caches},
            ),
            (
                "lampiran PDF (cache)",
                f"/rencana/{plan.pk}/unduh/lampiran/",
                f"pimpinan-{unit.slug}",
                {},
            ),
            ("ekspor XLSX", f"/rencana/{plan.pk}/unduh/excel/", f"pimpinan-{unit.slug}", {}),
        ]
        results = []
        try:
            self.stderr.write("  halaman (bergiliran)…")
            results += bench.measure_interleaved(
                driver,
                [(name, url, sessions[who]) for name, url, who, extra in pages if not extra],
                runs=runs,
            )
            for name, url, who, extra in pages:
                if extra:
                    self.stderr.write(f"  {name}…")
                    kwargs = {"runs": runs, **extra}
                    results.append(bench.measure(driver, name, url, sessions[who], **kwargs))
            for size in (2_000_000, 20_000_000):
                samples = [
                    bench.upload(driver, uploader, target.langkah_aksi_id, target.bulan, size)
                    for _ in range(min(5, runs))
                ]
                samples.sort(key=lambda r: r.median_ms)
                median = samples[len(samples) // 2]
                median.runs = len(samples)
                median.p95_ms = samples[-1].median_ms
                median.extra["peak_alloc_mb"] = max(s.extra["peak_alloc_mb"] for s in samples)
                results.append(median)
            self.stderr.write("  pengingat harian…")
            reminders = self._reminders(year)
        finally:
            driver.close()
        floor = results[0].median_ms
        for result in results:
            result.ratio = round(result.median_ms / floor, 2) if floor else None
            if result.status not in (200, 302):
                raise CommandError(f"{result.name}: HTTP {result.status} ({result.url}).")
        return {
            "database": _vendor(),
            "units": data["units"],
            "plans": RencanaAksi.objects.count(),
            "slots": Slot.objects.count(),
            "generated_s": data["generated_s"],
            "runs": runs,
            "results": [bench.as_dict(r) for r in results],
            "reminders": {
                **reminders,
                "ratio": round(reminders["median_ms"] / floor, 1) if floor else None,
            },
        }

    def _print(self, report: dict) -> None:
        self.stdout.write(
            f"\n{report['database']}: {report['units']} satuan kerja, {report['plans']} "
            f"rencana, {report['slots']} slot; {report['runs']} pengulangan per halaman"
        )
        header = f"{'halaman':<28} {'median ms':>10} {'p95 ms':>9} {'× floor':>8} {'kueri':>6}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in report["results"]:
            line = (
                f"{r['name']:<28} {r['median_ms']:>10.2f} {r['p95_ms']:>9.2f} "
                f"{r['ratio']:>8.2f} {r['queries']:>6}"
            )
            if "peak_alloc_mb" in r["extra"]:
                line += (
                    f"   puncak alokasi {r['extra']['peak_alloc_mb']} MB, "
                    f"RSS maks {r['extra']['max_rss_mb']} MB"
                )
            self.stdout.write(line)
        rem = report.get("reminders")
        if rem:
            self.stdout.write(
                f"{rem['name']:<28} {rem['median_ms']:>10.2f} {'':>9} {rem['ratio']:>8} "
                f"{rem['queries']:>6}   {rem['notifikasi']} notifikasi, {rem['email']} e-mail"
            )
