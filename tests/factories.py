"""factory_boy factories for the plan. Each builds a valid row and nothing surprising:
a LangkahAksi gets its team from the same unit as its plan."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

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


def build_plan(*, areas=1, komponen=2, indikator=2, langkah=1, **plan_kwargs):  # type: ignore[no-untyped-def]
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
