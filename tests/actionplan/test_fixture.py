"""The 2024 KPU Banyumas plan as its decree states it."""

from __future__ import annotations

import datetime
import json
from io import StringIO

from django.core import serializers
from django.core.management import call_command

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

PLAN_MODELS = [
    SatuanKerja,
    TimKerja,
    RencanaAksi,
    AreaPerubahan,
    Komponen,
    Indikator,
    LangkahAksi,
    BuktiFisik,
    Slot,
]


def _snapshot() -> list[dict]:
    """The plan's content; the revisions (cache keys that any rewrite raises) left out."""
    rows = json.loads(
        serializers.serialize("json", [o for m in PLAN_MODELS for o in m.objects.order_by("pk")])
    )
    for row in rows:
        row["fields"].pop("revisi", None)
        row["fields"].pop("revisi_rencana", None)
    return rows


def _export_rows() -> list[dict]:
    out = StringIO()
    call_command("export_plan", unit="kpu-banyumas", year=2024, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_fixture_file_is_built_from_its_source(fixture_source):
    committed = (fixture_source.FIXTURE).read_text(encoding="utf-8")
    assert committed == fixture_source.render(), "run: make fixture"


def test_fixture_loads_unit_teams_and_decree(banyumas):
    assert banyumas.satuan_kerja.slug == "kpu-banyumas"
    assert list(TimKerja.objects.values_list("nama", flat=True)) == [
        "TIM MANAJEMEN PERUBAHAN",
        "TIM PENGUATAN TATA LAKSANA",
        "TIM SISTEM MANAJEMEN SUMBER DAYA MANUSIA",
        "TIM PENGUATAN AKUNTABILITAS",
        "TIM PENGAWASAN",
        "TIM PENGUATAN KUALITAS PELAYANAN PUBLIK",
    ]
    assert banyumas.nomor_lengkap == "NOMOR 12 TAHUN 2024"
    assert banyumas.tempat_penetapan == "Purwokerto"
    assert banyumas.tanggal_penetapan == datetime.date(2024, 1, 10)
    assert banyumas.jabatan_penandatangan == "KETUA KOMISI PEMILIHAN UMUM KABUPATEN BANYUMAS"
    assert banyumas.nama_penandatangan == "ROFINGATUN KHASANAH"
    assert banyumas.salinan_instansi == "SEKRETARIAT KPU KABUPATEN BANYUMAS"
    assert banyumas.salinan_jabatan == "Plt. Kasubbag TPP dan Hukum"
    assert banyumas.salinan_nama == "SIGIT BUDIYANTO"


def test_fixture_has_every_row_of_the_lampiran(banyumas):
    areas = AreaPerubahan.objects.filter(rencana=banyumas)
    assert [a.romawi for a in areas] == ["I", "II", "III", "IV", "V", "VI"]
    steps_per_area = {
        a.romawi: LangkahAksi.objects.filter(indikator__komponen__area=a).count() for a in areas
    }
    assert steps_per_area == {"I": 5, "II": 5, "III": 8, "IV": 9, "V": 15, "VI": 10}
    assert Komponen.objects.filter(area__rencana=banyumas).count() == 22
    assert Indikator.objects.filter(komponen__area__rencana=banyumas).count() == 52
    bukti = BuktiFisik.objects.filter(langkah_aksi__indikator__komponen__area__rencana=banyumas)
    assert bukti.count() == 54
    assert (
        Slot.objects.filter(langkah_aksi__indikator__komponen__area__rencana=banyumas).count()
        == 118
    )


def test_export_plan_json_matches_the_fixture_source(banyumas, fixture_source):
    assert _export_rows() == fixture_source.expected_rows()


def test_export_plan_json_rows_read_as_the_decree(banyumas):
    rows = _export_rows()
    assert len(rows) == 52
    assert rows[0] == {
        "area": "I",
        "area_name": "Pembangunan unit kerja untuk memperoleh predikat menuju WBK/WBBM",
        "komponen_no": 1,
        "komponen": "Tim Kerja",
        "indikator": "Menerbitkan SK Tim Kerja/Kelompok Kerja",
        "langkah_aksi": "Mengevaluasi Tim Kerja / Kelompok Kerja ZI tahun sebelumnya, anggotanya "
        "berasal dari Komisioner dan Jajaran Sekretariat KPU Kabupaten Banyumas",
        "bukti_fisik": "Keputusan KPU Kabupaten Banyumas nomor 11 Tahun 2024",
        "months": [1],
        "tim": "TIM MANAJEMEN PERUBAHAN",
    }
    sop = rows[5]
    assert sop["komponen"] == "Prosedur Operasional tetap (SOP) kegiatan utama"
    assert sop["bukti_fisik"] == (
        "1) Sosialisasi SOP Alur Kerja KPU Kabupaten Banyumas 2) Screenshot/foto ketersediaan "
        "SOP 3) Laporan rapat evaluasi SOP"
    )
    assert sop["months"] == [1, 2, 3, 4, 5, 6]
    # Komponen 2 of area II has no name in the decree.
    assert (rows[6]["area"], rows[6]["komponen_no"], rows[6]["komponen"]) == ("II", 2, "")
    # The indicator that continues across a page break is one text.
    assert rows[13]["indikator"] == (
        "Ukuran kinerja individu telah memiliki kesesuaian dengan indikator kinerja individu "
        "level atasnya"
    )
    # Months past 12 in the seed do not exist.
    assert max(m for row in rows for m in row["months"]) == 12
    assert rows[-1]["months"] == [5]
    assert rows[-1]["tim"] == "TIM PENGUATAN KUALITAS PELAYANAN PUBLIK"


def test_fixture_keeps_a_step_without_months(banyumas):
    step = LangkahAksi.objects.get(
        indikator__teks="Hasil evaluasi atas penerapan Whistle Blowing System telah ditindaklanjuti"
    )
    assert step.bulan == []


def test_loading_the_fixture_twice_changes_nothing(banyumas):
    before = _snapshot()
    revisi = RencanaAksi.objects.get().revisi
    call_command("loaddata", "banyumas_2024", verbosity=0)
    assert _snapshot() == before
    # Rewritten rows raise the revision, so no cached dashboard outlives a reload.
    assert RencanaAksi.objects.get().revisi > revisi


def test_loading_the_fixture_keeps_team_members(banyumas, django_user_model):
    user = django_user_model.objects.create_user("anggota", password="x-y-z-123")
    tim = TimKerja.objects.get(nama="TIM PENGAWASAN")
    tim.anggota.add(user)
    call_command("loaddata", "banyumas_2024", verbosity=0)
    assert list(tim.anggota.all()) == [user]


def test_fixture_leaves_other_units_untouched(db):
    from tests.factories import build_plan

    other = build_plan(areas=2)
    before = serializers.serialize(
        "json",
        LangkahAksi.objects.filter(pk__in=[s.pk for s in LangkahAksi.objects.of_plan(other)]),
    )
    call_command("loaddata", "banyumas_2024", verbosity=0)
    after = serializers.serialize("json", LangkahAksi.objects.of_plan(other).order_by("pk"))
    assert after == before
    assert RencanaAksi.objects.count() == 2
