"""Writes of the LKE: the master's year rule, answers and their history, the locks,
the states, the workbook fill (all or nothing), surveys, area teams."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from actionplan.enums import AksiAudit
from actionplan.lke import selectors, services
from actionplan.lke.enums import JenisSurvei, Pihak, StatusPenilaian
from actionplan.lke.master import MasterTidakSah, master_load
from actionplan.lke.models import (
    JawabanLke,
    MasterLke,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
)
from actionplan.models import CatatanAudit
from evidence.enums import StatusBukti
from tests.factories import BuktiFactory
from tests.lke.helpers import MASTER_JSON

S = StatusPenilaian


@pytest.fixture
def penilaian(world, lke_master):
    return services.penilaian_get_or_create(
        satuan_kerja=world.unit, tahun=2026, by=world.users["admin"]
    )


def soal(master, soal_id):
    return master.soal.get(soal_id=soal_id)


def test_an_assessment_is_created_once_with_the_years_master(world, lke_master):
    first = services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=None)
    again = services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=None)
    assert first.pk == again.pk
    assert first.master == lke_master
    assert first.status == S.DRAFT
    assert PeristiwaPenilaian.objects.filter(penilaian=first).count() == 1


def test_the_master_of_a_year_is_its_own_else_the_newest_before_else_the_oldest_after(
    lke_master,
):
    older = MasterLke.objects.create(tahun=2023, sumber="uji")
    assert MasterLke.objects.for_year(2026) == lke_master
    assert MasterLke.objects.for_year(2027) == lke_master
    assert MasterLke.objects.for_year(2025) == older
    assert MasterLke.objects.for_year(2024) == older
    assert MasterLke.objects.for_year(2020) == older


def test_no_master_gives_a_clear_message(world, db):
    MasterLke.objects.all().delete()
    with pytest.raises(ValidationError, match="Master soal LKE belum dimuat"):
        services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=None)
    assert PenilaianLke.objects.count() == 0


def test_loading_the_master_again_keeps_answers(penilaian, lke_master, world):
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal(lke_master, 2),
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="B"),
        by=world.users["admin"],
    )
    call_command("lke_load_master", stdout=io.StringIO())
    assert MasterLke.objects.count() == 1
    assert JawabanLke.objects.get(penilaian=penilaian).jawaban_unit == "B"
    assert lke_master.soal.count() == 127


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("data"), "bukan master soal PortalRB"),
        (lambda d: d.update(tahun="2026"), "Tahun master '2026' tidak sah."),
        (lambda d: d.update(total_soal=128), "total_soal 128, tetapi berkas memuat 127 soal."),
        (
            lambda d: d["data"][0]["children"][0]["children"][0]["children"][0]["soals"][1][
                "skema_penilaian"
            ].pop(),
            "Soal 2: pilihan ['A', 'B'] tidak sesuai jenis Pilihan A-C.",
        ),
        (
            lambda d: d["data"][0]["children"][0]["children"][0]["children"][0]["soals"][1].update(
                id=1
            ),
            "Ada soal_id yang sama lebih dari sekali.",
        ),
        (
            lambda d: d["data"][0]["children"][0]["children"][0]["children"][0]["soals"][1].update(
                jenis_jawaban="XYZ"
            ),
            "Soal 2: jenis jawaban 'XYZ' tidak dikenal.",
        ),
    ],
)
def test_a_bad_master_is_refused_and_changes_nothing(db, mutate, message):
    MasterLke.objects.all().delete()
    data = json.loads(MASTER_JSON.read_text())
    mutate(data)
    with pytest.raises(MasterTidakSah, match=message.replace("(", r"\(").replace("[", r"\[")):
        master_load(data=data, sumber="uji")
    assert MasterLke.objects.count() == 0


def test_the_load_command_refuses_a_file_that_is_not_json(tmp_path, db):
    bad = tmp_path / "master.json"
    bad.write_text("<html>bukan json</html>")
    with pytest.raises(CommandError, match="bukan JSON yang sah"):
        call_command("lke_load_master", str(bad))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("lke_load_master", str(tmp_path / "tidak-ada.json"))


def test_every_change_of_an_answer_is_kept(penilaian, lke_master, world):
    admin = world.users["admin"]
    q = soal(lke_master, 6)
    assert services.jawaban_simpan(
        penilaian=penilaian,
        soal=q,
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="b", catatan="Monev triwulan"),
        by=admin,
    ) == ["jawaban", "catatan"]
    assert services.jawaban_simpan(
        penilaian=penilaian, soal=q, pihak=Pihak.UNIT, isian=services.Isian(jawaban="A"), by=admin
    ) == ["jawaban"]
    # The same answer again changes nothing and writes no history.
    assert (
        services.jawaban_simpan(
            penilaian=penilaian,
            soal=q,
            pihak=Pihak.UNIT,
            isian=services.Isian(jawaban="A"),
            by=admin,
        )
        == []
    )
    history = list(
        RiwayatJawaban.objects.filter(jawaban__penilaian=penilaian).values_list(
            "kolom", "lama", "baru", "aktor__username"
        )
    )
    assert history == [
        ("jawaban", "", "B", "admin"),
        ("catatan", "", "Monev triwulan", "admin"),
        ("jawaban", "B", "A", "admin"),
    ]
    assert CatatanAudit.objects.filter(aksi=AksiAudit.LKE_JAWABAN).count() == 2
    penilaian.refresh_from_db()
    assert penilaian.revisi == 2


@pytest.mark.parametrize(
    ("soal_id", "isian", "message"),
    [
        (6, services.Isian(jawaban="E"), "Soal 6: Jawaban 'E' tidak dikenal"),
        (88, services.Isian(jawaban="-3"), "Soal 88: Jumlah harus bilangan bulat"),
        (125, services.Isian(jawaban="7"), "Soal 125: Indeks harus antara 0 dan 4"),
        (6, services.Isian(tautan="javascript:alert(1)"), "bukan alamat http(s) yang sah"),
        (6, services.Isian(bukti=[999999]), "harus bukti yang sudah disetujui"),
    ],
)
def test_bad_answers_change_nothing(penilaian, lke_master, world, soal_id, isian, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.jawaban_simpan(
            penilaian=penilaian,
            soal=soal(lke_master, soal_id),
            pihak=Pihak.UNIT,
            isian=isian,
            by=world.users["admin"],
        )
    assert JawabanLke.objects.count() == 0
    assert RiwayatJawaban.objects.count() == 0


def test_only_approved_evidence_of_the_unit_can_be_attached(penilaian, lke_master, world):
    approved = BuktiFactory(slot=world.slot, status=StatusBukti.DISETUJUI)
    waiting = BuktiFactory(slot=world.langkah_b.jadwal.get(), status=StatusBukti.DIAJUKAN)
    other_unit = BuktiFactory(slot=world.langkah_lain.jadwal.get(), status=StatusBukti.DISETUJUI)
    q = soal(lke_master, 3)
    for bad in (waiting, other_unit):
        with pytest.raises(ValidationError, match="sudah disetujui"):
            services.jawaban_simpan(
                penilaian=penilaian,
                soal=q,
                pihak=Pihak.UNIT,
                isian=services.Isian(bukti=[approved.pk, bad.pk]),
                by=world.users["admin"],
            )
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=q,
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="Ya", bukti=[approved.pk]),
        by=world.users["admin"],
    )
    assert list(JawabanLke.objects.get().bukti.all()) == [approved]
    assert RiwayatJawaban.objects.filter(kolom="bukti").get().baru == f"bukti:{approved.pk}"


def test_the_states_lock_each_side(penilaian, lke_master, world):
    admin, tpi = world.users["admin"], world.users["reviewer"]
    q = soal(lke_master, 2)
    services.jawaban_simpan(
        penilaian=penilaian, soal=q, pihak=Pihak.UNIT, isian=services.Isian(jawaban="A"), by=admin
    )
    services.penilaian_pindah(penilaian=penilaian, ke=S.DIAJUKAN, by=admin)
    with pytest.raises(ValidationError, match="jawaban unit terkunci"):
        services.jawaban_simpan(
            penilaian=penilaian,
            soal=q,
            pihak=Pihak.UNIT,
            isian=services.Isian(jawaban="B"),
            by=admin,
        )
    services.jawaban_simpan(
        penilaian=penilaian, soal=q, pihak=Pihak.TPI, isian=services.Isian(jawaban="B"), by=tpi
    )
    services.penilaian_pindah(penilaian=penilaian, ke=S.DIEVALUASI, by=tpi)
    with pytest.raises(ValidationError, match="jawaban TPI terkunci"):
        services.jawaban_simpan(
            penilaian=penilaian, soal=q, pihak=Pihak.TPI, isian=services.Isian(jawaban="C"), by=tpi
        )
    services.penilaian_pindah(penilaian=penilaian, ke=S.FINAL, by=tpi)
    with pytest.raises(ValidationError, match="alasan"):
        services.penilaian_pindah(penilaian=penilaian, ke=S.DIEVALUASI, by=tpi, catatan=" ")
    services.penilaian_pindah(
        penilaian=penilaian, ke=S.DIEVALUASI, by=tpi, catatan="Koreksi soal 2"
    )
    assert list(
        PeristiwaPenilaian.objects.filter(penilaian=penilaian).values_list("aksi", flat=True)
    ) == ["dibuat", "diajukan", "dievaluasi", "difinalkan", "dibuka_kembali"]
    j = JawabanLke.objects.get()
    assert (j.jawaban_unit, j.jawaban_tpi) == ("A", "B")
    audit = CatatanAudit.objects.filter(aksi=AksiAudit.LKE_STATUS).first()
    assert "Alasan: Koreksi soal 2" in audit.ringkasan


def test_an_empty_draft_cannot_be_submitted_and_moves_are_checked(penilaian, world):
    with pytest.raises(ValidationError, match="Belum ada soal yang dijawab"):
        services.penilaian_pindah(penilaian=penilaian, ke=S.DIAJUKAN, by=world.users["admin"])
    with pytest.raises(ValidationError, match="tidak dapat dipindah"):
        services.penilaian_pindah(penilaian=penilaian, ke=S.FINAL, by=world.users["admin"])
    penilaian.refresh_from_db()
    assert penilaian.status == S.DRAFT


def test_a_move_read_from_a_stale_state_is_refused(penilaian, lke_master, world):
    admin = world.users["admin"]
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal(lke_master, 2),
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="A"),
        by=admin,
    )
    stale = PenilaianLke.objects.get(pk=penilaian.pk)
    services.penilaian_pindah(penilaian=penilaian, ke=S.DIAJUKAN, by=admin)
    with pytest.raises(services.StatusBerubah):
        services.penilaian_pindah(penilaian=stale, ke=S.DIAJUKAN, by=admin)
    assert PeristiwaPenilaian.objects.filter(aksi="diajukan").count() == 1


def rows(**answers):
    return {sid: services.BarisIsi(sid, **fields) for sid, fields in answers.items()}


def test_the_workbook_fill_is_the_whole_assessment(penilaian, lke_master, world):
    admin = world.users["admin"]
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal(lke_master, 1),
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="Ya", catatan="SK tim"),
        by=admin,
    )
    changed = services.penilaian_isi(
        penilaian=penilaian,
        baris={
            2: services.BarisIsi(2, jawaban_unit="a", jawaban_tpi="B", catatan_tpi="Kurang"),
            88: services.BarisIsi(88, jawaban_unit=" 12 "),
        },
        by=admin,
        sumber="lke.xlsx",
    )
    # Soal 1 has no row: the workbook clears it.
    assert changed == {"unit": 3, "tpi": 1}
    answers = {
        j.soal.soal_id: (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi)
        for j in JawabanLke.objects.select_related("soal")
    }
    assert answers == {
        1: ("", "", "", ""),
        2: ("A", "", "B", "Kurang"),
        88: ("12", "", "", ""),
    }
    assert CatatanAudit.objects.filter(aksi=AksiAudit.LKE_IMPOR).count() == 1


def test_a_bad_workbook_changes_nothing_and_names_every_bad_row(penilaian, world):
    with pytest.raises(ValidationError) as e:
        services.penilaian_isi(
            penilaian=penilaian,
            baris={
                2: services.BarisIsi(2, jawaban_unit="A"),
                6: services.BarisIsi(6, jawaban_unit="Z"),
                88: services.BarisIsi(88, jawaban_tpi="1.5"),
                999: services.BarisIsi(999, jawaban_unit="A"),
            },
            by=world.users["admin"],
            sumber="lke.xlsx",
        )
    assert e.value.messages == [
        "Soal 999 tidak ada di master 2026.",
        "Soal 6 (jawaban unit): Jawaban 'Z' tidak dikenal; pilihan: A, B, C, D.",
        "Soal 88 (jawaban TPI): Jumlah harus bilangan bulat 0 atau lebih, bukan '1.5'.",
    ]
    assert JawabanLke.objects.count() == 0
    assert CatatanAudit.objects.count() == 0


def test_the_workbook_fill_respects_the_locks(penilaian, lke_master, world):
    admin = world.users["admin"]
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal(lke_master, 2),
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="A"),
        by=admin,
    )
    services.penilaian_pindah(penilaian=penilaian, ke=S.DIAJUKAN, by=admin)
    with pytest.raises(ValidationError, match="jawaban unit terkunci"):
        services.penilaian_isi(
            penilaian=penilaian,
            baris=rows(**{}) | {2: services.BarisIsi(2, jawaban_unit="C")},
            by=admin,
            sumber="x.xlsx",
        )
    # The TPI's columns may still be filled while the unit's stay as they are.
    services.penilaian_isi(
        penilaian=penilaian,
        baris={2: services.BarisIsi(2, jawaban_unit="A", jawaban_tpi="B")},
        by=world.users["reviewer"],
        sumber="x.xlsx",
        boleh_unit=False,
    )
    assert JawabanLke.objects.get().jawaban_tpi == "B"


def test_a_chosen_survey_feeds_its_hasil_question(penilaian, lke_master, world):
    admin = world.users["admin"]
    for triwulan, nilai in [(1, "3.40"), (2, "3.65")]:
        services.survei_catat(
            satuan_kerja=world.unit,
            tahun=2026,
            jenis=JenisSurvei.IPAK,
            triwulan=triwulan,
            nilai=nilai,
            responden=120,
            sumber="Survei Inspektorat",
            by=admin,
        )
    chosen = world.unit.survei.get(triwulan=2)
    services.survei_pakai(penilaian=penilaian, survei=chosen, by=admin)
    penilaian.refresh_from_db()
    assert penilaian.survei_ipak == chosen
    assert selectors.jawaban_map(penilaian, Pihak.UNIT) == {125: "3.65"}
    assert selectors.nilai(penilaian, Pihak.UNIT).skor.hasil_bagian["ipak"] == pytest.approx(
        3.65 / 4 * 17.5
    )


def test_a_survey_out_of_range_is_refused(world, db):
    with pytest.raises(ValidationError):
        services.survei_catat(
            satuan_kerja=world.unit,
            tahun=2026,
            jenis=JenisSurvei.IPKP,
            triwulan=5,
            nilai="4.2",
            responden=10,
            sumber="x",
            by=None,
        )
    assert world.unit.survei.count() == 0


def test_area_teams_default_to_the_plans_owners_and_can_be_changed(penilaian, world):
    from actionplan.lke.access import areas_answered_by, team_areas

    assert team_areas(penilaian)[1] == {world.tim_a.pk, world.tim_b.pk}
    assert areas_answered_by(world.users["anggota"], penilaian) == {1}
    services.pemetaan_simpan(
        penilaian=penilaian, area=1, tim_ids=[world.tim_b.pk], by=world.users["admin"]
    )
    fresh = type(world.users["anggota"]).objects.get(pk=world.users["anggota"].pk)
    assert areas_answered_by(fresh, penilaian) == set()
    with pytest.raises(ValidationError, match="tim dari satuan kerja ini"):
        services.pemetaan_simpan(
            penilaian=penilaian, area=2, tim_ids=[world.tim_lain.pk], by=world.users["admin"]
        )


def test_lke_score_prints_the_json_of_each_side(penilaian, lke_master, world):
    admin = world.users["admin"]
    for sid, answer in [(125, "3.6"), (126, "B"), (127, "3.2")]:
        services.jawaban_simpan(
            penilaian=penilaian,
            soal=soal(lke_master, sid),
            pihak=Pihak.UNIT,
            isian=services.Isian(jawaban=answer),
            by=admin,
        )
    out = io.StringIO()
    call_command("lke_score", unit=world.unit.slug, year=2026, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["hasil"] == 33.5
    assert data["total"] == 33.5
    assert data["predikat"]["WBK"]["memenuhi"] is False
    out = io.StringIO()
    call_command("lke_score", unit=world.unit.slug, year=2026, tpi=True, json=True, stdout=out)
    assert json.loads(out.getvalue())["total"] == 0
    with pytest.raises(CommandError, match="Belum ada penilaian LKE 2025"):
        call_command("lke_score", unit=world.unit.slug, year=2025, json=True)


@pytest.mark.parametrize(
    ("teks", "expected"),
    [
        ("https://kpu.go.id/sk.pdf", "https://kpu.go.id/sk.pdf"),
        (
            " SK Kepala nomor 5/2026 \n\nhttps://kpu.go.id/x ",
            "SK Kepala nomor 5/2026\nhttps://kpu.go.id/x",
        ),
        ("Catatan: lihat arsip", "Catatan: lihat arsip"),
    ],
)
def test_outside_evidence_is_links_or_descriptions(teks, expected):
    # PortalRB's bukti_dukung_unit is "a URL or a description".
    assert services.clean_tautan(teks) == expected


@pytest.mark.parametrize(
    ("teks", "message"),
    [
        ("javascript:alert(1)", "bukan alamat http(s) yang sah"),
        ("ftp://kpu.go.id/sk", "bukan alamat http(s) yang sah"),
        ("www.kpu.go.id", "bukan alamat http(s) yang sah"),
        ("https://bank.example/\u202egpj.exe", "karakter tersembunyi"),
        ("x" * 501, "paling banyak 500 karakter"),
    ],
)
def test_bad_outside_evidence_is_refused(teks, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.clean_tautan(teks)
