"""``python manage.py loadtest``: simulated users against gunicorn on 127.0.0.1 (see
zi_tracker/devtools/loadtest.py), against this process's database, caches (ZI_CACHE_URL)
and evidence store (ZI_EVIDENCE_STORAGE, or ``--s3`` for a local S3 server). Exit status 1
when a request failed with 5xx or an accepted upload is not accounted for."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

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
        parser.add_argument("--workers", type=int, default=2, help="proses gunicorn per instans")
        parser.add_argument("--threads", type=int, default=4, help="thread per proses")
        parser.add_argument(
            "--instances",
            type=int,
            default=1,
            help="instans gunicorn di belakang proxy (koneksi tersedikit) (bawaan 1, tanpa proxy)",
        )
        parser.add_argument(
            "--kill-instance-at",
            type=float,
            metavar="DETIK",
            help="matikan paksa (SIGKILL) instans terakhir pada detik ini (uji gangguan)",
        )
        parser.add_argument(
            "--s3",
            action="store_true",
            help="bukti ke server S3 lokal (moto) yang dimulai untuk uji ini",
        )
        parser.add_argument(
            "--restart-postgres-at",
            type=float,
            metavar="DETIK",
            help="mulai ulang PostgreSQL lokal pada detik ini (uji gangguan)",
        )
        parser.add_argument(
            "--busy-cores",
            type=int,
            default=0,
            metavar="N",
            help="N proses yang hanya memakai CPU selama uji, seperti mesin bersama yang sibuk",
        )
        parser.add_argument("--json", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        from zi_tracker.devtools import loadtest

        if not settings.DEBUG:
            raise CommandError("Uji beban hanya untuk mode pengembangan (DJANGO_DEBUG=true).")
        if not 1 <= options["users"] <= 500 or not 1 <= options["seconds"] <= 900:
            raise CommandError("--users harus 1 sampai 500 dan --seconds 1 sampai 900.")
        restart, kill = options["restart_postgres_at"], options["kill_instance_at"]
        if restart is not None and (
            connection.vendor != "postgresql" or restart >= options["seconds"]
        ):
            raise CommandError(
                "--restart-postgres-at hanya untuk PostgreSQL lokal, "
                "dan harus kurang dari --seconds."
            )
        if not 1 <= options["instances"] <= 8:
            raise CommandError("--instances harus 1 sampai 8.")
        if not 0 <= options["busy_cores"] <= 16:
            raise CommandError("--busy-cores harus 0 sampai 16.")
        if kill is not None and (options["instances"] < 2 or not 0 < kill < options["seconds"]):
            raise CommandError(
                "--kill-instance-at perlu --instances 2 atau lebih, dan harus di antara 0 "
                "dan --seconds."
            )
        have = SatuanKerja.objects.filter(slug__startswith=f"{PREFIX}-kab-").count()
        if have < options["units"]:
            if have:
                raise CommandError(f"Data uji hanya punya {have} satuan kerja; kurangi --units.")
            from zi_tracker.devtools.scale import generate

            self.stderr.write(f"Membuat data uji {options['units']} satuan kerja…")
            generate(units=options["units"], years=1)
        with ExitStack() as stack:
            if options["s3"]:
                stack.enter_context(self._s3())
            report = self._run(options, loadtest.Faults(restart, kill))
        self._print(report)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(report, out, indent=2)
        self._judge(report, faulty=restart is not None or kill is not None)

    def _s3(self) -> ExitStack:
        """A local S3 server (moto, its own process) as the evidence store for the run."""
        from zi_tracker.devtools.s3server import S3ServerUnavailable, moto_s3_process

        stack = ExitStack()
        try:
            env = stack.enter_context(moto_s3_process())
        except S3ServerUnavailable as exc:
            raise CommandError(str(exc)) from None
        aws = {name: value for name, value in env.items() if name.startswith("AWS_")}
        stack.enter_context(
            override_settings(
                **aws, STORAGES={**settings.STORAGES, "evidence": settings.EVIDENCE_STORAGES["s3"]}
            )
        )
        return stack

    def _run(self, options: dict[str, Any], faults: Any) -> dict:
        from zi_tracker.devtools import loadtest

        store = str(settings.STORAGES["evidence"]["BACKEND"]).rsplit(".", 1)[-1]
        cache = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
        self.stderr.write(
            f"{options['users']} pengguna selama {options['seconds']:g} s terhadap "
            f"{options['instances']} instans gunicorn ({options['workers']} proses × "
            f"{options['threads']} thread; {connection.vendor}, {cache}, {store})"
            + (
                f", {options['busy_cores']} proses sibuk memakai CPU di sampingnya"
                if options["busy_cores"]
                else ""
            )
            + "…"
        )
        return loadtest.run(
            users=options["users"],
            seconds=options["seconds"],
            units=options["units"],
            workers=options["workers"],
            threads=options["threads"],
            instances=options["instances"],
            faults=faults,
            busy=options["busy_cores"],
        )

    def _judge(self, report: dict, *, faulty: bool) -> None:
        """Raise CommandError (exit status 1) when a target is missed."""
        total = report["total"]
        problems = []
        if not faulty and total["errors_5xx"]:
            problems.append(f"{total['errors_5xx']} respons 5xx")
        if not faulty and total["failed_connections"]:
            problems.append(f"{total['failed_connections']} koneksi gagal")
        accepted, records = report["uploads_accepted"], report["new_records"]
        # An upload cut off by a fault may have been committed just before: it then has
        # its record and file although its user never saw the answer.
        if not accepted <= records <= accepted + report["uploads_interrupted"]:
            problems.append(f"{accepted} unggahan diterima tetapi {records} catatan baru")
        if report["files_bad"]:
            problems.append(f"{len(report['files_bad'])} berkas hilang atau tidak cocok")
        if len(report["orphans"]) > report["uploads_interrupted"]:
            problems.append(f"{len(report['orphans'])} berkas tanpa catatan")
        if report["health_after"] != 200:
            problems.append("aplikasi tidak menjawab setelah uji")
        if faulty and total["errors_500"]:
            problems.append(f"{total['errors_500']} respons 500 (seharusnya 503 atau 502)")
        if problems:
            raise CommandError("Target tidak tercapai: " + "; ".join(problems) + ".")
        if not faulty:
            self.stdout.write(
                "Target tercapai: tidak ada 5xx, setiap unggahan tercatat dengan berkasnya."
            )
        else:
            self.stdout.write(
                f"Pulih tanpa memulai ulang aplikasi: {total['errors_5xx']} respons 5xx dan "
                f"{total['failed_connections']} koneksi terputus selama gangguan, tidak ada "
                "500, setiap unggahan yang diterima tercatat dengan berkasnya."
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
        cpu = r["cpu"]
        self.stdout.write(
            f"CPU: gunicorn {cpu['app_cores']} core, mesin {cpu['machine_cores_busy']} dari "
            f"{cpu['machine_cores']} core; gunicorn {cpu['app_cpu_ms_per_request']} ms CPU "
            "per permintaan."
        )
        self.stdout.write(
            "p95 per 10 s (ms): "
            + ", ".join(f"{w['from_s']}–{w['from_s'] + 10} s: {w['p95_ms']}" for w in r["timeline"])
        )
        self.stdout.write(
            f"Unggahan diterima {r['uploads_accepted']}, ditolak dengan pesan "
            f"{r['uploads_refused']}, terputus {r['uploads_interrupted']}; review "
            f"{r['reviews_done']}. Catatan baru {r['new_records']}, berkas baru "
            f"{r['files_written']}, berkas hilang atau tidak cocok {len(r['files_bad'])}, "
            f"berkas tanpa catatan {len(r['orphans'])}."
        )
        for message, times in r["refusals"].items():
            self.stdout.write(f"  ditolak {times}×: {message}")
        if r["proxy"]["served"]:
            self.stdout.write(
                f"Proxy: koneksi per instans {r['proxy']['served']}, "
                f"ditolak instans {r['proxy']['refused']}."
            )
        for key, what in (
            ("postgres_restart", "PostgreSQL dimulai ulang"),
            ("instance_killed", "Satu instans dimatikan paksa"),
        ):
            if key in r:
                start, end = r[key]
                self.stdout.write(f"{what} pada detik {start:.1f}–{end:.1f}.")
        self.stdout.write(f"/sehat/ setelahnya: {r['health_after']}.")
