"""The sender: delivers the outbox rows whose time has come, each once.

A row is claimed before it is sent (on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``,
so several consumers take different rows; on SQLite a conditional UPDATE from
*menunggu* to *mengirim*), then marked *terkirim*, or put back with its attempts
counted and the next attempt later (exponential back-off, 1 minute doubling up to 6
hours); after eight attempts it is *gagal* and waits for the admin's "kirim ulang".
A row left *mengirim* by a process that died is taken again after 15 minutes.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from actionplan.documents.pdf import laporan_pdf
from actionplan.documents.views import pdf_filename
from actionplan.models import RencanaAksi
from actionplan.notifications.enums import Kanal, StatusKiriman
from actionplan.notifications.models import Kiriman
from actionplan.notifications.services import MAKS_PERCOBAAN
from actionplan.notifications.wa import kirim_wa

log = logging.getLogger(__name__)

MACET = datetime.timedelta(minutes=15)


def jeda(percobaan: int) -> datetime.timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 h."""
    return min(datetime.timedelta(minutes=2 ** (percobaan - 1)), datetime.timedelta(hours=6))


@dataclass
class Laporan:
    terkirim: int = 0
    ditunda: int = 0
    gagal: int = 0
    galat: list[str] = field(default_factory=list)


def _klaim(batas: int, now: datetime.datetime) -> list[Kiriman]:
    Kiriman.objects.filter(status=StatusKiriman.MENGIRIM, diklaim_pada__lt=now - MACET).update(
        status=StatusKiriman.MENUNGGU
    )
    due = Kiriman.objects.filter(status=StatusKiriman.MENUNGGU, coba_lagi_pada__lte=now).order_by(
        "coba_lagi_pada", "pk"
    )
    if connection.vendor == "postgresql":
        with transaction.atomic():
            rows = list(due.select_for_update(skip_locked=True)[:batas])
            Kiriman.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=StatusKiriman.MENGIRIM, diklaim_pada=now
            )
        return rows
    claimed = []
    for row in due[:batas]:
        # Whoever changes the row from menunggu first owns it.
        if Kiriman.objects.filter(pk=row.pk, status=StatusKiriman.MENUNGGU).update(
            status=StatusKiriman.MENGIRIM, diklaim_pada=now
        ):
            claimed.append(row)
    return claimed


class Pengirim:
    """The SMTP connections of one delivery round: the main server and, when it fails,
    the rescue server (settings.ZI_EMAIL_RESCUE_HOST)."""

    def __init__(self) -> None:
        self.utama: BaseEmailBackend | None = None
        self.utama_mati = False
        self.galat_utama: Exception | None = None
        self.cadangan: BaseEmailBackend | None = None

    def _cadangan(self) -> BaseEmailBackend | None:
        if not settings.ZI_EMAIL_RESCUE_HOST:
            return None
        if self.cadangan is None:
            self.cadangan = get_connection(
                "django.core.mail.backends.smtp.EmailBackend",
                host=settings.ZI_EMAIL_RESCUE_HOST,
                port=settings.ZI_EMAIL_RESCUE_PORT,
                username=settings.ZI_EMAIL_RESCUE_USER,
                password=settings.ZI_EMAIL_RESCUE_PASSWORD,
                use_tls=settings.ZI_EMAIL_RESCUE_USE_TLS,
                use_ssl=settings.ZI_EMAIL_RESCUE_USE_SSL,
                timeout=settings.EMAIL_TIMEOUT,
            )
        return self.cadangan

    def email(self, row: Kiriman) -> str:
        message = EmailMultiAlternatives(
            subject=row.subjek,
            body=row.teks,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.tujuan],
            headers={"X-ZI-Kiriman": str(row.pk)},
        )
        if row.html:
            message.attach_alternative(row.html, "text/html")
        for item in row.lampiran:
            plan = RencanaAksi.objects.select_related("satuan_kerja").get(pk=item["laporan"])
            data = laporan_pdf(plan, bulan=item["bulan"])
            message.attach(
                pdf_filename("laporan", plan, "f4", bulan=item["bulan"]), data, "application/pdf"
            )
        error: Exception | None = None
        if not self.utama_mati:
            try:
                if self.utama is None:
                    self.utama = get_connection(fail_silently=False)
                message.connection = self.utama
                message.send()
                return settings.EMAIL_HOST or "console"
            except Exception as exc:
                error = self.galat_utama = exc
                self.utama_mati = True
                self._tutup(self.utama)
                self.utama = None
        rescue = self._cadangan()
        if rescue is None:
            # The main server failed earlier in this round: the same error, not a retry.
            raise error or self.galat_utama or RuntimeError("Server SMTP utama tidak tersedia.")
        message.connection = rescue
        message.send()
        return settings.ZI_EMAIL_RESCUE_HOST

    @staticmethod
    def _tutup(backend: BaseEmailBackend | None) -> None:
        if backend is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                backend.close()

    def tutup(self) -> None:
        self._tutup(self.utama)
        self._tutup(self.cadangan)


def kirim_tertunda(*, batas: int = 500, sekarang: datetime.datetime | None = None) -> Laporan:
    """Deliver the rows whose time has come (at most ``batas``)."""
    now = sekarang or timezone.now()
    laporan = Laporan()
    pengirim = Pengirim()
    try:
        for row in _klaim(batas, now):
            try:
                if row.kanal == Kanal.EMAIL:
                    lewat = pengirim.email(row)
                else:
                    lewat = kirim_wa(row.tujuan, row.teks)
            except Exception as exc:
                percobaan = row.percobaan + 1
                gagal = percobaan >= MAKS_PERCOBAAN
                Kiriman.objects.filter(pk=row.pk).update(
                    status=StatusKiriman.GAGAL if gagal else StatusKiriman.MENUNGGU,
                    percobaan=percobaan,
                    coba_lagi_pada=now + jeda(percobaan),
                    galat=f"{type(exc).__name__}: {exc}"[:2000],
                )
                log.warning("Kiriman %s gagal (percobaan %s): %s", row.pk, percobaan, exc)
                laporan.galat.append(f"{row}: {exc}")
                if gagal:
                    laporan.gagal += 1
                else:
                    laporan.ditunda += 1
                continue
            Kiriman.objects.filter(pk=row.pk).update(
                status=StatusKiriman.TERKIRIM,
                percobaan=row.percobaan + 1,
                terkirim_pada=timezone.now(),
                lewat=lewat[:100],
                galat="",
            )
            laporan.terkirim += 1
    finally:
        pengirim.tutup()
    return laporan
