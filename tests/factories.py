"""factory_boy factories for the plan and its evidence. Each builds a valid row and
nothing surprising: a LangkahAksi gets its team from the same unit as its plan; a Bukti
is the slot's next version, reviewed (by someone else) exactly when its status says so;
a BerkasBukti's file is really on disk where the evidence store keeps it; a
PeristiwaBukti is the event that gave its version its status. None of them writes more
than its own row (and a BerkasBukti its file): no history, audit entry or replaced
version appears by itself, as it does through evidence.services."""

from __future__ import annotations

import datetime
import hashlib
import uuid

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    RencanaAksi,
    SatuanKerja,
    Slot,
    TimKerja,
)
from evidence.enums import JenisBerkas, JenisPeristiwa, StatusBukti
from evidence.models import BerkasBukti, Bukti, PeristiwaBukti
from evidence.services import is_late


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    password = factory.django.Password("rahasia-uji-123")


class SatuanKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatuanKerja

    nama = factory.Sequence(lambda n: f"KPU Kabupaten Uji {n}")
    slug = factory.Sequence(lambda n: f"kpu-uji-{n}")


class TimKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimKerja

    satuan_kerja = factory.SubFactory(SatuanKerjaFactory)
    nama = factory.Sequence(lambda n: f"TIM UJI {n}")


class RencanaAksiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RencanaAksi

    satuan_kerja = factory.SubFactory(SatuanKerjaFactory)
    tahun = 2024
    judul = factory.LazyAttribute(
        lambda o: (
            f"RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS {o.satuan_kerja.nama.upper()} "
            f"TAHUN {o.tahun}"
        )
    )
    judul_tabel = factory.LazyAttribute(lambda o: o.judul)
    instansi_penetap = factory.LazyAttribute(lambda o: o.satuan_kerja.nama.upper())
    nomor_keputusan = "1"
    tanggal_penetapan = factory.LazyAttribute(lambda o: datetime.date(o.tahun, 1, 10))
    tempat_penetapan = "Purwokerto"
    jabatan_penandatangan = "KETUA"
    nama_penandatangan = "NAMA KETUA"


class AreaPerubahanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaPerubahan

    rencana = factory.SubFactory(RencanaAksiFactory)
    nomor = factory.Sequence(lambda n: n % 6 + 1)
    nama = factory.LazyAttribute(lambda o: f"Area {o.nomor}")


class KomponenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Komponen

    area = factory.SubFactory(AreaPerubahanFactory)
    nomor = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Komponen {n}")


class IndikatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indikator

    komponen = factory.SubFactory(KomponenFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    teks = factory.Sequence(lambda n: f"Indikator {n}")


class LangkahAksiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LangkahAksi
        skip_postgeneration_save = True

    indikator = factory.SubFactory(IndikatorFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    teks = factory.Sequence(lambda n: f"Langkah aksi {n}")
    tim = factory.SubFactory(
        TimKerjaFactory,
        satuan_kerja=factory.SelfAttribute("..indikator.komponen.area.rencana.satuan_kerja"),
    )

    @factory.post_generation
    def bulan(self, create: bool, extracted: list[int] | None, **kwargs: object) -> None:
        if create and extracted:
            Slot.objects.bulk_create([Slot(langkah_aksi=self, bulan=b) for b in extracted])

    @factory.post_generation
    def bukti(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            BuktiFisik.objects.bulk_create(
                [
                    BuktiFisik(langkah_aksi=self, urutan=n, teks=t)
                    for n, t in enumerate(extracted, 1)
                ]
            )


REVIEWED = (StatusBukti.DISETUJUI, StatusBukti.DIKEMBALIKAN)


def _reviewed_at(uploaded: datetime.datetime) -> datetime.datetime:
    """A day after the upload, but never in the future."""
    return min(uploaded + datetime.timedelta(days=1), max(uploaded, timezone.now()))


class BuktiFactory(factory.django.DjangoModelFactory):
    """One version of a slot's evidence. By default the next version of a January slot
    of a new step, waiting for review; ``terlambat`` follows the upload time as in
    evidence.services. A reviewed status (disetujui, dikembalikan) gets a reviewer, a
    review time and, when returned, the note a return requires."""

    class Meta:
        model = Bukti

    class Params:
        reviewed = factory.LazyAttribute(lambda o: o.status in REVIEWED)

    slot = factory.LazyFunction(lambda: LangkahAksiFactory(bulan=[1]).jadwal.get())
    versi = factory.LazyAttribute(lambda o: (o.slot.bukti.aggregate(v=Max("versi"))["v"] or 0) + 1)
    status = StatusBukti.DIAJUKAN
    diunggah_oleh = factory.SubFactory(UserFactory)
    diunggah_pada = factory.LazyFunction(timezone.now)
    terlambat = factory.LazyAttribute(lambda o: is_late(o.slot, o.diunggah_pada))
    diperiksa_oleh = factory.Maybe("reviewed", factory.SubFactory(UserFactory), None)
    diperiksa_pada = factory.Maybe(
        "reviewed", factory.LazyAttribute(lambda o: _reviewed_at(o.diunggah_pada)), None
    )
    catatan_review = factory.LazyAttribute(
        lambda o: "Bukti belum lengkap." if o.status == StatusBukti.DIKEMBALIKAN else ""
    )


# Small real files of each kind the tests can make (tests/files.py).
def _content(jenis: str) -> bytes:
    from tests import files

    makers = {
        JenisBerkas.PDF: files.pdf_bytes,
        JenisBerkas.PNG: lambda: files.image_bytes("PNG"),
        JenisBerkas.JPEG: lambda: files.image_bytes("JPEG"),
        JenisBerkas.DOCX: files.docx_bytes,
        JenisBerkas.ODT: files.odt_bytes,
    }
    if jenis not in makers:
        raise ValueError(f"BerkasBuktiFactory has no sample file of kind {jenis!r}")
    return makers[jenis]()


class BerkasBuktiFactory(factory.django.DjangoModelFactory):
    """A stored file of a version: a small real PDF (or ``jenis`` png, jpg, docx, odt;
    or the bytes given as ``isi``) written to the evidence store (MEDIA_ROOT, or the
    bucket when a test switched to S3) at a random ``bukti/xx/<hex>.<jenis>`` name with
    the store's permissions, as evidence.files.store does; ``ukuran`` and ``sha256`` are
    those of the bytes written. ``build()`` writes no file."""

    class Meta:
        model = BerkasBukti

    bukti = factory.SubFactory(BuktiFactory)
    jenis = JenisBerkas.PDF
    isi = factory.LazyAttribute(lambda o: _content(o.jenis))
    nama_asli = factory.LazyAttributeSequence(lambda o, n: f"bukti-{n}.{o.jenis}")
    lokasi = factory.LazyAttribute(
        lambda o: f"bukti/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{o.jenis}"
    )
    ukuran = factory.LazyAttribute(lambda o: len(o.isi))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.isi).hexdigest())

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("isi")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from evidence.files import detect_kind
        from evidence.storage import evidence_storage

        isi = kwargs.pop("isi")
        kind = detect_kind(SimpleUploadedFile(kwargs["nama_asli"], isi))
        if kind != kwargs["jenis"]:
            raise ValueError(f"the bytes are {kind!r}, not the {kwargs['jenis']!r} claimed")
        evidence_storage().save_generated(kwargs["lokasi"], isi)
        return super()._create(model_class, *args, **kwargs)


SUBMITTED = (JenisPeristiwa.DIAJUKAN, JenisPeristiwa.DIAJUKAN_ULANG)
REVIEW_EVENTS = (JenisPeristiwa.DISETUJUI, JenisPeristiwa.DIKEMBALIKAN)


def _event_of(bukti: Bukti) -> JenisPeristiwa:
    """The event that gave a version its current status (the two enums share values)."""
    if bukti.status == StatusBukti.DIAJUKAN:
        return JenisPeristiwa.DIAJUKAN if bukti.versi == 1 else JenisPeristiwa.DIAJUKAN_ULANG
    return JenisPeristiwa(bukti.status)


class PeristiwaBuktiFactory(factory.django.DjangoModelFactory):
    """One event in a version's history; by default the one that gave it its status,
    by whom and when the version says (the uploader at the upload, the reviewer at the
    review with the review's note). Other events (ditarik, digantikan) default to the
    uploader, now."""

    class Meta:
        model = PeristiwaBukti

    class Params:
        review = factory.LazyAttribute(lambda o: o.jenis in REVIEW_EVENTS)

    bukti = factory.SubFactory(BuktiFactory)
    jenis = factory.LazyAttribute(lambda o: _event_of(o.bukti))
    oleh = factory.LazyAttribute(
        lambda o: (o.review and o.bukti.diperiksa_oleh) or o.bukti.diunggah_oleh
    )
    pada = factory.LazyAttribute(
        lambda o: (
            (o.review and o.bukti.diperiksa_pada)
            or (o.bukti.diunggah_pada if o.jenis in SUBMITTED else timezone.now())
        )
    )
    catatan = factory.LazyAttribute(
        lambda o: (
            o.bukti.catatan_review
            if o.review
            else f"Digantikan versi {o.bukti.versi + 1}."
            if o.jenis == JenisPeristiwa.DIGANTIKAN
            else ""
        )
    )


def build_plan(*, areas=1, komponen=2, indikator=2, langkah=1, **plan_kwargs):
    """A plan with ``areas`` areas, each with ``komponen`` komponen of ``indikator``
    indikator, each with ``langkah`` steps scheduled in two months with one bukti fisik."""
    rencana = RencanaAksiFactory(**plan_kwargs)
    tim = TimKerjaFactory(satuan_kerja=rencana.satuan_kerja)
    for area_no in range(1, areas + 1):
        area = AreaPerubahanFactory(rencana=rencana, nomor=area_no)
        for k in range(1, komponen + 1):
            komp = KomponenFactory(area=area, nomor=k)
            for i in range(1, indikator + 1):
                ind = IndikatorFactory(komponen=komp, urutan=i)
                for n in range(1, langkah + 1):
                    LangkahAksiFactory(
                        indikator=ind, urutan=n, tim=tim, bulan=[i, i + 6], bukti=[f"Bukti {k}.{i}"]
                    )
    return rencana
