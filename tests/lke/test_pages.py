"""The assessment's pages: the overview, one question with both sides' forms, the
states, the surveys, the settings and the history; bad input changes nothing; query
counts do not grow with the questions answered or the steps linked."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplan.lke import scoring, services
from actionplan.lke.enums import AksiPenilaian, Pihak, StatusPenilaian
from actionplan.lke.models import (
    JawabanLke,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
    SoalLke,
    SurveiIndeks,
    TautanSoal,
)
from evidence.enums import StatusBukti
from evidence.services import bukti_review

S = StatusPenilaian
TAHUN = 2026


@pytest.fixture
def lke(world, lke_master):
    """The world's unit's 2026 assessment (draft, empty)."""
    return services.penilaian_get_or_create(
        satuan_kerja=world.unit, tahun=TAHUN, by=world.users["admin"]
    )


def _url(world, name, *extra):
    return reverse(name, args=[world.unit.slug, TAHUN, *extra])


def _soal(master, soal_id):
    return SoalLke.objects.select_related("node").get(master=master, soal_id=soal_id)


def _answer(world, penilaian, soal_id, jawaban, pihak=Pihak.UNIT, kind="admin", **kw):
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=_soal(penilaian.master, soal_id),
        pihak=pihak,
        isian=services.Isian(jawaban=jawaban, **kw),
        by=world.users[kind],
    )


def _approved(world, slot=None):
    bukti = world.submit(slot=slot)
    return bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _move(world, penilaian, ke, kind, catatan=""):
    penilaian.refresh_from_db()
    return services.penilaian_pindah(
        penilaian=penilaian, ke=ke, by=world.users[kind], catatan=catatan
    )


# --- landing page and creation ----------------------------------------------------------


def test_beranda_sends_a_one_unit_user_to_this_years_assessment(world, lke_master):
    response = world.client_for("anggota").get(reverse("lke-beranda"))
    assert response.status_code == 302
    assert response["Location"] == _url(world, "lke-penilaian")


def test_beranda_lists_the_units_of_a_user_who_reads_several(world, lke_master, superuser_client):
    response = superuser_client.get(reverse("lke-beranda"))
    assert response.status_code == 200
    body = _text(response)
    assert _url(world, "lke-penilaian") in body
    assert reverse("lke-penilaian", args=[world.rencana_lain.satuan_kerja.slug, TAHUN]) in body


def test_penilaian_is_created_on_first_visit_once(world, lke_master):
    client = world.client_for("pimpinan")
    assert client.get(_url(world, "lke-penilaian")).status_code == 200
    assert client.get(_url(world, "lke-penilaian")).status_code == 200
    penilaian = PenilaianLke.objects.get(satuan_kerja=world.unit, tahun=TAHUN)
    assert penilaian.status == S.DRAFT
    assert list(PeristiwaPenilaian.objects.values_list("aksi", flat=True)) == [AksiPenilaian.DIBUAT]


@pytest.mark.parametrize("tahun", [1999, TAHUN + 2])
def test_penilaian_of_a_year_out_of_range_is_not_found(world, lke_master, tahun):
    url = reverse("lke-penilaian", args=[world.unit.slug, tahun])
    assert world.client_for("admin").get(url).status_code == 404
    assert not PenilaianLke.objects.exists()


def test_penilaian_of_another_unit_is_not_found_and_not_created(world, lke_master):
    url = reverse("lke-penilaian", args=[world.rencana_lain.satuan_kerja.slug, TAHUN])
    assert world.client_for("admin").get(url).status_code == 404
    assert not PenilaianLke.objects.exists()


# --- the overview -----------------------------------------------------------------------


def test_penilaian_shows_both_sides_and_their_scores(world, lke):
    _answer(world, lke, 1, "Ya")
    _answer(world, lke, 2, "A")
    _move(world, lke, S.DIAJUKAN, "admin")
    lke.refresh_from_db()
    _answer(world, lke, 1, "Ya", pihak=Pihak.TPI, kind="reviewer")
    _answer(world, lke, 2, "B", pihak=Pihak.TPI, kind="reviewer")
    response = world.client_for("pimpinan").get(_url(world, "lke-penilaian"))
    assert response.status_code == 200
    body = _text(response)
    assert 'data-testid="unit-2">A<' in body
    assert 'data-testid="tpi-2">B<' in body
    # Sub-area i. of area 1 (weight 0.5): unit (1 + 1) / 2 x 0.5 = 0.5, TPI (1 + 0.5) / 2
    # x 0.5 = 0.375; nothing else answered.
    assert 'data-testid="skor-unit-1">0,50<' in body
    assert 'data-testid="skor-tpi-1">0,38<' in body
    assert _url(world, "lke-skor") in body
    assert _url(world, "lke-soal", 2) in body


def test_penilaian_filters_by_area_unanswered_and_different(world, lke):
    _answer(world, lke, 1, "Ya")
    _answer(world, lke, 2, "A")
    _move(world, lke, S.DIAJUKAN, "admin")
    lke.refresh_from_db()
    _answer(world, lke, 1, "Ya", pihak=Pihak.TPI, kind="reviewer")
    _answer(world, lke, 2, "C", pihak=Pihak.TPI, kind="reviewer")
    client = world.client_for("admin")

    def rows(query):
        body = client.get(_url(world, "lke-penilaian") + query).content.decode()
        return [int(x.split('"')[0]) for x in body.split('data-soal="')[1:]]

    assert rows("?saring=berbeda") == [2]
    unanswered = rows("?saring=belum")
    assert 1 not in unanswered and 2 not in unanswered
    assert len(unanswered) == 125
    area2 = rows("?area=2")
    assert area2 and all(_soal(lke.master, s).node.area == 2 for s in area2)
    assert rows("?area=0") == [125, 126, 127]


# --- answering ---------------------------------------------------------------------------


def test_soal_answer_saves_with_evidence_and_history(world, lke):
    bukti = _approved(world)
    client = world.client_for("anggota")
    response = client.post(
        _url(world, "lke-soal", 2),
        {
            "pihak": "unit",
            "jawaban": "b",
            "catatan": "SK tim ZI",
            "tautan": "https://example.org/sk.pdf",
            "bukti": [str(bukti.pk)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(world, "lke-soal", 2)
    jawaban = JawabanLke.objects.get(penilaian=lke)
    assert (jawaban.jawaban_unit, jawaban.catatan_unit, jawaban.tautan) == (
        "B",
        "SK tim ZI",
        "https://example.org/sk.pdf",
    )
    assert list(jawaban.bukti.values_list("pk", flat=True)) == [bukti.pk]
    assert sorted(RiwayatJawaban.objects.values_list("kolom", "baru")) == [
        ("bukti", f"bukti:{bukti.pk}"),
        ("catatan", "SK tim ZI"),
        ("jawaban", "B"),
        ("tautan", "https://example.org/sk.pdf"),
    ]
    page = _text(client.get(_url(world, "lke-soal", 2)))
    assert "Jawaban soal 2 disimpan." in page
    assert "– → B" in page
    assert f'id="bukti-{bukti.pk}" checked' in page


def test_soal_save_and_next_goes_to_the_next_question(world, lke):
    response = world.client_for("admin").post(
        _url(world, "lke-soal", 1), {"pihak": "unit", "jawaban": "Ya", "lanjut": "2"}
    )
    assert response["Location"] == _url(world, "lke-soal", 2)


@pytest.mark.parametrize(
    ("soal_id", "data", "message"),
    [
        (2, {"jawaban": "Z"}, "Jawaban 'Z' tidak dikenal; pilihan: A, B, C."),
        (88, {"jawaban": "-1"}, "Jumlah harus bilangan bulat 0 atau lebih, bukan '-1'."),
        (88, {"jawaban": "2.5"}, "Jumlah harus bilangan bulat 0 atau lebih, bukan '2.5'."),
        (125, {"jawaban": "5"}, "Indeks harus antara 0 dan 4, bukan '5'."),
        (1, {"jawaban": "Ya", "tautan": "http:/bukan-alamat"}, "Tautan 'http:/bukan-alamat' bukan"),
        (1, {"jawaban": "Ya", "bukti": ["abc"]}, "Pilihan bukti tidak dikenal."),
    ],
)
def test_soal_bad_input_shows_the_message_and_changes_nothing(world, lke, soal_id, data, message):
    response = world.client_for("admin").post(
        _url(world, "lke-soal", soal_id), {"pihak": "unit", **data}
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert 'data-testid="galat-unit"' in response.content.decode()
    assert not JawabanLke.objects.exists()
    assert not RiwayatJawaban.objects.exists()


@pytest.mark.parametrize("which", ["unit_lain", "diajukan"])
def test_soal_evidence_of_another_unit_or_not_approved_is_refused(world, lke, which):
    if which == "unit_lain":
        bukti = _approved(world, slot=world.langkah_lain.jadwal.get(bulan=world.today.month))
    else:
        bukti = world.submit()
    response = world.client_for("admin").post(
        _url(world, "lke-soal", 1), {"pihak": "unit", "jawaban": "Ya", "bukti": [bukti.pk]}
    )
    assert response.status_code == 200
    assert (
        "Bukti yang dipilih harus bukti yang sudah disetujui dari rencana aksi unit ini."
        in _text(response)
    )
    assert not JawabanLke.objects.exists()
    assert not RiwayatJawaban.objects.exists()


def test_soal_unit_side_is_locked_after_submission(world, lke):
    _answer(world, lke, 1, "Ya")
    _move(world, lke, S.DIAJUKAN, "admin")
    client = world.client_for("admin")
    page = client.get(_url(world, "lke-soal", 1)).content.decode()
    assert 'data-testid="form-unit"' not in page
    assert 'data-testid="baca-unit"' in page
    response = client.post(_url(world, "lke-soal", 1), {"pihak": "unit", "jawaban": "Tidak"})
    assert "jawaban unit terkunci" in _text(response)
    assert JawabanLke.objects.get().jawaban_unit == "Ya"
    assert RiwayatJawaban.objects.count() == 1


def test_soal_tpi_evaluates_only_what_was_submitted(world, lke):
    _answer(world, lke, 1, "Ya")
    client = world.client_for("reviewer")
    response = client.post(_url(world, "lke-soal", 1), {"pihak": "tpi", "jawaban": "Tidak"})
    assert "TPI menilai setelah penilaian diajukan" in _text(response)
    assert JawabanLke.objects.get().jawaban_tpi == ""

    _move(world, lke, S.DIAJUKAN, "admin")
    assert 'data-testid="form-tpi"' in client.get(_url(world, "lke-soal", 1)).content.decode()
    response = client.post(
        _url(world, "lke-soal", 1), {"pihak": "tpi", "jawaban": "Tidak", "catatan": "SK belum"}
    )
    assert response.status_code == 302
    jawaban = JawabanLke.objects.get()
    assert (jawaban.jawaban_unit, jawaban.jawaban_tpi, jawaban.catatan_tpi) == (
        "Ya",
        "Tidak",
        "SK belum",
    )

    _move(world, lke, S.DIEVALUASI, "reviewer")
    response = client.post(_url(world, "lke-soal", 1), {"pihak": "tpi", "jawaban": "Ya"})
    assert "jawaban TPI terkunci" in _text(response)
    assert JawabanLke.objects.get().jawaban_tpi == "Tidak"


def test_member_answers_only_their_teams_areas(world, lke):
    assert _soal(lke.master, 1).node.area == 1
    assert _soal(lke.master, 13).node.area == 2
    client = world.client_for("anggota")
    ok = client.post(_url(world, "lke-soal", 1), {"pihak": "unit", "jawaban": "Ya"})
    assert ok.status_code == 302
    for soal_id, jawaban in [(13, "A"), (125, "3")]:
        refused = client.post(
            _url(world, "lke-soal", soal_id), {"pihak": "unit", "jawaban": jawaban}
        )
        assert refused.status_code == 403
        page = client.get(_url(world, "lke-soal", soal_id)).content.decode()
        assert 'data-testid="form-unit"' not in page
    assert list(JawabanLke.objects.values_list("soal__soal_id", flat=True)) == [1]

    # The admin gives area 2 to team A as well: the member answers it.
    services.pemetaan_simpan(
        penilaian=lke, area=2, tim_ids=[world.tim_a.pk], by=world.users["admin"]
    )
    assert (
        client.post(_url(world, "lke-soal", 13), {"pihak": "unit", "jawaban": "A"}).status_code
        == 302
    )


def test_soal_shows_linked_steps_first_in_the_picker_with_their_state(world, lke):
    TautanSoal.objects.create(langkah=world.langkah_b, soal=_soal(lke.master, 1))
    other = _approved(world)  # team A's step, not linked
    linked = _approved(world, slot=world.langkah_b.jadwal.get(bulan=world.today.month))
    page = _text(world.client_for("admin").get(_url(world, "lke-soal", 1)))
    assert page.index(f'id="bukti-{linked.pk}"') < page.index(f'id="bukti-{other.pk}"')
    assert "Terkait soal ini" in page
    assert "1/1 bulan disetujui" in page
    assert reverse("langkah-detail", args=[world.langkah_b.pk]) in page


# --- states ------------------------------------------------------------------------------


def _status(world, kind, ke, catatan="", client=None):
    client = client or world.client_for(kind)
    return client.post(_url(world, "lke-status"), {"ke": ke, "catatan": catatan})


def test_states_move_through_submission_evaluation_and_final(world, lke):
    _answer(world, lke, 1, "Ya")
    page = world.client_for("admin").get(_url(world, "lke-penilaian")).content.decode()
    assert "Ajukan ke TPI" in page
    assert _status(world, "admin", S.DIAJUKAN).status_code == 302
    lke.refresh_from_db()
    assert lke.status == S.DIAJUKAN
    page = world.client_for("reviewer").get(_url(world, "lke-penilaian")).content.decode()
    assert "Selesai evaluasi" in page
    _status(world, "reviewer", S.DIEVALUASI)
    _status(world, "reviewer", S.FINAL)
    lke.refresh_from_db()
    assert lke.status == S.FINAL
    assert list(PeristiwaPenilaian.objects.order_by("pk").values_list("aksi", flat=True)) == [
        AksiPenilaian.DIBUAT,
        AksiPenilaian.DIAJUKAN,
        AksiPenilaian.DIEVALUASI,
        AksiPenilaian.DIFINALKAN,
    ]


def test_submitting_nothing_answered_is_refused_with_a_message(world, lke):
    client = world.client_for("admin")
    response = _status(world, "admin", S.DIAJUKAN, client=client)
    assert response.status_code == 302
    lke.refresh_from_db()
    assert lke.status == S.DRAFT
    page = _text(client.get(response["Location"]))
    assert "Belum ada soal yang dijawab unit; penilaian belum dapat diajukan." in page


def test_reopening_needs_a_reason(world, lke):
    _answer(world, lke, 1, "Ya")
    for ke, kind in [(S.DIAJUKAN, "admin"), (S.DIEVALUASI, "reviewer"), (S.FINAL, "reviewer")]:
        _move(world, lke, ke, kind)
    page = world.client_for("reviewer").get(_url(world, "lke-penilaian")).content.decode()
    assert "Alasan membuka kembali (wajib)" in page
    client = world.client_for("reviewer")
    response = _status(world, "reviewer", S.DIEVALUASI, client=client)
    assert "Tuliskan alasan membuka kembali penilaian." in _text(client.get(response["Location"]))
    lke.refresh_from_db()
    assert lke.status == S.FINAL
    _status(world, "reviewer", S.DIEVALUASI, catatan="Bukti soal 1 diganti")
    lke.refresh_from_db()
    assert lke.status == S.DIEVALUASI
    event = PeristiwaPenilaian.objects.latest("pk")
    assert (event.aksi, event.catatan) == (AksiPenilaian.DIBUKA_KEMBALI, "Bukti soal 1 diganti")


def test_a_move_that_does_not_exist_is_refused(world, lke):
    client = world.client_for("admin")
    response = _status(world, "admin", S.FINAL, client=client)
    lke.refresh_from_db()
    assert lke.status == S.DRAFT
    assert "tidak dapat dipindah ke 'Final'" in _text(client.get(response["Location"]))


# --- surveys, settings, history ----------------------------------------------------------


def test_survei_recorded_and_used_for_soal_125(world, lke):
    client = world.client_for("admin")
    data = {
        "aksi": "catat",
        "jenis": "IPAK",
        "triwulan": "2",
        "nilai": "3.62",
        "responden": "120",
        "sumber": "Survei BPS",
    }
    assert client.post(_url(world, "lke-survei"), data).status_code == 302
    survei = SurveiIndeks.objects.get()
    assert (survei.nilai, survei.responden) == (Decimal("3.620"), 120)
    page = client.get(_url(world, "lke-survei")).content.decode()
    assert "Pakai nilai ini" in page
    response = client.post(_url(world, "lke-survei"), {"aksi": "pakai", "survei": survei.pk})
    assert response.status_code == 302
    lke.refresh_from_db()
    assert lke.survei_ipak_id == survei.pk
    assert JawabanLke.objects.get(soal__soal_id=125).jawaban_unit == "3.62"
    assert ">Dipakai<" in client.get(_url(world, "lke-survei")).content.decode()


def test_survei_value_outside_0_4_is_refused(world, lke):
    response = world.client_for("admin").post(
        _url(world, "lke-survei"),
        {
            "aksi": "catat",
            "jenis": "IPKP",
            "triwulan": "1",
            "nilai": "5",
            "responden": "10",
            "sumber": "x",
        },
    )
    assert response.status_code == 200
    assert "Nilai indeks harus antara 0 dan 4." in _text(response)
    assert not SurveiIndeks.objects.exists()


def test_pengaturan_shows_default_teams_and_saves_areas_and_deadlines(world, lke):
    client = world.client_for("admin")
    page = client.get(_url(world, "lke-pengaturan")).content.decode()
    assert "TIM A" in page and "TIM B" in page
    response = client.post(
        _url(world, "lke-pengaturan"),
        {
            "bagian": "pemetaan",
            "area_1": [world.tim_a.pk, world.tim_b.pk],
            "area_3": [world.tim_b.pk],
        },
    )
    assert response.status_code == 302
    # Area 1 was left as the default (both teams own steps there): not pinned.
    assert list(lke.pemetaan.values_list("area", "tim__nama")) == [(3, "TIM B")]
    response = client.post(
        _url(world, "lke-pengaturan"),
        {"bagian": "batas", "batas_mandiri": "2026-08-31", "batas_evaluasi": "2026-09-30"},
    )
    assert response.status_code == 302
    lke.refresh_from_db()
    assert (str(lke.batas_mandiri), str(lke.batas_evaluasi)) == ("2026-08-31", "2026-09-30")


def test_pengaturan_deadlines_in_the_wrong_order_are_refused(world, lke):
    response = world.client_for("admin").post(
        _url(world, "lke-pengaturan"),
        {"bagian": "batas", "batas_mandiri": "2026-09-30", "batas_evaluasi": "2026-08-31"},
    )
    assert response.status_code == 200
    assert "Batas evaluasi TPI tidak boleh sebelum batas penilaian mandiri." in _text(response)
    lke.refresh_from_db()
    assert lke.batas_mandiri is None


def test_riwayat_lists_events_and_changes_newest_first_in_pages(world, lke, monkeypatch):
    from actionplan.lke import views

    monkeypatch.setattr(views, "PER_HALAMAN", 2)
    _answer(world, lke, 1, "Ya")
    _answer(world, lke, 1, "Tidak")
    client = world.client_for("anggota")
    first = _text(client.get(_url(world, "lke-riwayat")))
    assert "Halaman 1 dari 2" in first
    assert first.index("Ya → Tidak") < first.index("– → Ya")
    second = _text(client.get(_url(world, "lke-riwayat") + "?halaman=2"))
    assert "Penilaian dibuat" in second
    assert "Ya → Tidak" not in second


# --- query counts -------------------------------------------------------------------------


def _setup_items(world, lke, n):
    """n questions answered by the unit with an approved evidence each, each linked to
    a step of the plan with its own approved month."""
    from tests.factories import LangkahAksiFactory

    for i in range(n):
        langkah = LangkahAksiFactory(
            indikator=world.langkah.indikator,
            urutan=10 + i,
            tim=world.tim_a,
            bulan=[world.today.month],
        )
        bukti = _approved(world, slot=langkah.jadwal.get(bulan=world.today.month))
        soal = _soal(lke.master, i + 1)
        TautanSoal.objects.create(langkah=langkah, soal=soal)
        TautanSoal.objects.create(langkah=langkah, soal=_soal(lke.master, 20))
        _answer(world, lke, i + 1, soal.opsi[0]["key"], bukti=[bukti.pk], catatan=f"catatan {i}")
        _answer(world, lke, 20, "A", catatan=f"ubah {i}")


@pytest.mark.parametrize("n", [1, 3])
def test_penilaian_query_count_does_not_grow(world, lke, n, django_assert_num_queries):
    _setup_items(world, lke, n)
    client = world.client_for("admin")
    scoring.Struktur.of(lke.master)  # the master in memory (kept per master)
    cache.clear()
    # session, user, unit, roles (Akses), assessment, the plan; nodes, questions,
    # answers with their evidence counted, links with their steps, the linked months
    # with their states; then the score of each side (x2): answers, threshold years,
    # thresholds, WBK held.
    with django_assert_num_queries(19):
        assert client.get(_url(world, "lke-penilaian")).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_soal_query_count_does_not_grow(world, lke, n, django_assert_num_queries):
    _setup_items(world, lke, n)
    client = world.client_for("admin")
    # session, user, unit, roles (Akses), assessment; the question with its sub-area
    # and its parents; the answer, its evidence with their months; the plan, the links
    # with their steps, the linked months with their states; the picker's versions with
    # their steps, their files; the neighbours' numbers; the answer's history.
    with django_assert_num_queries(15):
        assert client.get(_url(world, "lke-soal", 20)).status_code == 200


def test_history_without_an_actor_reads_sistem(world, lke_master):
    """Changes made by commands (lke_import, the demo) have no actor."""
    from actionplan.lke import services
    from actionplan.lke.enums import Pihak

    penilaian = services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=None)
    services.jawaban_simpan(
        penilaian=penilaian, soal=penilaian.master.soal.get(soal_id=2), pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="A"), by=None,
    )  # fmt: skip
    client = world.client_for("admin")
    for url in (
        reverse("lke-riwayat", args=[world.unit.slug, 2026]),
        reverse("lke-soal", args=[world.unit.slug, 2026, 2]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "sistem" in response.content.decode()
