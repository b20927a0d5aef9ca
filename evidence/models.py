"""Evidence (bukti dukung) that fills a plan's monthly slots, its files and its history.

A submission is never overwritten: uploading again creates a new version (``versi``) of
the slot's evidence, and the old one stays with its files. Files live under MEDIA_ROOT
with random names and are reachable only through the access-checked download view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.models import SLOT_TO_RENCANA, RencanaAksi, Slot
from evidence.enums import JenisBerkas, JenisPeristiwa, StatusBukti


class BuktiQuerySet(models.QuerySet["Bukti"]):
    def with_plan(self) -> BuktiQuerySet:
        """Each submission with its slot, step, indikator, komponen, area, plan, unit,
        team and uploader joined in (one query)."""
        return self.select_related(
            f"slot__{SLOT_TO_RENCANA}__satuan_kerja",
            "slot__langkah_aksi__tim",
            "diunggah_oleh",
        )

    def menunggu_review(self) -> BuktiQuerySet:
        return self.filter(status=StatusBukti.DIAJUKAN)

    def of_units(self, unit_ids: set[int] | None) -> BuktiQuerySet:
        if unit_ids is None:  # every unit (superuser)
            return self
        return self.filter(**{f"slot__{SLOT_TO_RENCANA}__satuan_kerja_id__in": unit_ids})

    def of_plan(self, rencana: RencanaAksi | int) -> BuktiQuerySet:
        return self.filter(**{f"slot__{SLOT_TO_RENCANA}": rencana})

    def in_area(self, nomor: int) -> BuktiQuerySet:
        return self.filter(slot__langkah_aksi__indikator__komponen__area__nomor=nomor)


class Bukti(models.Model):
    slot = models.ForeignKey(
        Slot, verbose_name="jadwal bulanan", on_delete=models.PROTECT, related_name="bukti"
    )
    versi = models.PositiveSmallIntegerField("versi")
    status = models.CharField(
        "status", max_length=20, choices=StatusBukti.choices, default=StatusBukti.DIAJUKAN
    )
    tautan = models.URLField("tautan", max_length=2000, blank=True)
    catatan = models.TextField("catatan pengunggah", blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diunggah oleh",
        on_delete=models.PROTECT,
        related_name="bukti_diunggah",
    )
    diunggah_pada = models.DateTimeField("diunggah pada", default=timezone.now)
    terlambat = models.BooleanField(
        "terlambat", default=False, help_text="Diunggah setelah bulan pelaporannya berakhir."
    )
    diperiksa_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="direview oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bukti_direview",
    )
    diperiksa_pada = models.DateTimeField("direview pada", null=True, blank=True)
    catatan_review = models.TextField("catatan reviewer", blank=True)

    objects = BuktiQuerySet.as_manager()

    class Meta:
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        ordering = ["slot_id", "-versi"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "versi"], name="evidence_bukti_unique_versi"),
            models.CheckConstraint(condition=Q(versi__gte=1), name="evidence_bukti_versi_min_1"),
            models.CheckConstraint(
                condition=Q(status__in=StatusBukti.values), name="evidence_bukti_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(tautan="")
                | Q(tautan__startswith="http://")
                | Q(tautan__startswith="https://"),
                name="evidence_bukti_tautan_http",
            ),
        ]
        indexes = [
            # The reviewer's queue: waiting submissions, oldest first.
            models.Index(fields=["status", "diunggah_pada"], name="evidence_bukti_antrean"),
        ]

    def __str__(self) -> str:
        return f"Bukti v{self.versi} {self.slot}"


class BerkasBukti(models.Model):
    bukti = models.ForeignKey(
        Bukti, verbose_name="bukti dukung", on_delete=models.PROTECT, related_name="berkas"
    )
    nama_asli = models.CharField("nama berkas", max_length=255)
    lokasi = models.CharField(
        "lokasi penyimpanan", max_length=255, unique=True, help_text="relatif terhadap MEDIA_ROOT"
    )
    jenis = models.CharField("jenis", max_length=10, choices=JenisBerkas.choices)
    ukuran = models.PositiveBigIntegerField("ukuran (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "berkas bukti"
        verbose_name_plural = "berkas bukti"
        ordering = ["bukti_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis__in=JenisBerkas.values), name="evidence_berkasbukti_jenis_valid"
            ),
            models.CheckConstraint(
                condition=Q(ukuran__gt=0), name="evidence_berkasbukti_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.nama_asli


class PeristiwaBukti(models.Model):
    """One transition of a submission: who, when, and the note."""

    bukti = models.ForeignKey(
        Bukti, verbose_name="bukti dukung", on_delete=models.PROTECT, related_name="peristiwa"
    )
    jenis = models.CharField("peristiwa", max_length=20, choices=JenisPeristiwa.choices)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.PROTECT, related_name="+"
    )
    pada = models.DateTimeField("waktu", default=timezone.now)
    catatan = models.TextField("catatan", blank=True)

    class Meta:
        verbose_name = "riwayat bukti"
        verbose_name_plural = "riwayat bukti"
        ordering = ["bukti_id", "pada", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis__in=JenisPeristiwa.values),
                name="evidence_peristiwabukti_jenis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} oleh {self.oleh} ({self.pada:%Y-%m-%d %H:%M})"


class PesanSlot(models.Model):
    """A short thread per month of a step: the team and the reviewer ask and answer
    there instead of in a chat group. Written by evidence.services.pesan_kirim (audited);
    never edited."""

    slot = models.ForeignKey(
        Slot, verbose_name="jadwal bulanan", on_delete=models.CASCADE, related_name="pesan"
    )
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.PROTECT, related_name="+"
    )
    teks = models.TextField("pesan")
    pada = models.DateTimeField("waktu", default=timezone.now)

    class Meta:
        verbose_name = "pesan"
        verbose_name_plural = "pesan"
        # The step page lists each month's thread in the order it was written.
        ordering = ["slot_id", "pada", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(teks=""), name="evidence_pesanslot_teks_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.oleh} ({self.pada:%Y-%m-%d %H:%M}): {self.teks[:60]}"
