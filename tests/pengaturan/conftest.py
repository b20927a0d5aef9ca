from __future__ import annotations

import pytest


@pytest.fixture
def setup_world(world, django_user_model):
    """The world's unit placed under a province, which has a template plan for the year;
    extra users: the province's admin and the admin of the other unit."""
    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna
    from tests.factories import (
        AreaPerubahanFactory,
        IndikatorFactory,
        KomponenFactory,
        LangkahAksiFactory,
        RencanaAksiFactory,
        SatuanKerjaFactory,
        TimKerjaFactory,
    )

    provinsi = SatuanKerjaFactory(nama="KPU Provinsi Uji", slug="kpu-prov-uji")
    world.unit.induk = provinsi
    world.unit.save()
    template = RencanaAksiFactory(satuan_kerja=provinsi, tahun=world.today.year)
    tim_prov = TimKerjaFactory(satuan_kerja=provinsi, nama="TIM MANAJEMEN PERUBAHAN")
    area = AreaPerubahanFactory(rencana=template, nomor=1, nama="MANAJEMEN PERUBAHAN")
    komponen = KomponenFactory(area=area, nomor=1, nama="Penyusunan Tim Kerja")
    indikator = IndikatorFactory(komponen=komponen, urutan=1, teks="Tim kerja dibentuk")
    for n in (1, 2):
        LangkahAksiFactory(
            indikator=indikator, urutan=n, teks=f"Langkah templat {n}", tim=tim_prov, bulan=[1, 2]
        )
    world.provinsi = provinsi
    world.template = template
    world.users["provinsi"] = django_user_model.objects.create_user("provinsi", password="x-123456")
    PeranPengguna.objects.create(
        user=world.users["provinsi"], satuan_kerja=provinsi, peran=Peran.ADMIN
    )
    world.unit_lain = world.rencana_lain.satuan_kerja
    world.users["admin_lain"] = django_user_model.objects.create_user(
        "admin_lain", password="x-123456"
    )
    PeranPengguna.objects.create(
        user=world.users["admin_lain"], satuan_kerja=world.unit_lain, peran=Peran.ADMIN
    )
    return world
