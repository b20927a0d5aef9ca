"""The LKE ZI (Lembar Kerja Evaluasi, PermenPAN-RB 90/2021): PortalRB's master of
questions per evaluation year, each unit's assessment of a year (the unit's answers
beside the TPI's), the survey indices that feed the Hasil questions, the thresholds of
the predicates, and the links from the plan's steps to the questions they serve.

The master is read-only in the app: ``lke_load_master FILE`` writes it from PortalRB's
JSON. Answers are written only by ``lke.services`` (each change kept in
``RiwayatJawaban``); the arithmetic lives in ``lke.scoring``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.lke.enums import (
    AksiPenilaian,
    Bagian,
    JenisJawaban,
    JenisSurvei,
    Kriteria,
    Level,
    Pihak,
    Predikat,
    StatusPenilaian,
)
from actionplan.models import LangkahAksi, SatuanKerja, TimKerja
from evidence.models import Bukti


class MasterLkeQuerySet(models.QuerySet["MasterLke"]):
    def for_year(self, tahun: int) -> MasterLke | None:
        """The master an assessment of ``tahun`` uses: that year's, else the newest
        before it, else the oldest after it (one query)."""
        return (
            self.annotate(
                urutan_pilih=models.Case(
                    models.When(tahun=tahun, then=models.Value(0)),
                    models.When(tahun__lt=tahun, then=models.Value(1)),
                    default=models.Value(2),
                    output_field=models.IntegerField(),
                ),
                jarak=models.Func(models.F("tahun") - tahun, function="ABS"),
            )
            .order_by("urutan_pilih", "jarak")
            .first()
        )


class MasterLke(models.Model):
    """PortalRB's master of questions for one evaluation year."""

    tahun = models.PositiveSmallIntegerField("tahun evaluasi", unique=True)
    sumber = models.CharField("sumber", max_length=300)
    dibuat_portalrb = models.CharField("generated_at PortalRB", max_length=40, blank=True)
    dimuat_pada = models.DateTimeField("dimuat pada", default=timezone.now)

    objects = MasterLkeQuerySet.as_manager()

    class Meta:
        verbose_name = "master soal LKE"
        verbose_name_plural = "master soal LKE"
        ordering = ["-tahun"]

    def __str__(self) -> str:
        return f"Master LKE {self.tahun}"

    def natural_key(self) -> tuple[int]:
        return (self.tahun,)


class NodeLke(models.Model):
    """A node of the master's tree (komponen, sub-komponen, area, sub-area) with its
    weight. ``bagian`` and ``area`` are derived on loading, so scoring never walks up."""

    master = models.ForeignKey(
        MasterLke, verbose_name="master", on_delete=models.CASCADE, related_name="node"
    )
    portal_id = models.PositiveIntegerField("id PortalRB")
    induk = models.ForeignKey(
        "self",
        verbose_name="induk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anak",
    )
    level = models.CharField("level", max_length=20, choices=Level.choices)
    nama = models.CharField("nama", max_length=300)
    bobot = models.DecimalField("bobot maksimal", max_digits=6, decimal_places=3)
    urutan = models.PositiveSmallIntegerField("urutan")
    bagian = models.CharField("bagian", max_length=10, choices=Bagian.choices)
    area = models.PositiveSmallIntegerField("area perubahan (1-6)", null=True, blank=True)

    class Meta:
        verbose_name = "node LKE"
        verbose_name_plural = "node LKE"
        ordering = ["master_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["master", "portal_id"], name="lke_nodelke_unique"),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gte=1, area__lte=6),
                name="lke_nodelke_area_1_6",
            ),
            models.CheckConstraint(condition=Q(bobot__gte=0), name="lke_nodelke_bobot_nonneg"),
        ]

    def __str__(self) -> str:
        return self.nama


class SoalLkeQuerySet(models.QuerySet["SoalLke"]):
    def in_order(self) -> SoalLkeQuerySet:
        return self.select_related("node").order_by("excel_baris")


class SoalLkeManager(models.Manager["SoalLke"]):
    def get_by_natural_key(self, tahun: int, soal_id: int) -> SoalLke:
        return self.get(master__tahun=tahun, soal_id=soal_id)


class SoalLke(models.Model):
    """One of the master's questions, with PortalRB's ``soal_id`` and its cell in
    PortalRB's Excel template."""

    master = models.ForeignKey(
        MasterLke, verbose_name="master", on_delete=models.CASCADE, related_name="soal"
    )
    node = models.ForeignKey(
        NodeLke, verbose_name="sub-area", on_delete=models.CASCADE, related_name="soal"
    )
    soal_id = models.PositiveSmallIntegerField("soal_id PortalRB")
    teks = models.TextField("pertanyaan")
    kriteria = models.TextField("kriteria penilaian", blank=True)
    jenis = models.CharField("jenis jawaban", max_length=10, choices=JenisJawaban.choices)
    opsi = models.JSONField("pilihan dan pengali", default=list, blank=True)
    bobot = models.DecimalField("bobot (Hasil)", max_digits=6, decimal_places=3, default=0)
    excel_sheet = models.CharField("sheet Excel", max_length=40, default="Jawaban")
    excel_baris = models.PositiveIntegerField("baris Excel")
    kolom_jawaban_unit = models.CharField(max_length=3, default="K")
    kolom_catatan_unit = models.CharField(max_length=3, default="L")
    kolom_bukti_unit = models.CharField(max_length=3, default="M")
    kolom_jawaban_tpi = models.CharField(max_length=3, default="N")
    kolom_catatan_tpi = models.CharField(max_length=3, default="Q")

    objects = SoalLkeManager.from_queryset(SoalLkeQuerySet)()

    class Meta:
        verbose_name = "soal LKE"
        verbose_name_plural = "soal LKE"
        ordering = ["master_id", "excel_baris"]
        constraints = [
            models.UniqueConstraint(fields=["master", "soal_id"], name="lke_soallke_unique"),
            models.UniqueConstraint(fields=["master", "excel_baris"], name="lke_soallke_baris"),
            models.CheckConstraint(
                condition=Q(jenis__in=JenisJawaban.values), name="lke_soallke_jenis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Soal {self.soal_id}: {self.teks[:80]}"

    def natural_key(self) -> tuple[int, int]:
        return (self.master.tahun, self.soal_id)

    natural_key.dependencies = ["lke.masterlke"]  # type: ignore[attr-defined]  # read by Django's serializers

    @property
    def pengali(self) -> dict[str, Decimal]:
        """Option key -> multiplier, as exact decimals (0.67, not two thirds)."""
        return {o["key"]: Decimal(str(o["multiplier"])) for o in self.opsi}

    @property
    def dinilai_langsung(self) -> bool:
        """Whether the answer itself has a value (counts only feed percentages)."""
        return self.jenis != JenisJawaban.JUMLAH


class PenilaianQuerySet(models.QuerySet["PenilaianLke"]):
    def with_unit(self) -> PenilaianQuerySet:
        return self.select_related("satuan_kerja", "master")


class PenilaianLke(models.Model):
    """A unit's LKE for one evaluation year: the self-assessment and the TPI's
    evaluation side by side. Created on first use (``lke.services.penilaian_get_or_create``)."""

    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="satuan kerja",
        on_delete=models.CASCADE,
        related_name="penilaian_lke",
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    master = models.ForeignKey(
        MasterLke, verbose_name="master soal", on_delete=models.PROTECT, related_name="penilaian"
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=StatusPenilaian.choices,
        default=StatusPenilaian.DRAFT,
    )
    batas_mandiri = models.DateField("batas penilaian mandiri", null=True, blank=True)
    batas_evaluasi = models.DateField("batas evaluasi TPI", null=True, blank=True)
    survei_ipak = models.ForeignKey(
        "SurveiIndeks",
        verbose_name="survei IPAK yang dipakai",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    survei_ipkp = models.ForeignKey(
        "SurveiIndeks",
        verbose_name="survei IPKP yang dipakai",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revisi = models.PositiveBigIntegerField(
        "revisi", default=0, help_text="Naik pada setiap perubahan; kunci cache skor."
    )
    dibuat_pada = models.DateTimeField("dibuat pada", default=timezone.now)

    objects = PenilaianQuerySet.as_manager()

    class Meta:
        verbose_name = "penilaian LKE"
        verbose_name_plural = "penilaian LKE"
        ordering = ["-tahun", "satuan_kerja_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["satuan_kerja", "tahun"], name="lke_penilaianlke_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatusPenilaian.values),
                name="lke_penilaianlke_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"LKE {self.satuan_kerja} {self.tahun}"

    @property
    def unit_terkunci(self) -> bool:
        return self.status != StatusPenilaian.DRAFT

    @property
    def tpi_terkunci(self) -> bool:
        return self.status in (StatusPenilaian.DRAFT, StatusPenilaian.FINAL)


class JawabanLke(models.Model):
    """One question's answers in an assessment. An answer is kept as text in the form
    PortalRB wants (an option key 'A'/'Ya', a whole count '12', an index '3.62'); an
    empty text is no answer. Evidence: approved versions of the plan's steps
    (``bukti``) and/or outside links, one per line (``tautan``)."""

    penilaian = models.ForeignKey(
        PenilaianLke, verbose_name="penilaian", on_delete=models.CASCADE, related_name="jawaban"
    )
    soal = models.ForeignKey(
        SoalLke, verbose_name="soal", on_delete=models.PROTECT, related_name="jawaban"
    )
    jawaban_unit = models.CharField("jawaban unit", max_length=20, blank=True)
    catatan_unit = models.TextField("catatan unit", blank=True)
    tautan = models.TextField("tautan bukti di luar ZI Tracker", blank=True)
    bukti = models.ManyToManyField(
        Bukti, verbose_name="bukti dukung ZI Tracker", blank=True, related_name="jawaban_lke"
    )
    jawaban_tpi = models.CharField("jawaban TPI", max_length=20, blank=True)
    catatan_tpi = models.TextField("catatan TPI", blank=True)
    diubah_pada = models.DateTimeField("diubah pada", default=timezone.now)

    class Meta:
        verbose_name = "jawaban LKE"
        verbose_name_plural = "jawaban LKE"
        ordering = ["penilaian_id", "soal__excel_baris"]
        constraints = [
            models.UniqueConstraint(fields=["penilaian", "soal"], name="lke_jawabanlke_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.penilaian} soal {self.soal.soal_id}"

    @property
    def tautan_list(self) -> list[str]:
        return [line.strip() for line in self.tautan.splitlines() if line.strip()]

    @property
    def tautan_items(self) -> list[tuple[str, bool]]:
        """Each outside item with whether it is a link (else a description)."""
        return [(line, line.startswith(("http://", "https://"))) for line in self.tautan_list]


class RiwayatJawaban(models.Model):
    """One change of one field of an answer: who, when, old -> new."""

    jawaban = models.ForeignKey(
        JawabanLke, verbose_name="jawaban", on_delete=models.CASCADE, related_name="riwayat"
    )
    waktu = models.DateTimeField("waktu", default=timezone.now)
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pihak = models.CharField("pihak", max_length=10, choices=Pihak.choices)
    kolom = models.CharField("kolom", max_length=20)
    lama = models.TextField("sebelumnya", blank=True)
    baru = models.TextField("menjadi", blank=True)

    class Meta:
        verbose_name = "riwayat jawaban"
        verbose_name_plural = "riwayat jawaban"
        ordering = ["jawaban_id", "waktu", "pk"]

    def __str__(self) -> str:
        return f"{self.jawaban}: {self.kolom} {self.lama!r} -> {self.baru!r}"


class PeristiwaPenilaian(models.Model):
    """A step of the assessment's state machine (and other whole-assessment acts)."""

    penilaian = models.ForeignKey(
        PenilaianLke, verbose_name="penilaian", on_delete=models.CASCADE, related_name="peristiwa"
    )
    waktu = models.DateTimeField("waktu", default=timezone.now)
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    aksi = models.CharField("aksi", max_length=20, choices=AksiPenilaian.choices)
    status_lama = models.CharField("status sebelumnya", max_length=20, blank=True)
    status_baru = models.CharField("status sesudahnya", max_length=20, blank=True)
    catatan = models.TextField("catatan", blank=True)

    class Meta:
        verbose_name = "peristiwa penilaian"
        verbose_name_plural = "peristiwa penilaian"
        ordering = ["penilaian_id", "waktu", "pk"]

    def __str__(self) -> str:
        return f"{self.penilaian}: {self.get_aksi_display()}"


class SurveiIndeks(models.Model):
    """A quarterly result of an external survey (IPAK or IPKP, 0-4). Which one the
    assessment uses is chosen explicitly (``PenilaianLke.survei_ipak/ipkp``)."""

    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="survei"
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    jenis = models.CharField("jenis survei", max_length=4, choices=JenisSurvei.choices)
    triwulan = models.PositiveSmallIntegerField("triwulan")
    nilai = models.DecimalField("nilai indeks (0-4)", max_digits=5, decimal_places=3)
    responden = models.PositiveIntegerField("jumlah responden")
    sumber = models.CharField("sumber", max_length=300)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="dicatat oleh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dicatat_pada = models.DateTimeField("dicatat pada", default=timezone.now)

    class Meta:
        verbose_name = "hasil survei"
        verbose_name_plural = "hasil survei"
        ordering = ["satuan_kerja_id", "tahun", "jenis", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["satuan_kerja", "tahun", "jenis", "triwulan"],
                name="lke_surveiindeks_unique",
            ),
            models.CheckConstraint(
                condition=Q(nilai__gte=0, nilai__lte=4), name="lke_surveiindeks_nilai_0_4"
            ),
            models.CheckConstraint(
                condition=Q(triwulan__gte=1, triwulan__lte=4), name="lke_surveiindeks_triwulan"
            ),
            models.CheckConstraint(
                condition=Q(jenis__in=JenisSurvei.values), name="lke_surveiindeks_jenis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jenis} {self.tahun} triwulan {self.triwulan}: {self.nilai}"


class PemetaanArea(models.Model):
    """A team that answers an LKE area (1-6) in an assessment. Without rows for an
    area, the area goes to the teams owning steps in the same area of the year's plan."""

    penilaian = models.ForeignKey(
        PenilaianLke, verbose_name="penilaian", on_delete=models.CASCADE, related_name="pemetaan"
    )
    area = models.PositiveSmallIntegerField("area LKE (1-6)")
    tim = models.ForeignKey(
        TimKerja, verbose_name="tim", on_delete=models.CASCADE, related_name="area_lke"
    )

    class Meta:
        verbose_name = "pembagian area LKE"
        verbose_name_plural = "pembagian area LKE"
        ordering = ["penilaian_id", "area", "tim_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["penilaian", "area", "tim"], name="lke_pemetaanarea_unique"
            ),
            models.CheckConstraint(
                condition=Q(area__gte=1, area__lte=6), name="lke_pemetaanarea_area_1_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.penilaian} area {self.area}: {self.tim}"


class TautanSoalManager(models.Manager["TautanSoal"]):
    def get_by_natural_key(self, *key: Any) -> TautanSoal:
        *langkah, tahun, soal_id = key
        return self.get(
            langkah=LangkahAksi.objects.get_by_natural_key(*langkah),
            soal=SoalLke.objects.get_by_natural_key(tahun, soal_id),
        )


class TautanSoal(models.Model):
    """A plan's step serves an LKE question: its evidence is the question's evidence."""

    langkah = models.ForeignKey(
        LangkahAksi, verbose_name="langkah aksi", on_delete=models.CASCADE, related_name="soal_lke"
    )
    soal = models.ForeignKey(
        SoalLke, verbose_name="soal LKE", on_delete=models.CASCADE, related_name="langkah"
    )

    objects = TautanSoalManager()

    class Meta:
        verbose_name = "tautan langkah ke soal LKE"
        verbose_name_plural = "tautan langkah ke soal LKE"
        ordering = ["soal_id", "langkah_id"]
        constraints = [
            models.UniqueConstraint(fields=["langkah", "soal"], name="lke_tautansoal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.langkah} -> soal {self.soal.soal_id}"

    def natural_key(self) -> tuple:
        return (*self.langkah.natural_key(), *self.soal.natural_key())

    natural_key.dependencies = ["actionplan.langkahaksi", "lke.soallke"]  # type: ignore[attr-defined]  # read by Django's serializers


class AmbangPredikat(models.Model):
    """A predicate's threshold on one criterion in one evaluation year (data, so a
    national admin changes it without code). A year without rows uses the nearest year
    that has them, as the master does."""

    tahun = models.PositiveSmallIntegerField("tahun evaluasi")
    predikat = models.CharField("predikat", max_length=4, choices=Predikat.choices)
    kriteria = models.CharField("kriteria", max_length=20, choices=Kriteria.choices)
    batas = models.DecimalField(
        "batas minimal",
        max_digits=7,
        decimal_places=3,
        help_text="Untuk kriteria area: persen dari bobot area (mis. 60). "
        "Untuk 'sudah WBK': 1 = wajib.",
    )

    class Meta:
        verbose_name = "ambang predikat"
        verbose_name_plural = "ambang predikat"
        ordering = ["-tahun", "predikat", "kriteria"]
        constraints = [
            models.UniqueConstraint(
                fields=["tahun", "predikat", "kriteria"], name="lke_ambangpredikat_unique"
            ),
            models.CheckConstraint(condition=Q(batas__gte=0), name="lke_ambangpredikat_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.predikat} {self.tahun}: {self.get_kriteria_display()} >= {self.batas}"


class PredikatUnit(models.Model):
    """A predicate a unit holds, and since when (WBBM requires WBK first)."""

    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="predikat"
    )
    predikat = models.CharField("predikat", max_length=4, choices=Predikat.choices)
    sejak = models.DateField("sejak")

    class Meta:
        verbose_name = "predikat unit"
        verbose_name_plural = "predikat unit"
        ordering = ["satuan_kerja_id", "sejak"]
        constraints = [
            models.UniqueConstraint(
                fields=["satuan_kerja", "predikat"], name="lke_predikatunit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.satuan_kerja}: {self.predikat} sejak {self.sejak}"
