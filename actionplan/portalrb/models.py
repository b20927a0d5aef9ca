"""An agency's proposals to KemenPAN-RB: per agency (the top unit of a hierarchy) and
year, the units proposed for WBK and WBBM; the API tokens PortalRB uses; every fetch;
and the frozen answers served once the proposal is final."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.models import SatuanKerja
from actionplan.portalrb.enums import Kategori, StatusUsulan


class Usulan(models.Model):
    """An agency's proposal of one evaluation year."""

    instansi = models.ForeignKey(
        SatuanKerja, verbose_name="instansi", on_delete=models.CASCADE, related_name="usulan"
    )
    tahun = models.PositiveSmallIntegerField("tahun evaluasi")
    status = models.CharField(
        "status", max_length=10, choices=StatusUsulan.choices, default=StatusUsulan.TERBUKA
    )
    berakhir = models.DateField(
        "akhir periode pengusulan",
        null=True,
        blank=True,
        help_text="Tautan bukti untuk evaluator berlaku sampai akhir hari ini.",
    )
    versi_tautan = models.PositiveIntegerField(
        "versi tautan bukti",
        default=1,
        help_text="Naik saat tautan dicabut: semua tautan lama mati.",
    )
    dibekukan_pada = models.DateTimeField("dibekukan pada", null=True, blank=True)

    class Meta:
        verbose_name = "usulan PortalRB"
        verbose_name_plural = "usulan PortalRB"
        ordering = ["instansi_id", "-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tahun"], name="portalrb_usulan_unique"),
            models.CheckConstraint(
                condition=Q(status__in=StatusUsulan.values), name="portalrb_usulan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Usulan {self.instansi} {self.tahun}"

    @property
    def final(self) -> bool:
        return self.status == StatusUsulan.FINAL


class UnitDiusulkanQuerySet(models.QuerySet["UnitDiusulkan"]):
    def wbk(self) -> UnitDiusulkanQuerySet:
        return self.filter(kategori__in=[Kategori.WBK, Kategori.WBK_AFIRMASI])

    def wbbm(self) -> UnitDiusulkanQuerySet:
        return self.filter(kategori=Kategori.WBBM)


class UnitDiusulkan(models.Model):
    usulan = models.ForeignKey(
        Usulan, verbose_name="usulan", on_delete=models.CASCADE, related_name="unit"
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="+"
    )
    kategori = models.CharField("kategori", max_length=15, choices=Kategori.choices)
    afirmasi = models.BooleanField("afirmasi", default=False)

    objects = UnitDiusulkanQuerySet.as_manager()

    class Meta:
        verbose_name = "unit diusulkan"
        verbose_name_plural = "unit diusulkan"
        ordering = ["usulan_id", "satuan_kerja__nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["usulan", "satuan_kerja"], name="portalrb_unitdiusulkan_unique"
            ),
            models.CheckConstraint(
                condition=Q(kategori__in=Kategori.values),
                name="portalrb_unitdiusulkan_kategori_valid",
            ),
            # WBK-AFIRMASI is exactly the afirmasi flag on a WBK proposal.
            models.CheckConstraint(
                condition=Q(kategori=Kategori.WBK_AFIRMASI, afirmasi=True)
                | (~Q(kategori=Kategori.WBK_AFIRMASI) & Q(afirmasi=False)),
                name="portalrb_unitdiusulkan_afirmasi",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.satuan_kerja} ({self.kategori})"


class Snapshot(models.Model):
    """The exact bytes served for one unit's answers while the proposal is final."""

    usulan = models.ForeignKey(
        Usulan, verbose_name="usulan", on_delete=models.CASCADE, related_name="snapshot"
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="+"
    )
    isi = models.BinaryField("isi JSON")
    dibuat_pada = models.DateTimeField("dibuat pada", default=timezone.now)

    class Meta:
        verbose_name = "snapshot jawaban"
        verbose_name_plural = "snapshot jawaban"
        ordering = ["usulan_id", "satuan_kerja_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["usulan", "satuan_kerja"], name="portalrb_snapshot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.satuan_kerja} {self.usulan.tahun}"


class TokenApiQuerySet(models.QuerySet["TokenApi"]):
    def aktif(self) -> TokenApiQuerySet:
        return self.filter(dicabut_pada__isnull=True)


class TokenApi(models.Model):
    """A Bearer token of an agency. Only its SHA-256 is kept (the token is 256 random
    bits, so a fast hash is enough); the token itself is shown once."""

    instansi = models.ForeignKey(
        SatuanKerja, verbose_name="instansi", on_delete=models.CASCADE, related_name="token_api"
    )
    nama = models.CharField("keterangan", max_length=100)
    awalan = models.CharField("awalan", max_length=12, help_text="Untuk dikenali; bukan rahasia.")
    hash = models.CharField("SHA-256", max_length=64, unique=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="dibuat oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dibuat_pada = models.DateTimeField("dibuat pada", default=timezone.now)
    terakhir_dipakai = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    dicabut_pada = models.DateTimeField("dicabut pada", null=True, blank=True)

    objects = TokenApiQuerySet.as_manager()

    class Meta:
        verbose_name = "token API PortalRB"
        verbose_name_plural = "token API PortalRB"
        ordering = ["instansi_id", "-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.awalan}… ({self.nama})"


class Pengambilan(models.Model):
    """One request PortalRB (or anyone with a token) made to the API."""

    waktu = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    token = models.ForeignKey(
        TokenApi,
        verbose_name="token",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pengambilan",
    )
    instansi = models.ForeignKey(
        SatuanKerja,
        verbose_name="instansi",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    jalur = models.CharField("jalur", max_length=300)
    status = models.PositiveSmallIntegerField("status HTTP")
    kode = models.CharField("kode", max_length=40, blank=True)
    alamat_ip = models.CharField("alamat IP", max_length=45, blank=True)

    class Meta:
        verbose_name = "pengambilan data PortalRB"
        verbose_name_plural = "pengambilan data PortalRB"
        ordering = ["-waktu", "-pk"]
        indexes = [
            # The history page lists one agency's fetches, newest first.
            models.Index(fields=["instansi", "-waktu"], name="portalrb_ambil_instansi"),
        ]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.jalur} {self.status}"
