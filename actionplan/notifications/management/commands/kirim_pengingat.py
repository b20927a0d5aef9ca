"""``python manage.py kirim_pengingat [--tanggal YYYY-MM-DD]``: the day's reminders as of
that date, queued and delivered before it exits; safe to run any number of times."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from actionplan.notifications.enums import Jenis
from actionplan.notifications.kirim import kirim_tertunda
from actionplan.notifications.pengingat import hitung


def _tanggal(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Tanggal {raw!r} tidak sah; tulis seperti 2024-06-25.") from None


class Command(BaseCommand):
    help = (
        "Menghitung pengingat hari itu (bawaan: hari ini), mencatatnya sekali saja, dan "
        "mengirim e-mail/WhatsApp yang menunggu. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tanggal", metavar="YYYY-MM-DD", help="hitung per tanggal ini")
        parser.add_argument(
            "--tanpa-kirim", action="store_true", help="hanya mencatat, tidak mengirim"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hari = _tanggal(options["tanggal"]) if options["tanggal"] else timezone.localdate()
        hasil = hitung(hari)
        labels = dict(Jenis.choices)
        self.stdout.write(f"Pengingat {hari.isoformat()}: {hasil.jumlah} notifikasi baru.")
        for jenis, jumlah in sorted(hasil.notifikasi.items()):
            self.stdout.write(f"  {labels[jenis]}: {jumlah}")
        self.stdout.write(f"E-mail ringkasan harian diantrekan: {hasil.email}.")
        if options["tanpa_kirim"]:
            return
        laporan = kirim_tertunda()
        self.stdout.write(
            f"Terkirim: {laporan.terkirim}; ditunda (dicoba lagi nanti): {laporan.ditunda}; "
            f"gagal: {laporan.gagal}."
        )
        for line in laporan.galat[:20]:
            self.stderr.write(f"  {line}")
