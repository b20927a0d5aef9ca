"""The plan hierarchy: satuan kerja -> rencana aksi -> area -> komponen -> indikator ->
langkah aksi -> (bukti fisik, monthly slots), plus teams and roles.

Rows of the plan are never deleted by a silent cascade: every parent link inside the plan
is PROTECT, so removing an area with komponen under it is refused until those are
removed on purpose. Only the parts of a single step (its bukti fisik descriptions and its
monthly slots) go with the step, and a slot that evidence hangs on is protected by the
evidence's own PROTECT link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from actionplan.enums import (
    AREA_CHOICES,
    BULAN_CHOICES,
    AksiAudit,
    KeadaanSlot,
    Peran,
    nama_bulan,
    romawi,
)


class SatuanKerjaManager(models.Manager["SatuanKerja"]):
    def get_by_natural_key(self, slug: str) -> SatuanKerja:
        return self.get(slug=slug)


class SatuanKerja(models.Model):
    nama = models.CharField("nama satuan kerja", max_length=200)
    slug = models.SlugField("kode (slug)", max_length=80, unique=True)
    induk = models.ForeignKey(
        "self",
        verbose_name="satuan kerja induk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_unit",
    )
    aktif = models.BooleanField(
        "aktif",
        default=True,
        help_text="Satuan kerja nonaktif hilang dari daftar, tetapi riwayatnya tetap.",
    )

    objects = SatuanKerjaManager()

    class Meta:
        verbose_name = "satuan kerja"
        verbose_name_plural = "satuan kerja"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TimKerjaManager(models.Manager["TimKerja"]):
    def get_by_natural_key(self, slug: str, nama: str) -> TimKerja:
        return self.get(satuan_kerja__slug=slug, nama=nama)


class TimKerja(models.Model):
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.PROTECT, related_name="tim"
    )
    nama = models.CharField("nama tim", max_length=200)
    urutan = models.PositiveSmallIntegerField("urutan tampil", default=0)
    anggota = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="anggota", blank=True, related_name="tim_kerja"
    )

    objects = TimKerjaManager()

    class Meta:
        verbose_name = "tim kerja"
        verbose_name_plural = "tim kerja"
        ordering = ["satuan_kerja_id", "urutan", "nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["satuan_kerja", "nama"], name="actionplan_timkerja_unique_nama"
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    def natural_key(self) -> tuple[str, str]:
        return (*self.satuan_kerja.natural_key(), self.nama)

    natural_key.dependencies = ["actionplan.satuankerja"]  # type: ignore[attr-defined]  # read by Django's serializers


class PeranPengguna(models.Model):
    """Admin, pimpinan or reviewer (TPI) of a satuan kerja."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="peran_satker",
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="peran"
    )
    peran = models.CharField("peran", max_length=20, choices=Peran.choices)

    class Meta:
        verbose_name = "peran pengguna"
        verbose_name_plural = "peran pengguna"
        ordering = ["satuan_kerja_id", "peran", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "satuan_kerja", "peran"], name="actionplan_peranpengguna_unique"
            ),
            models.CheckConstraint(
                condition=Q(peran__in=Peran.values), name="actionplan_peranpengguna_peran_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_peran_display()} {self.satuan_kerja}"


class RaisedRevisions:
    """A model whose revision columns (``RAISED``) only ever go up, raised by
    actionplan.revisions with an UPDATE: saving an instance leaves them out, since
    writing back the values loaded with it could lower them."""

    RAISED: tuple[str, ...] = ()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk and kwargs.get("update_fields") is None:  # type: ignore[attr-defined]
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields  # type: ignore[attr-defined]
                if not f.primary_key and f.name not in self.RAISED
            ]
        super().save(*args, **kwargs)  # type: ignore[misc]


class RencanaAksiManager(models.Manager["RencanaAksi"]):
    def get_by_natural_key(self, slug: str, tahun: int) -> RencanaAksi:
        return self.get(satuan_kerja__slug=slug, tahun=tahun)


class RencanaAksi(RaisedRevisions, models.Model):
    """The year's action plan of a unit, as set by its Keputusan (decree)."""

    RAISED = ("revisi", "revisi_rencana")

    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="satuan kerja",
        on_delete=models.PROTECT,
        related_name="rencana_aksi",
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    judul = models.TextField(
        "judul keputusan",
        help_text="Yang tertulis setelah TENTANG, mis. RENCANA AKSI PEMBANGUNAN ZONA "
        "INTEGRITAS DI LINGKUNGAN … TAHUN 2024.",
    )
    judul_tabel = models.TextField(
        "judul tabel lampiran", help_text="Judul di atas tabel rencana aksi pada lampiran."
    )
    instansi_penetap = models.CharField(
        "instansi penetap",
        max_length=200,
        help_text="Dipakai dalam 'KEPUTUSAN …', mis. KOMISI PEMILIHAN UMUM KABUPATEN BANYUMAS.",
    )
    nomor_keputusan = models.CharField("nomor keputusan", max_length=50)
    tanggal_penetapan = models.DateField("tanggal penetapan")
    tempat_penetapan = models.CharField("ditetapkan di", max_length=100)
    jabatan_penandatangan = models.CharField("jabatan penandatangan", max_length=200)
    nama_penandatangan = models.CharField("nama penandatangan", max_length=200)
    salinan_instansi = models.CharField(
        "salinan sesuai aslinya: instansi", max_length=200, blank=True
    )
    salinan_jabatan = models.CharField(
        "salinan sesuai aslinya: jabatan", max_length=200, blank=True
    )
    salinan_nama = models.CharField("salinan sesuai aslinya: nama", max_length=200, blank=True)
    salinan_jabatan_keputusan = models.CharField(
        "salinan sesuai aslinya: jabatan di halaman keputusan",
        max_length=200,
        blank=True,
        help_text="Bila berbeda dari jabatan pada lampiran; kosongkan bila sama.",
    )
    # The decree's own text, one item per line; numbering (a., 1., KESATU) is added when
    # the document is printed. *kata* prints in italics.
    menimbang = models.TextField("menimbang", blank=True, help_text="Satu butir per baris.")
    mengingat = models.TextField("mengingat", blank=True, help_text="Satu butir per baris.")
    menetapkan = models.TextField("menetapkan", blank=True)
    diktum = models.TextField(
        "diktum (KESATU, KEDUA, …)", blank=True, help_text="Satu diktum per baris."
    )
    # Set once the decree is signed (with its number and date above); later changes are
    # allowed, and audited as changes after signing (actionplan.pengaturan).
    ditetapkan = models.BooleanField(
        "ditetapkan",
        default=False,
        help_text="Keputusan sudah ditandatangani dengan nomor dan tanggal di atas.",
    )

    revisi = models.PositiveBigIntegerField(
        "revisi data",
        default=0,
        editable=False,
        help_text="Naik pada setiap perubahan isi rencana atau buktinya (actionplan.revisions).",
    )
    revisi_rencana = models.PositiveBigIntegerField(
        "revisi isi rencana",
        default=0,
        editable=False,
        help_text="Naik pada setiap perubahan yang tercetak di keputusan dan lampiran, "
        "tidak pada unggahan bukti (actionplan.revisions).",
    )

    objects = RencanaAksiManager()

    class Meta:
        verbose_name = "rencana aksi"
        verbose_name_plural = "rencana aksi"
        ordering = ["satuan_kerja__nama", "-tahun"]
        constraints = [
            models.UniqueConstraint(
                fields=["satuan_kerja", "tahun"], name="actionplan_rencanaaksi_unique_tahun"
            ),
            models.CheckConstraint(
                condition=Q(tahun__gte=2000, tahun__lte=2100),
                name="actionplan_rencanaaksi_tahun_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Rencana Aksi {self.satuan_kerja} {self.tahun}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.satuan_kerja.natural_key(), self.tahun)

    natural_key.dependencies = ["actionplan.satuankerja"]  # type: ignore[attr-defined]  # read by Django's serializers

    @property
    def nomor_lengkap(self) -> str:
        """'NOMOR 12 TAHUN 2024' as printed under the decree's title."""
        return f"NOMOR {self.nomor_keputusan} TAHUN {self.tanggal_penetapan.year}"


class AreaPerubahanManager(models.Manager["AreaPerubahan"]):
    def get_by_natural_key(self, slug: str, tahun: int, nomor: int) -> AreaPerubahan:
        return self.get(rencana__satuan_kerja__slug=slug, rencana__tahun=tahun, nomor=nomor)


class AreaPerubahan(models.Model):
    rencana = models.ForeignKey(
        RencanaAksi, verbose_name="rencana aksi", on_delete=models.PROTECT, related_name="area"
    )
    nomor = models.PositiveSmallIntegerField("nomor area", choices=AREA_CHOICES)
    nama = models.TextField("nama area perubahan", help_text="Seperti tertulis di lampiran.")
    nama_singkat = models.CharField(
        "nama singkat",
        max_length=100,
        blank=True,
        help_text="Nama baku area untuk dasbor, mis. Manajemen Perubahan.",
    )

    objects = AreaPerubahanManager()

    class Meta:
        verbose_name = "area perubahan"
        verbose_name_plural = "area perubahan"
        ordering = ["rencana_id", "nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["rencana", "nomor"], name="actionplan_areaperubahan_unique_nomor"
            ),
            models.CheckConstraint(
                condition=Q(nomor__gte=1, nomor__lte=6), name="actionplan_areaperubahan_nomor_1_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.romawi}. {self.label}"

    def natural_key(self) -> tuple[str, int, int]:
        return (*self.rencana.natural_key(), self.nomor)

    natural_key.dependencies = ["actionplan.rencanaaksi"]  # type: ignore[attr-defined]  # read by Django's serializers

    @property
    def romawi(self) -> str:
        return romawi(self.nomor)

    @property
    def label(self) -> str:
        return self.nama_singkat or self.nama


class KomponenManager(models.Manager["Komponen"]):
    def get_by_natural_key(self, slug: str, tahun: int, area: int, nomor: int) -> Komponen:
        return self.get(
            area__rencana__satuan_kerja__slug=slug,
            area__rencana__tahun=tahun,
            area__nomor=area,
            nomor=nomor,
        )


class Komponen(models.Model):
    area = models.ForeignKey(
        AreaPerubahan,
        verbose_name="area perubahan",
        on_delete=models.PROTECT,
        related_name="komponen",
    )
    nomor = models.PositiveSmallIntegerField("nomor")
    nama = models.TextField("nama komponen", blank=True)

    objects = KomponenManager()

    class Meta:
        verbose_name = "komponen"
        verbose_name_plural = "komponen"
        ordering = ["area_id", "nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "nomor"], name="actionplan_komponen_unique_nomor"
            ),
            models.CheckConstraint(
                condition=Q(nomor__gte=1), name="actionplan_komponen_nomor_min_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomor}. {self.nama or '(tanpa nama)'}"

    def natural_key(self) -> tuple[str, int, int, int]:
        return (*self.area.natural_key(), self.nomor)

    natural_key.dependencies = ["actionplan.areaperubahan"]  # type: ignore[attr-defined]  # read by Django's serializers


class IndikatorManager(models.Manager["Indikator"]):
    def get_by_natural_key(
        self, slug: str, tahun: int, area: int, komponen: int, urutan: int
    ) -> Indikator:
        return self.get(
            komponen__area__rencana__satuan_kerja__slug=slug,
            komponen__area__rencana__tahun=tahun,
            komponen__area__nomor=area,
            komponen__nomor=komponen,
            urutan=urutan,
        )


class Indikator(models.Model):
    komponen = models.ForeignKey(
        Komponen, verbose_name="komponen", on_delete=models.PROTECT, related_name="indikator"
    )
    urutan = models.PositiveSmallIntegerField("urutan")
    teks = models.TextField("indikator")

    objects = IndikatorManager()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["komponen_id", "urutan"]
        constraints = [
            models.UniqueConstraint(
                fields=["komponen", "urutan"], name="actionplan_indikator_unique_urutan"
            ),
            models.CheckConstraint(
                condition=Q(urutan__gte=1), name="actionplan_indikator_urutan_min_1"
            ),
            models.CheckConstraint(
                condition=~Q(teks=""), name="actionplan_indikator_teks_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.teks

    def natural_key(self) -> tuple[str, int, int, int, int]:
        return (*self.komponen.natural_key(), self.urutan)

    natural_key.dependencies = ["actionplan.komponen"]  # type: ignore[attr-defined]  # read by Django's serializers


# The lookup from a step to its plan, written once: the querysets below name it.
LANGKAH_TO_RENCANA = "indikator__komponen__area__rencana"


class LangkahAksiQuerySet(models.QuerySet["LangkahAksi"]):
    def in_document_order(self) -> LangkahAksiQuerySet:
        """Rows as the Lampiran prints them, with everything a row shows loaded up front
        (one query for the rows, one for the months, one for the bukti fisik)."""
        return (
            self.select_related(f"{LANGKAH_TO_RENCANA}__satuan_kerja", "tim")
            .prefetch_related("jadwal", "bukti_fisik")
            .order_by(*DOCUMENT_ORDER)
        )

    def of_plan(self, rencana: RencanaAksi | int) -> LangkahAksiQuerySet:
        return self.filter(**{LANGKAH_TO_RENCANA: rencana})

    def with_plan(self) -> LangkahAksiQuerySet:
        """With the indikator, komponen, area, plan, unit and team loaded (one query)."""
        return self.select_related(f"{LANGKAH_TO_RENCANA}__satuan_kerja", "tim")


# A step's place in the Lampiran: plan, area, komponen, indikator, step.
DOCUMENT_ORDER = (
    "indikator__komponen__area__rencana_id",
    "indikator__komponen__area__nomor",
    "indikator__komponen__nomor",
    "indikator__urutan",
    "urutan",
)


# A module-level name: the django-stubs plugin reads from_queryset() there, not in a base list.
_LangkahAksiManagerBase = models.Manager.from_queryset(LangkahAksiQuerySet)


class LangkahAksiManager(_LangkahAksiManagerBase["LangkahAksi"]):
    def get_by_natural_key(
        self, slug: str, tahun: int, area: int, komponen: int, indikator: int, urutan: int
    ) -> LangkahAksi:
        return self.get(
            indikator__komponen__area__rencana__satuan_kerja__slug=slug,
            indikator__komponen__area__rencana__tahun=tahun,
            indikator__komponen__area__nomor=area,
            indikator__komponen__nomor=komponen,
            indikator__urutan=indikator,
            urutan=urutan,
        )


class LangkahAksi(RaisedRevisions, models.Model):
    RAISED = ("revisi_bukti",)
    indikator = models.ForeignKey(
        Indikator, verbose_name="indikator", on_delete=models.PROTECT, related_name="langkah_aksi"
    )
    urutan = models.PositiveSmallIntegerField("urutan")
    teks = models.TextField("langkah aksi")
    tim = models.ForeignKey(
        TimKerja,
        verbose_name="penanggung jawab",
        on_delete=models.PROTECT,
        related_name="langkah_aksi",
    )
    revisi_bukti = models.PositiveBigIntegerField(
        "revisi bukti",
        default=0,
        db_default=0,
        editable=False,
        help_text="Naik pada setiap perubahan bukti atau pesan di salah satu bulannya "
        "(actionplan.revisions): kunci cache halaman langkah dan Tugas saya.",
    )

    objects = LangkahAksiManager()

    class Meta:
        verbose_name = "langkah aksi"
        verbose_name_plural = "langkah aksi"
        ordering = list(DOCUMENT_ORDER)
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "urutan"], name="actionplan_langkahaksi_unique_urutan"
            ),
            models.CheckConstraint(
                condition=Q(urutan__gte=1), name="actionplan_langkahaksi_urutan_min_1"
            ),
            models.CheckConstraint(
                condition=~Q(teks=""), name="actionplan_langkahaksi_teks_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.teks

    def natural_key(self) -> tuple[str, int, int, int, int, int]:
        return (*self.indikator.natural_key(), self.urutan)

    natural_key.dependencies = ["actionplan.indikator", "actionplan.timkerja"]  # type: ignore[attr-defined]  # read by Django's serializers

    @property
    def rencana(self) -> RencanaAksi:
        """The step's plan (loaded with ``with_plan()`` to cost no query)."""
        return self.indikator.komponen.area.rencana

    def clean(self) -> None:
        super().clean()
        if self.tim_id and self.indikator_id:
            rencana = self.rencana
            if self.tim.satuan_kerja_id != rencana.satuan_kerja_id:
                raise ValidationError(
                    {"tim": "Tim penanggung jawab harus dari satuan kerja pemilik rencana aksi."}
                )

    @property
    def bulan(self) -> list[int]:
        """Scheduled months, 1-12; uses the prefetched ``jadwal`` when present."""
        return sorted(slot.bulan for slot in self.jadwal.all())

    @property
    def bukti_fisik_teks(self) -> str:
        """The required evidence as one text, as the Lampiran prints it: several items are
        numbered "1) … 2) …" in the plan's order."""
        items = [b.teks for b in self.bukti_fisik.all()]
        if len(items) == 1:
            return items[0]
        return " ".join(f"{nomor}) {teks}" for nomor, teks in enumerate(items, start=1))


class BuktiFisikManager(models.Manager["BuktiFisik"]):
    def get_by_natural_key(self, *key: Any) -> BuktiFisik:
        *langkah, urutan = key
        return self.get(
            langkah_aksi=LangkahAksi.objects.get_by_natural_key(*langkah), urutan=urutan
        )


class BuktiFisik(models.Model):
    """A piece of evidence the plan requires for a step (the description, not the upload)."""

    langkah_aksi = models.ForeignKey(
        LangkahAksi,
        verbose_name="langkah aksi",
        on_delete=models.CASCADE,
        related_name="bukti_fisik",
    )
    urutan = models.PositiveSmallIntegerField("urutan")
    teks = models.TextField("bukti fisik")

    objects = BuktiFisikManager()

    class Meta:
        verbose_name = "bukti fisik"
        verbose_name_plural = "bukti fisik"
        ordering = ["langkah_aksi_id", "urutan"]
        constraints = [
            models.UniqueConstraint(
                fields=["langkah_aksi", "urutan"], name="actionplan_buktifisik_unique_urutan"
            ),
            models.CheckConstraint(
                condition=Q(urutan__gte=1), name="actionplan_buktifisik_urutan_min_1"
            ),
            models.CheckConstraint(
                condition=~Q(teks=""), name="actionplan_buktifisik_teks_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.teks

    def natural_key(self) -> tuple:
        return (*self.langkah_aksi.natural_key(), self.urutan)

    natural_key.dependencies = ["actionplan.langkahaksi"]  # type: ignore[attr-defined]  # read by Django's serializers


SLOT_TO_RENCANA = f"langkah_aksi__{LANGKAH_TO_RENCANA}"


class SlotQuerySet(models.QuerySet["Slot"]):
    def of_plan(self, rencana: RencanaAksi | int) -> SlotQuerySet:
        return self.filter(**{SLOT_TO_RENCANA: rencana})

    def of_plans(self, plans: Iterable[RencanaAksi | int] | models.QuerySet) -> SlotQuerySet:
        return self.filter(**{f"{SLOT_TO_RENCANA}__in": plans})

    def of_year(self, tahun: int) -> SlotQuerySet:
        return self.filter(**{f"{SLOT_TO_RENCANA}__tahun": tahun})

    def in_area(self, nomor: int) -> SlotQuerySet:
        return self.filter(langkah_aksi__indikator__komponen__area__nomor=nomor)

    def with_plan_id(self) -> SlotQuerySet:
        """Each slot annotated with ``rencana_id``, for grouping slots of many plans."""
        return self.annotate(rencana_id=F(SLOT_TO_RENCANA))

    def with_step(self) -> SlotQuerySet:
        """With the step, its indikator, komponen, area and team loaded (one query)."""
        return self.select_related("langkah_aksi__indikator__komponen__area", "langkah_aksi__tim")

    def in_document_order(self) -> SlotQuerySet:
        return self.order_by(*(f"langkah_aksi__{f}" for f in DOCUMENT_ORDER), "bulan")


_SlotManagerBase = models.Manager.from_queryset(SlotQuerySet)


class SlotManager(_SlotManagerBase["Slot"]):
    def get_by_natural_key(self, *key: Any) -> Slot:
        *langkah, bulan = key
        return self.get(langkah_aksi=LangkahAksi.objects.get_by_natural_key(*langkah), bulan=bulan)


class Slot(RaisedRevisions, models.Model):
    """A month in which a step is carried out (a ✓ in the Lampiran). Evidence for that
    month's reporting period fills the slot."""

    RAISED = ("revisi_bukti",)

    langkah_aksi = models.ForeignKey(
        LangkahAksi, verbose_name="langkah aksi", on_delete=models.CASCADE, related_name="jadwal"
    )
    bulan = models.PositiveSmallIntegerField("bulan", choices=BULAN_CHOICES)
    # The evidence as it stands now and the time of its last change (the newest event of
    # its versions), kept by evidence's services in the same transaction as the change.
    # No time means not known (rows written around the services, before a
    # ``slot_states_refresh``): progress then reads the versions themselves.
    keadaan = models.CharField(
        "keadaan bukti",
        max_length=12,
        choices=KeadaanSlot.choices,
        default=KeadaanSlot.KOSONG,
        # Also in the table: the plan import inserts slots with its own SQL.
        db_default=KeadaanSlot.KOSONG,
    )
    keadaan_pada = models.DateTimeField("keadaan sejak", null=True, blank=True, editable=False)
    revisi_bukti = models.PositiveBigIntegerField(
        "revisi bukti",
        default=0,
        db_default=0,
        editable=False,
        help_text="Naik pada setiap perubahan bukti atau pesan bulan ini "
        "(actionplan.revisions): kunci cache bulan ini di halaman langkah.",
    )

    objects = SlotManager()

    class Meta:
        verbose_name = "jadwal bulanan"
        verbose_name_plural = "jadwal bulanan"
        ordering = ["langkah_aksi_id", "bulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["langkah_aksi", "bulan"], name="actionplan_slot_unique_bulan"
            ),
            models.CheckConstraint(
                condition=Q(bulan__gte=1, bulan__lte=12), name="actionplan_slot_bulan_1_12"
            ),
            models.CheckConstraint(
                condition=Q(keadaan__in=KeadaanSlot.values), name="actionplan_slot_keadaan_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.langkah_aksi} - {nama_bulan(self.bulan)}"

    @property
    def rencana(self) -> RencanaAksi:
        return self.langkah_aksi.rencana

    def natural_key(self) -> tuple:
        return (*self.langkah_aksi.natural_key(), self.bulan)

    natural_key.dependencies = ["actionplan.langkahaksi"]  # type: ignore[attr-defined]  # read by Django's serializers


class CatatanAuditQuerySet(models.QuerySet["CatatanAudit"]):
    def for_listing(self) -> CatatanAuditQuerySet:
        return self.select_related("aktor", "satuan_kerja")


class CatatanAudit(models.Model):
    """Append-only audit trail: who did what, when. Written by services and the admin;
    no page, admin or service changes or deletes a row."""

    waktu = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    satuan_kerja = models.ForeignKey(
        SatuanKerja,
        verbose_name="satuan kerja",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catatan_audit",
    )
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pelaku",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    aksi = models.CharField("aksi", max_length=40, choices=AksiAudit.choices)
    objek = models.CharField("objek", max_length=100, help_text="model dan id, mis. bukti:12")
    ringkasan = models.TextField("ringkasan")

    objects = CatatanAuditQuerySet.as_manager()

    class Meta:
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"
        ordering = ["-waktu", "-id"]
        indexes = [
            # The audit page lists one unit's trail, newest first.
            models.Index(fields=["satuan_kerja", "-waktu"], name="actionplan_audit_unit_waktu"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(aksi__in=AksiAudit.values), name="actionplan_catatanaudit_aksi_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.get_aksi_display()}: {self.ringkasan}"
