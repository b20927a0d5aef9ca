from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Every test writes files under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def banyumas(db):  # type: ignore[no-untyped-def]
    """The real 2024 KPU Banyumas plan, loaded from its fixture."""
    from actionplan.models import RencanaAksi

    call_command("loaddata", "banyumas_2024", verbosity=0)
    return RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)


@pytest.fixture(scope="session")
def fixture_source():  # type: ignore[no-untyped-def]
    """fixtures/source/build_fixture.py as a module (it is a script, not a package)."""
    path = ROOT / "fixtures" / "source" / "build_fixture.py"
    spec = importlib.util.spec_from_file_location("build_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def superuser_client(client, django_user_model):  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_superuser("super", "super@example.org", "pw-super-123")
    client.force_login(user)
    return client


USER_KINDS = ["admin", "pimpinan", "reviewer", "anggota", "anggota_lain", "unit_lain", "anonim"]


class World:
    """One unit with a plan of this year and two teams, every kind of user, and a
    second unit with its own plan. ``langkah`` (team A) is scheduled every month;
    ``langkah_b`` belongs to team B."""

    def __init__(self, django_user_model) -> None:  # type: ignore[no-untyped-def]
        from django.utils import timezone

        from actionplan.enums import Peran
        from actionplan.models import PeranPengguna
        from tests.factories import (
            AreaPerubahanFactory,
            IndikatorFactory,
            KomponenFactory,
            LangkahAksiFactory,
            RencanaAksiFactory,
            TimKerjaFactory,
        )

        self.today = timezone.localdate()
        self.rencana = RencanaAksiFactory(tahun=self.today.year)
        self.unit = self.rencana.satuan_kerja
        self.tim_a = TimKerjaFactory(satuan_kerja=self.unit, nama="TIM A")
        self.tim_b = TimKerjaFactory(satuan_kerja=self.unit, nama="TIM B")
        area = AreaPerubahanFactory(rencana=self.rencana, nomor=1)
        komponen = KomponenFactory(area=area, nomor=1)
        self.langkah = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=1),
            urutan=1,
            tim=self.tim_a,
            bulan=list(range(1, 13)),
            bukti=["Undangan, daftar hadir"],
        )
        self.langkah_b = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=2),
            urutan=1,
            tim=self.tim_b,
            bulan=[self.today.month],
        )
        self.slot = self.langkah.jadwal.get(bulan=self.today.month)

        other = RencanaAksiFactory(tahun=self.today.year)
        self.tim_lain = TimKerjaFactory(satuan_kerja=other.satuan_kerja, nama="TIM UNIT LAIN")
        self.langkah_lain = LangkahAksiFactory(
            indikator=IndikatorFactory(
                komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=other, nomor=1))
            ),
            tim=self.tim_lain,
            bulan=[self.today.month],
        )
        self.rencana_lain = other

        def user(name: str):  # type: ignore[no-untyped-def]
            return django_user_model.objects.create_user(name, password="sandi-uji-123")

        self.users = {kind: user(kind) for kind in USER_KINDS if kind != "anonim"}
        for kind, peran in [
            ("admin", Peran.ADMIN),
            ("pimpinan", Peran.PIMPINAN),
            ("reviewer", Peran.REVIEWER),
        ]:
            PeranPengguna.objects.create(user=self.users[kind], satuan_kerja=self.unit, peran=peran)
        self.tim_a.anggota.add(self.users["anggota"])
        self.tim_b.anggota.add(self.users["anggota_lain"])
        self.tim_lain.anggota.add(self.users["unit_lain"])

    def client_for(self, kind: str):  # type: ignore[no-untyped-def]
        from django.test import Client

        client = Client()
        if kind != "anonim":
            client.force_login(self.users[kind])
        return client

    def submit(self, *, kind: str = "anggota", slot=None, files=None, tautan: str = ""):  # type: ignore[no-untyped-def]
        from evidence.services import bukti_submit
        from tests.files import pdf

        return bukti_submit(
            slot=slot or self.slot,
            files=[pdf()] if files is None else files,
            tautan=tautan,
            catatan="",
            oleh=self.users[kind],
        )


@pytest.fixture
def world(db, django_user_model):  # type: ignore[no-untyped-def]
    return World(django_user_model)
