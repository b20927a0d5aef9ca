"""The notifications and the outbox.

- ``Butir``: one reminder of one thing (a slot, a version, a plan's week) for one person,
  recorded once: its unique key (penerima, jenis, kunci) is what makes a reminder go out
  once however often the scheduler runs.
- ``Notifikasi``: what the bell shows; one per person, kind and period (unique), listing
  the reminders recorded with it.
- ``Kiriman``: the outbox. One row per message to deliver by e-mail or WhatsApp, unique
  per (penerima, kanal, kunci) (an e-mail digest's key is its day: at most one a day),
  written in the same transaction as the notification, delivered by
  ``notifications.kirim`` with retries and back-off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.models import SatuanKerja
from actionplan.notifications.enums import Jenis, Kanal, StatusKiriman

telepon_valid = RegexValidator(
    r"^(\+?62|0)8[0-9]{7,12}$",
    "Nomor WhatsApp diawali 08, 628 atau +628, lalu 7-12 angka, tanpa spasi.",
)


class Profil(models.Model):
    """A user's WhatsApp number (the e-mail address is the user's own field)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="profil_notifikasi",
    )
    telepon = models.CharField(
        "nomor WhatsApp", max_length=20, blank=True, validators=[telepon_valid]
    )

    class Meta:
        verbose_name = "profil pemberitahuan"
        verbose_name_plural = "profil pemberitahuan"
        ordering = ["user_id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.telepon or 'tanpa WhatsApp'})"


class Preferensi(models.Model):
    """A user's choice for one kind and channel; without a row, ``enums.BAWAAN``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="preferensi_notifikasi",
    )
    jenis = models.CharField("jenis", max_length=30, choices=Jenis.choices)
    kanal = models.CharField("kanal", max_length=10, choices=Kanal.choices)
    aktif = models.BooleanField("aktif")

    class Meta:
        verbose_name = "preferensi pemberitahuan"
        verbose_name_plural = "preferensi pemberitahuan"
        ordering = ["user_id", "jenis", "kanal"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jenis", "kanal"], name="notifications_preferensi_unique"
            ),
            models.CheckConstraint(
                condition=Q(jenis__in=Jenis.values), name="notifications_preferensi_jenis_valid"
            ),
            models.CheckConstraint(
                condition=Q(kanal__in=Kanal.values), name="notifications_preferensi_kanal_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_jenis_display()} lewat {self.get_kanal_display()}"


class KirimanQuerySet(models.QuerySet["Kiriman"]):
    def for_listing(self) -> KirimanQuerySet:
        return self.select_related("penerima", "satuan_kerja")


class Kiriman(models.Model):
    """One message to deliver (the outbox)."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="penerima",
        on_delete=models.CASCADE,
        related_name="kiriman_notifikasi",
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="satuan kerja",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kanal = models.CharField("kanal", max_length=10, choices=Kanal.choices)
    kunci = models.CharField("kunci", max_length=120)
    tujuan = models.CharField("alamat tujuan", max_length=254)
    subjek = models.CharField("subjek", max_length=250)
    teks = models.TextField("isi (teks)")
    html = models.TextField("isi (HTML)", blank=True)
    # Documents attached when sent, e.g. [{"laporan": <rencana id>, "bulan": 6}].
    lampiran = models.JSONField("lampiran", default=list, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=StatusKiriman.choices, default=StatusKiriman.MENUNGGU
    )
    percobaan = models.PositiveSmallIntegerField("percobaan", default=0)
    coba_lagi_pada = models.DateTimeField("dikirim paling cepat", default=timezone.now)
    diklaim_pada = models.DateTimeField("diambil pengirim pada", null=True, blank=True)
    terkirim_pada = models.DateTimeField("terkirim pada", null=True, blank=True)
    lewat = models.CharField("lewat server", max_length=100, blank=True)
    galat = models.TextField("galat terakhir", blank=True)
    dibuat = models.DateTimeField("dibuat", default=timezone.now)

    objects = KirimanQuerySet.as_manager()

    class Meta:
        verbose_name = "kiriman pemberitahuan"
        verbose_name_plural = "kiriman pemberitahuan"
        ordering = ["-dibuat", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["penerima", "kanal", "kunci"], name="notifications_kiriman_unique"
            ),
            models.CheckConstraint(
                condition=Q(kanal__in=Kanal.values), name="notifications_kiriman_kanal_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatusKiriman.values),
                name="notifications_kiriman_status_valid",
            ),
        ]
        indexes = [
            # The sender's claim: waiting rows whose time has come, oldest first.
            models.Index(fields=["status", "coba_lagi_pada"], name="notifications_kiriman_antre"),
            # The admin's page: one unit's messages, newest first.
            models.Index(fields=["satuan_kerja", "-dibuat"], name="notifications_kiriman_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kanal_display()} ke {self.tujuan}: {self.subjek}"


class NotifikasiQuerySet(models.QuerySet["Notifikasi"]):
    def belum_dibaca(self) -> NotifikasiQuerySet:
        return self.filter(dibaca_pada__isnull=True)


class Notifikasi(models.Model):
    """What the bell shows: one per person, kind and period."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="penerima",
        on_delete=models.CASCADE,
        related_name="notifikasi",
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="satuan kerja",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    jenis = models.CharField("jenis", max_length=30, choices=Jenis.choices)
    kunci = models.CharField("kunci periode", max_length=120)
    judul = models.CharField("judul", max_length=250)
    pengantar = models.TextField("pengantar")
    butir = models.JSONField("butir", default=list, blank=True)
    tautan = models.URLField("tautan", max_length=500)
    lampiran = models.JSONField("lampiran", default=list, blank=True)
    dibuat = models.DateTimeField("dibuat", default=timezone.now)
    dibaca_pada = models.DateTimeField("dibaca pada", null=True, blank=True)
    # The e-mail it went out in (a day's digest or an alert of its own); empty while it
    # waits for the next digest, or when the user gets no e-mail for its kind.
    email = models.ForeignKey(
        Kiriman,
        verbose_name="e-mail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifikasi",
    )
    perlu_email = models.BooleanField("perlu e-mail", default=False)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        ordering = ["-dibuat", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["penerima", "jenis", "kunci"], name="notifications_notifikasi_unique"
            ),
            models.CheckConstraint(
                condition=Q(jenis__in=Jenis.values), name="notifications_notifikasi_jenis_valid"
            ),
        ]
        indexes = [
            # The bell's count and the list: one person's, newest first.
            models.Index(
                fields=["penerima", "dibaca_pada", "-dibuat"], name="notifications_notif_lonceng"
            ),
            # The day's digest: a person's notifications still waiting for an e-mail.
            models.Index(
                fields=["perlu_email", "email", "penerima"], name="notifications_notif_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.penerima}: {self.judul}"

    @property
    def teks(self) -> str:
        """The plain text: the introduction, the items, the link."""
        lines = [self.pengantar, *(f"- {b}" for b in self.butir)]
        return "\n".join([*lines, f"Buka: {self.tautan}"])


class Butir(models.Model):
    """One reminder of one thing for one person, recorded once (the unique key)."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="penerima",
        on_delete=models.CASCADE,
        related_name="+",
    )
    jenis = models.CharField("jenis", max_length=30, choices=Jenis.choices)
    kunci = models.CharField("kunci", max_length=120)
    # The run that recorded it: a run reads back the rows carrying its token to know
    # which of its inserts were new (an insert that conflicts leaves no row of its own).
    jalan = models.CharField("jalan", max_length=32, db_index=True)
    dibuat = models.DateTimeField("dibuat", default=timezone.now)

    class Meta:
        verbose_name = "pengingat tercatat"
        verbose_name_plural = "pengingat tercatat"
        ordering = ["-dibuat", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["penerima", "jenis", "kunci"], name="notifications_butir_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.penerima} {self.jenis} {self.kunci}"
