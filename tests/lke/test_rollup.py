"""The LKE roll-up (lke-rekap): the world unit acts as a province with kabupaten below
it; its admin, pimpinan and reviewer watch them. Worst first, the deciding side's
score, the weakest area, and a query count that does not grow with the units."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from actionplan.lke import scoring, services
from actionplan.lke.enums import Pihak
from actionplan.lke.models import PenilaianLke, PredikatUnit, SoalLke
from tests.factories import SatuanKerjaFactory

pytestmark = pytest.mark.django_db

URL = reverse("lke-rekap", args=[2026])


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Scores are cached under (assessment id, revision); ids come back after a rollback.
    cache.clear()
    yield
    cache.clear()


def _unit_below(world, nama: str, jawaban: dict[int, str] | None = None, *, pihak=Pihak.UNIT):
    unit = SatuanKerjaFactory(induk=world.unit, nama=nama)
    if jawaban is not None:
        penilaian = services.penilaian_get_or_create(satuan_kerja=unit, tahun=2026, by=None)
        soal = {s.soal_id: s for s in SoalLke.objects.filter(master=penilaian.master)}
        for sid, teks in jawaban.items():
            services.jawaban_simpan(
                penilaian=penilaian,
                soal=soal[sid],
                pihak=pihak,
                isian=services.Isian(jawaban=teks),
                by=None,
            )
    return unit


def _rows(response) -> list[tuple[str, Fraction | None]]:
    return [(r.unit.nama, r.skor.total if r.skor else None) for r in response.context["halaman"]]


def test_rekap_worst_first_by_default_then_by_name_or_total(world, lke_master):
    # Hasil only: IPAK 4 -> 17.5; IPAK 3.6 + soal 126 B + IPKP 3.2 -> 33.5.
    bagus = _unit_below(world, "KPU Kab. Bagus", {125: "3.6", 126: "B", 127: "3.2"})
    _unit_below(world, "KPU Kab. Awal", {125: "4"})
    _unit_below(world, "KPU Kab. Cilacap")  # no assessment yet
    client = world.client_for("reviewer")
    worst = client.get(URL)
    assert worst.status_code == 200
    assert _rows(worst) == [
        ("KPU Kab. Cilacap", None),
        ("KPU Kab. Awal", Fraction("17.5")),
        ("KPU Kab. Bagus", Fraction("33.5")),
    ]
    assert [n for n, _ in _rows(client.get(URL, {"urutan": "nama"}))] == [
        "KPU Kab. Awal",
        "KPU Kab. Bagus",
        "KPU Kab. Cilacap",
    ]
    assert [n for n, _ in _rows(client.get(URL, {"urutan": "total"}))] == [
        "KPU Kab. Bagus",
        "KPU Kab. Awal",
        "KPU Kab. Cilacap",
    ]
    html = worst.content.decode()
    assert "Belum mulai" in html
    assert reverse("lke-skor", args=[bagus.slug, 2026]) in html


def test_rekap_row_uses_the_tpi_score_once_evaluated_and_names_the_weakest_area(world, lke_master):
    unit = _unit_below(world, "KPU Kab. Dievaluasi", {125: "4"})
    penilaian = PenilaianLke.objects.get(satuan_kerja=unit)
    soal = {s.soal_id: s for s in SoalLke.objects.filter(master=lke_master)}
    # The TPI: soal 1 (Ya) alone in sub-area 'Penyusunan Tim Kerja' (0.5 of Area I's 8):
    # Area I at 0.5 / 8 = 6.25 %, every other area at 0 %: the weakest is Area II (ties
    # go to the lower number; the unit's side, all areas at 0 %, names Area I).
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal[1],
        pihak=Pihak.TPI,
        isian=services.Isian(jawaban="Ya"),
        by=None,
    )
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal[125],
        pihak=Pihak.TPI,
        isian=services.Isian(jawaban="2"),
        by=None,
    )
    client = world.client_for("admin")
    row = client.get(URL).context["halaman"][0]
    assert (row.pihak, row.skor.total) == ("unit", Fraction("17.5"))
    assert (row.area_terlemah.nomor, row.area_terlemah.persen) == (1, 0)

    # As penilaian_pindah does: the state with the revision (the page's cache key).
    PenilaianLke.objects.filter(pk=penilaian.pk).update(status="dievaluasi", revisi=F("revisi") + 1)
    row = client.get(URL).context["halaman"][0]
    # 0.5 (soal 1) + 2 / 4 x 17.5 = 9.25
    assert (row.pihak, row.skor.total) == ("tpi", Fraction("9.25"))
    assert row.wbk is False and row.wbbm is False
    assert (row.area_terlemah.nomor, row.area_terlemah.persen) == (2, 0)
    assert row.area_terlemah.batas == 60
    assert row.area_terlemah.memenuhi is False


def test_rekap_sudah_wbk_counts_for_wbbm(world, lke_master):
    import datetime

    unit = _unit_below(world, "KPU Kab. WBK", {125: "4"})
    PredikatUnit.objects.create(satuan_kerja=unit, predikat="WBK", sejak=datetime.date(2025, 12, 1))
    row = world.client_for("pimpinan").get(URL).context["halaman"][0]
    sudah = [k for k in row.putusan["WBBM"].kriteria if k.kunci == "sudah_wbk"]
    assert [k.memenuhi for k in sudah] == [True]


def test_rekap_only_watched_units(world, lke_master):
    _unit_below(world, "KPU Kab. Di Bawah", {125: "4"})
    elsewhere = SatuanKerjaFactory(induk=world.rencana_lain.satuan_kerja, nama="KPU Lain")
    services.penilaian_get_or_create(satuan_kerja=elsewhere, tahun=2026, by=None)
    names = [n for n, _ in _rows(world.client_for("admin").get(URL))]
    assert names == ["KPU Kab. Di Bawah"]
    assert world.client_for("anggota").get(URL).status_code == 403


def test_rekap_superuser_sees_every_unit(world, lke_master, django_user_model):
    from django.test import Client

    from actionplan.models import SatuanKerja

    _unit_below(world, "KPU Kab. Di Bawah", {125: "4"})
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("super", "s@e.org", "pw-123"))
    response = client.get(URL)
    assert response.context["jumlah"] == SatuanKerja.objects.count()


@pytest.mark.parametrize("n", [1, 3])
def test_rekap_query_count_does_not_grow_with_units(
    world, lke_master, django_assert_num_queries, n
):
    for i in range(n):
        _unit_below(world, f"KPU Kab. {i}", {125: "3.6", 1: "Ya", 51: "C"})
    client = world.client_for("reviewer")
    scoring.Struktur.of(lke_master)  # the master's structure, kept in memory after one read
    # session, user, access rows; the page's signature (assessments, thresholds,
    # predicates); then the body: the units; their assessments with master; the answers
    # of every assessment not in the cache; thresholds (years, rows); predicates held.
    with django_assert_num_queries(12):
        response = client.get(URL)
    assert len(response.context["halaman"]) == n
    # The same page again: the body from the cache under the unchanged signature.
    with django_assert_num_queries(6):
        client.get(URL)


def test_progress_rekap_links_to_the_lke_rekap(world, lke_master):
    _unit_below(world, "KPU Kab. Di Bawah")
    html = world.client_for("pimpinan").get(reverse("rekap"), {"tahun": 2026}).content.decode()
    assert reverse("lke-rekap", args=[2026]) in html
