from __future__ import annotations

from dataclasses import dataclass

import pytest

from actionplan.lke import services as lke
from actionplan.lke.enums import Pihak, StatusPenilaian
from actionplan.portalrb import services
from actionplan.portalrb.enums import Kategori
from evidence.enums import StatusBukti
from tests.factories import BerkasBuktiFactory, BuktiFactory, SatuanKerjaFactory


@dataclass
class Agency:
    world: object
    usulan: object
    token: str
    penilaian: object
    bukti: object
    berkas: object
    unit_below: object

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token or self.token}"}


@pytest.fixture
def agency(world, lke_master) -> Agency:
    """The world unit as an agency proposing itself for WBK in 2026, with an evaluated
    LKE: soal 1 Ya with an approved evidence file and an outside link, soal 88 a count,
    soal 125 an index; a unit below it, not proposed."""
    admin, tpi = world.users["admin"], world.users["reviewer"]
    bukti = BuktiFactory(slot=world.slot, status=StatusBukti.DISETUJUI)
    berkas = BerkasBuktiFactory(bukti=bukti)
    penilaian = lke.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=admin)
    q = {s.soal_id: s for s in penilaian.master.soal.filter(soal_id__in=[1, 2, 88, 125])}
    lke.jawaban_simpan(
        penilaian=penilaian,
        soal=q[1],
        pihak=Pihak.UNIT,
        by=admin,
        isian=lke.Isian(
            jawaban="Ya", catatan="SK Tim ZI", tautan="https://kpu.go.id/sk", bukti=[bukti.pk]
        ),
    )
    lke.jawaban_simpan(
        penilaian=penilaian, soal=q[2], pihak=Pihak.UNIT, by=admin, isian=lke.Isian(jawaban="B")
    )
    lke.jawaban_simpan(
        penilaian=penilaian, soal=q[88], pihak=Pihak.UNIT, by=admin, isian=lke.Isian(jawaban="12")
    )
    lke.jawaban_simpan(
        penilaian=penilaian,
        soal=q[125],
        pihak=Pihak.UNIT,
        by=admin,
        isian=lke.Isian(jawaban="3.62"),
    )
    lke.penilaian_pindah(penilaian=penilaian, ke=StatusPenilaian.DIAJUKAN, by=admin)
    lke.jawaban_simpan(
        penilaian=penilaian,
        soal=q[1],
        pihak=Pihak.TPI,
        by=tpi,
        isian=lke.Isian(jawaban="Ya", catatan="Sesuai"),
    )
    lke.jawaban_simpan(
        penilaian=penilaian, soal=q[2], pihak=Pihak.TPI, by=tpi, isian=lke.Isian(jawaban="C")
    )
    lke.penilaian_pindah(penilaian=penilaian, ke=StatusPenilaian.DIEVALUASI, by=tpi)
    usulan = services.usulan_get_or_create(instansi=world.unit, tahun=2026)
    services.unit_usulkan(usulan=usulan, satuan_kerja=world.unit, kategori=Kategori.WBK, by=admin)
    _, token = services.token_buat(instansi=world.unit, nama="PortalRB", by=admin)
    below = SatuanKerjaFactory(induk=world.unit, nama="KPU Kabupaten Bawah")
    penilaian.refresh_from_db()
    return Agency(world, usulan, token, penilaian, bukti, berkas, below)
