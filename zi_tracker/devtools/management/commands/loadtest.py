"""``python manage.py loadtest``: simulated users against gunicorn on 127.0.0.1 (see
zi_tracker/loadtest.py). Exit status 1 when a request failed with 5xx or an accepted
upload is not accounted for."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from actionplan.models import SatuanKerja
from zi_tracker.devtools.scale import PREFIX


class Command(BaseCommand):
    help = (
        "Uji beban: pengguna simulasi (pimpinan, anggota, reviewer) terhadap gunicorn di "
        "127.0.0.1 selama waktu tertentu; melaporkan throughput, median, p95 dan galat, "
        "lalu memeriksa setiap unggahan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--units", type=int, default=10, help="satuan kerja yang dipakai")
        parser.add_argument("--workers", type=int, default=3, help="proses gunicorn")
        parser.add_argument("--threads", type=int, default=8, help="thread per proses")
        parser.add_argument(
            "--restart-postgres-at",
            type=float,
            metavar="DETIK",
            help="mulai ulang PostgreSQL lokal pada detik ini (uji gangguan)",
        )
        parser.add_argument("--json", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        from zi_tracker.devtools import loadtest

        if not settings.DEBUG:
            raise CommandError("Uji beban hanya untuk mode pengembangan (DJANGO_DEBUG=true).")
        if not 1 <= options["users"] <= 500 or not 1 <= options["seconds"] <= 900:
            raise CommandError("--users harus 1 sampai 500 dan --seconds 1 sampai 900.")
        restart = options["restart_postgres_at"]
        if restart is not None and (
            connection.vendor != "postgresql" or restart >= options["seconds"]
        ):
            raise CommandError(
                "--restart-postgres-at hanya untuk PostgreSQL lokal, "
                "dan harus kurang dari --seconds."
            )
        have = SatuanKerja.objects.filter(slug__startswith=f"{PREFIX}-kab-").count()
        if have < options["units"]:
            if have:
                raise CommandError(f"Data uji hanya punya {have} satuan kerja; kurangi --units.")
            from zi_tracker.devtools.scale import generate

            self.stderr.write(f"Membuat data uji {options['units']} satuan kerja…")
            generate(units=options["units"], years=1)
        self.stderr.write(
            f"{options['users']} pengguna selama {options['seconds']:g} s terhadap gunicorn "
            f"({options['workers']} proses × {options['threads']} thread, {connection.vendor})…"
        )
        report = loadtest.run(
            users=options["users"],
            seconds=options["seconds"],
            units=options["units"],
            workers=options["workers"],
            threads=options["threads"],
            restart_postgres_at=restart,
        )
        self._print(report)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(report, out, indent=2)
        problems = []
        if restart is None and report["total"]["errors_5xx"]:
            problems.append(f"{report['total']['errors_5xx']} respons 5xx")
        if report["total"]["failed_connections"] and restart is None:
            problems.append(f"{report['total']['failed_connections']} koneksi gagal")
        if report["new_records"] != report["uploads_accepted"]:
            problems.append(
                f"{report['uploads_accepted']} unggahan diterima tetapi "
                f"{report['new_records']} catatan baru"
            )
        if report["files_bad"] or report["store_missing"] or report["store_orphans"]:
            problems.append("berkas tidak cocok dengan catatan (jalankan verify_storage)")
        if report["health_after"] != 200:
            problems.append("aplikasi tidak menjawab setelah uji")
        if restart is not None and report["total"]["errors_500"]:
            problems.append(
                f"{report['total']['errors_500']} respons 500 (seharusnya 503) saat "
                "PostgreSQL dimulai ulang"
            )
        if problems:
            raise CommandError("Target tidak tercapai: " + "; ".join(problems) + ".")
        if restart is None:
            self.stdout.write(
                "Target tercapai: tidak ada 5xx, setiap unggahan tercatat dengan berkasnya."
            )
        else:
            self.stdout.write(
                "Pulih tanpa memulai ulang aplikasi: "
                f"{report['total']['errors_5xx']} respons 503 selama PostgreSQL dimulai "
                "ulang, tidak ada 500, setiap unggahan tercatat dengan berkasnya."
            )

    def _print(self, r: dict) -> None:
        self.stdout.write(
            f"\n{r['total']['requests']} permintaan dalam {r['seconds']} s: "
            f"{r['throughput_rps']} permintaan/s"
        )
        header = (
            f"{'aksi':<18} {'jumlah':>7} {'median ms':>10} {'p95 ms':>9} {'5xx':>5} {'putus':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, s in [*r["actions"].items(), ("SEMUA", r["total"])]:
            self.stdout.write(
                f"{name:<18} {s['requests']:>7} {s['median_ms'] or 0:>10} {s['p95_ms'] or 0:>9} "
                f"{s['errors_5xx']:>5} {s['failed_connections']:>6}"
            )
        self.stdout.write(
            f"Unggahan diterima {r['uploads_accepted']}, ditolak dengan pesan "
            f"{r['uploads_refused']}; review {r['reviews_done']}. Catatan baru "
            f"{r['new_records']}, berkas baru {r['new_files']}, berkas tidak cocok "
            f"{len(r['files_bad'])}; penyimpanan: {r['store_missing']} hilang, "
            f"{len(r['store_orphans'])} yatim."
        )
        for message, times in r["refusals"].items():
            self.stdout.write(f"  ditolak {times}×: {message}")
        if r["postgres_restart"]:
            start, end = r["postgres_restart"]
            self.stdout.write(
                f"PostgreSQL dimulai ulang pada detik {start:.1f}–{end:.1f}; "
                f"/sehat/ setelahnya: {r['health_after']}."
            )
