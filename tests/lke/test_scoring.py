"""The LKE's arithmetic against values computed by hand from the official sheet's
rules (README of the LKE). Exact fractions: 0.67 is 67/100, never two thirds."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from actionplan.lke import scoring
from actionplan.lke.enums import Kriteria, Predikat
from tests.lke.helpers import COUNTS_FULL, best_answers, struktur_2026

S = struktur_2026()
AMBANG_2026 = {
    "WBK": {
        "total": F(75),
        "pengungkit": F(40),
        "area": F(60),
        "birokrasi": F("18.25"),
        "ipak": F("15.75"),
        "capaian": F("2.5"),
        "ipkp": F(14),
    },
    "WBBM": {
        "total": F(85),
        "pengungkit": F(48),
        "area": F(75),
        "birokrasi": F("19.5"),
        "ipak": F("15.75"),
        "capaian": F("3.75"),
        "ipkp": F("15.75"),
        "sudah_wbk": F(1),
    },
}
# PortalRB node ids of the sub-areas used below.
TIM_KERJA, PEMANTAUAN, SOP = 4, 6, 9
KOMITMEN, DISIPLIN, CAPAIAN, PENGADUAN, HARTA, LHKPN, NON_LHKPN, INOVASI = (
    36,
    46,
    48,
    53,
    54,
    55,
    56,
    58,
)


def score(answers: dict[int, str]) -> scoring.Skor:
    return scoring.hitung(S, answers)


def test_the_master_has_127_questions_and_weights_summing_to_100():
    assert len(S.soal) == 127
    weights = sum(n.bobot for n in S.nodes.values() if n.level == "komponen")
    assert weights == 100


def test_every_best_answer_scores_exactly_100():
    skor = score(best_answers())
    assert skor.total == 100
    assert (skor.pengungkit, skor.pemenuhan, skor.reform, skor.hasil) == (60, 30, 30, 40)
    weights = {1: 4, 2: F("3.5"), 3: 5, 4: 5, 5: F("7.5"), 6: 5}
    assert skor.area == {n: {"pemenuhan": w, "reform": w} for n, w in weights.items()}


def test_nothing_answered_scores_0():
    skor = score({})
    assert skor.total == 0
    assert skor.terjawab == 0


def test_a_blank_is_left_out_of_the_mean_not_counted_as_0():
    # Sub-area 'Penyusunan Tim Kerja' (weight 0.5): soal 1 Ya/Tidak, soal 2 ABC.
    assert score({1: "Ya"}).sub_area[TIM_KERJA] == F("0.5")
    assert score({1: "Ya", 2: "C"}).sub_area[TIM_KERJA] == F("0.25")
    assert score({1: "Tidak", 2: "A"}).sub_area[TIM_KERJA] == F("0.25")
    assert score({1: "Ya"}).total == F("0.5")


def test_abcd_uses_the_sheets_decimals_not_thirds():
    assert score({6: "B"}).sub_area[PEMANTAUAN] == F("0.67")
    assert score({6: "C"}).sub_area[PEMANTAUAN] == F("0.33")
    # (0.67 + 0.33 + 1) / 3 x 1
    assert score({6: "B", 7: "C", 8: "A"}).sub_area[PEMANTAUAN] == F(2, 3)
    # 0.67 + 0.67 + 0.67 = 2.01, / 3 = 0.67 (with thirds it would be 2/3)
    assert score({6: "B", 7: "B", 8: "B"}).sub_area[PEMANTAUAN] == F("0.67")


def test_abcde_multipliers():
    # Sub-area SOP (weight 1): 13 ABCD, 14 and 15 ABCDE.
    assert score({14: "B"}).sub_area[SOP] == F("0.75")
    assert score({14: "C", 15: "D"}).sub_area[SOP] == F("0.375")
    assert score({13: "D", 14: "E"}).sub_area[SOP] == 0


def test_change_agents_percentages_are_capped_at_1():
    # Komitmen dalam perubahan (weight 2): 89 / 88 and 91 / 90.
    assert score({88: "4", 89: "10"}).sub_area[KOMITMEN] == 2
    skor = score({88: "4", 89: "10", 90: "10", 91: "5"})
    assert skor.sub_area[KOMITMEN] == F("1.5")  # (1 + 0.5) / 2 x 2
    assert skor.area[1]["reform"] == F("1.5")


def test_a_percentage_with_a_zero_divisor_or_a_missing_count_is_unanswered():
    assert score({88: "0", 89: "3", 90: "10", 91: "5"}).sub_area[KOMITMEN] == 1  # 0.5 x 2
    assert score({89: "3"}).sub_area[KOMITMEN] == 0
    assert score({88: "0", 89: "0"}).sub_area[KOMITMEN] == 0


@pytest.mark.parametrize(
    ("last_year", "this_year", "expected"),
    [
        ("0", "0", F(2)),  # no violations in either year: 1 x 2
        ("4", "1", F("1.5")),  # (4 - 1) / 4 = 0.75
        ("2", "5", F(0)),  # more violations: never below 0
        ("0", "3", F(0)),  # from none to some: divisor 0, unanswered
        ("4", "4", F(0)),
    ],
)
def test_the_discipline_rule(last_year, this_year, expected):
    skor = score({102: last_year, 103: this_year, 104: "100"})  # 104 is not used
    assert skor.sub_area[DISIPLIN] == expected


def test_discipline_with_a_missing_count_is_unanswered():
    assert score({102: "4"}).sub_area[DISIPLIN] == 0


def test_unit_performance_and_complaints():
    assert score({105: "8", 106: "6"}).sub_area[CAPAIAN] == F("1.5")  # 0.75 x 2
    assert score({105: "8", 106: "20"}).sub_area[CAPAIAN] == 2  # capped
    # 112 / 110; 111 (being processed) is entered but not used.
    assert score({110: "10", 111: "5", 112: "4"}).sub_area[PENGADUAN] == F("1.2")


def test_wealth_reports_add_lhkpn_and_non_lhkpn():
    lhkpn = {113: "2", 114: "1", 115: "1", 116: "3"}  # 3 / 4
    skor = score(lhkpn)
    assert skor.sub_area[LHKPN] == F("0.75")
    assert skor.sub_area[NON_LHKPN] == 0
    assert skor.sub_area[HARTA] == F("0.75")
    both = score({**lhkpn, 117: "1", 118: "1", 119: "2", 120: "2"})  # + 2 / 4
    assert both.sub_area[HARTA] == F("1.25")
    assert both.area[5]["reform"] == F("1.25")
    assert score({113: "0", 114: "0", 115: "0", 116: "0"}).sub_area[LHKPN] == 0


def test_service_innovation_mixes_a_question_and_a_percentage():
    # Upaya dan/atau inovasi (weight 2.5): soal 121 (ABCD) and 123 / 122.
    assert score({121: "B", 122: "4", 123: "2"}).sub_area[INOVASI] == F("1.4625")
    assert score({121: "B", 122: "0", 123: "0"}).sub_area[INOVASI] == F("1.675")


def test_hasil_from_the_survey_indices_and_performance():
    skor = score({125: "3.6", 126: "B", 127: "3.2"})
    assert skor.hasil_bagian["ipak"] == F("15.75")
    assert skor.hasil_bagian["capaian"] == F("3.75")
    assert skor.hasil_bagian["ipkp"] == 14
    assert skor.hasil_bagian["birokrasi"] == F("19.5")
    assert skor.hasil == F("33.5")
    assert skor.pengungkit == 0
    assert skor.total == F("33.5")


def test_the_verdict_on_the_thresholds():
    answers = {**best_answers(), 125: "3.6", 126: "B", 127: "3.2"}
    skor = score(answers)
    assert skor.total == F("93.5")
    verdict = scoring.putusan(S, skor, AMBANG_2026, sudah_wbk=False)
    assert verdict[Predikat.WBK].memenuhi is True
    wbbm = {k.kunci: k.memenuhi for k in verdict[Predikat.WBBM].kriteria}
    assert wbbm[Kriteria.IPKP] is False  # 14 < 15.75
    assert wbbm[Kriteria.SUDAH_WBK] is False
    assert wbbm[Kriteria.BIROKRASI] is True  # 19.5 >= 19.5, exactly
    assert wbbm[Kriteria.CAPAIAN] is True  # 3.75 >= 3.75, exactly
    assert verdict[Predikat.WBBM].memenuhi is False
    assert (
        scoring.putusan(S, score({**best_answers()}), AMBANG_2026, sudah_wbk=True)[
            Predikat.WBBM
        ].memenuhi
        is True
    )


def test_an_area_exactly_at_its_share_meets_it():
    # Area 1 at exactly 60 % of 8: Pemenuhan 4 (all best) + Reform 0.8 (komitmen
    # 4/10 = 0.4 x 2, soal 92 E, soal 93 D).
    answers = {k: v for k, v in best_answers().items() if k not in COUNTS_FULL}
    answers.update({88: "10", 89: "4", 92: "E", 93: "D"})
    skor = score(answers)
    assert skor.area_total(1) == F("4.8")
    area1 = next(
        k
        for k in scoring.putusan(S, skor, AMBANG_2026, sudah_wbk=False)["WBK"].kriteria
        if k.kunci == "area:1"
    )
    assert area1.nilai == 60
    assert area1.memenuhi is True
    assert area1.selisih == 0


def test_the_json_shape_of_lke_score():
    skor = score({**best_answers(), 125: "3.6"})
    data = scoring.as_json(skor, scoring.putusan(S, skor, AMBANG_2026, sudah_wbk=False))
    assert set(data) == {"total", "pengungkit", "pemenuhan", "reform", "hasil", "area", "predikat"}
    assert set(data["area"]) == {"1", "2", "3", "4", "5", "6"}
    assert data["area"]["5"] == {"pemenuhan": 7.5, "reform": 7.5}
    assert data["total"] == 60 + 15.75 + 5 + 17.5
    assert set(data["predikat"]) == {"WBK", "WBBM"}
    first = data["predikat"]["WBK"]["kriteria"][0]
    assert set(first) == {"nama", "nilai", "batas", "memenuhi"}
    assert data["predikat"]["WBK"]["memenuhi"] is True


def test_points_still_to_gain_are_ranked():
    gains = scoring.peluang(S, {})
    top = [(p.item.kunci, p.tambah) for p in gains[:4]]
    assert top == [
        ("soal:125", F("17.5")),
        ("soal:127", F("17.5")),
        ("soal:126", 5),
        ("persen:pengaduan", 3),
    ]
    # An item at its best offers nothing; one at C offers the rest of its share.
    assert all(p.item.kunci != "soal:1" for p in scoring.peluang(S, {1: "Ya"}))
    gain = next(p for p in scoring.peluang(S, {1: "Ya", 2: "C"}) if p.item.kunci == "soal:2")
    assert gain.tambah == F("0.25")  # the mean goes from 0.5 to 1, x 0.5


def test_a_joint_gain_of_an_area():
    answers = {6: "C", 7: "C", 8: "C"}  # sub-area weight 1, now 0.33
    assert scoring.peluang_area(S, answers, ["soal:6", "soal:7", "soal:8"]) == F("0.67")


@pytest.mark.parametrize(
    ("soal_id", "typed", "expected"),
    [
        (2, "a", "A"),
        (1, " ya ", "Ya"),
        (1, "TIDAK", "Tidak"),
        (88, 12.0, "12"),
        (88, "12", "12"),
        (125, "3,62", "3.62"),
        (125, 4, "4"),
        (2, "", ""),
        (2, None, ""),
    ],
)
def test_answers_are_normalised(soal_id, typed, expected):
    assert scoring.normalise(S.soal[soal_id], typed) == expected


@pytest.mark.parametrize(
    ("soal_id", "typed", "message"),
    [
        (6, "E", "Jawaban 'E' tidak dikenal; pilihan: A, B, C, D."),
        (1, "A", "Jawaban 'A' tidak dikenal; pilihan: Ya, Tidak."),
        (88, "2.5", "Jumlah harus bilangan bulat 0 atau lebih, bukan '2.5'."),
        (88, "-1", "Jumlah harus bilangan bulat 0 atau lebih, bukan '-1'."),
        (88, "dua", "'dua' bukan angka."),
        (125, "4.5", "Indeks harus antara 0 dan 4, bukan '4.5'."),
        (125, "NaN", "'NaN' bukan angka."),
        (2, True, "Jawaban harus berupa teks atau angka."),
    ],
)
def test_bad_answers_are_refused_in_indonesian(soal_id, typed, message):
    with pytest.raises(scoring.JawabanTidakSah) as e:
        scoring.normalise(S.soal[soal_id], typed)
    assert str(e.value) == message
