"""The verdict page (lke-skor), the thresholds (lke-ambang) and the step -> question
links (lke-tautan-langkah): hand-checked values, the gains' order, the weak evidence,
bad input refused with nothing saved, and the N+1 guard."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplan.enums import AksiAudit
from actionplan.lke import scoring, services
from actionplan.lke.enums import Pihak
from actionplan.lke.models import AmbangPredikat, SoalLke, TautanSoal
from actionplan.models import CatatanAudit
from evidence.enums import StatusBukti
from evidence.services import bukti_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Scores are cached under (assessment id, revision); ids come back after a rollback.
    cache.clear()
    yield
    cache.clear()


def _penilaian(world, tahun: int = 2026):
    return services.penilaian_get_or_create(
        satuan_kerja=world.unit, tahun=tahun, by=world.users["admin"]
    )


def _jawab(penilaian, jawaban: dict[int, str], *, pihak=Pihak.UNIT, tautan=None, by=None):
    soal = {s.soal_id: s for s in SoalLke.objects.filter(master=penilaian.master)}
    for sid, teks in jawaban.items():
        isian = services.Isian(jawaban=teks, tautan=(tautan or {}).get(sid))
        services.jawaban_simpan(
            penilaian=penilaian, soal=soal[sid], pihak=pihak, isian=isian, by=by
        )


def _skor_url(world, tahun: int = 2026) -> str:
    return reverse("lke-skor", args=[world.unit.slug, tahun])


# --- the verdict page ----------------------------------------------------------------------


def test_skor_without_assessment_says_so_and_links_to_the_assessment(world, lke_master):
    response = world.client_for("pimpinan").get(_skor_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="belum-ada"' in html
    assert reverse("lke-penilaian", args=[world.unit.slug, 2026]) in html


def test_skor_hasil_only_values_by_hand(world, lke_master):
    # IPAK 3.6 -> 3.6 / 4 x 17.5 = 15.75; IPKP 3.2 -> 3.2 / 4 x 17.5 = 14.0;
    # soal 126 B -> 0.75 x 5 = 3.75. Hasil = 33.5, Pengungkit 0, total 33.5.
    penilaian = _penilaian(world)
    _jawab(penilaian, {125: "3.6", 126: "B", 127: "3.2"}, by=world.users["admin"])
    response = world.client_for("reviewer").get(_skor_url(world))
    assert response.status_code == 200
    h = response.context["h"]
    unit = h.sisi["unit"].skor
    assert (unit.total, unit.pengungkit, unit.hasil) == (Fraction("33.5"), 0, Fraction("33.5"))
    assert unit.hasil_bagian["ipak"] == Fraction("15.75")
    assert unit.hasil_bagian["ipkp"] == Fraction(14)
    assert unit.hasil_bagian["capaian"] == Fraction("3.75")
    html = response.content.decode()
    assert 'data-testid="total-unit">33,50<' in html
    assert 'data-testid="ipak-unit">15,75<' in html
    assert 'data-testid="ipkp-unit">14,00<' in html
    assert 'data-testid="capaian-unit">3,75<' in html
    assert 'data-testid="pengungkit-unit">0,00<' in html

    # The WBK verdict (2026): the Hasil criteria are met, the total and Pengungkit not.
    wbk = {k.kunci: (k.memenuhi, k.selisih) for k in h.sisi["unit"].putusan["WBK"].kriteria}
    assert wbk["total"] == (False, Fraction("41.5"))  # 75 - 33.5
    assert wbk["pengungkit"] == (False, Fraction(40))
    assert wbk["birokrasi"] == (True, 0)  # 15.75 + 3.75 = 19.5 >= 18.25
    assert wbk["ipak"] == (True, 0)
    assert wbk["ipkp"] == (True, 0)  # 14.0 >= 14.0
    assert wbk["capaian"] == (True, 0)
    assert wbk["area:5"] == (False, Fraction(60))
    wbbm = {k.kunci: k.memenuhi for k in h.sisi["unit"].putusan["WBBM"].kriteria}
    assert wbbm["capaian"] is True  # 3.75 >= 3.75
    assert wbbm["ipkp"] is False  # 14.0 < 15.75
    assert wbbm["sudah_wbk"] is False
    assert 'data-testid="putusan-WBK">Belum memenuhi<' in html
    row = html.split('data-kriteria="total"')[1].split("</tr>")[0]
    assert "33,50" in row and "≥ 75,00" in row and "41,50" in row


def test_skor_gains_are_ranked_and_summed_per_area(world, lke_master):
    # Six answers of Area V (Pemenuhan) at C: 51 (ABC 0), 52 (ABCD 0.33) in sub-area
    # 23 (1.5); 55, 56 (ABC 0) in 24 (1.5); 57, 59 (ABC 0) in 25 (1.5). All six at A:
    # 23 from 0.165 x 1.5 = 0.2475 to 1.5, 24 and 25 from 0 to 1.5: + 4.2525.
    penilaian = _penilaian(world)
    _jawab(penilaian, dict.fromkeys((51, 52, 55, 56, 57, 59), "C"), by=world.users["admin"])
    response = world.client_for("admin").get(_skor_url(world))
    h = response.context["h"]
    assert h.ringkasan_area == ["6 jawaban di Area V dari C ke A menambah 4,25 poin"]
    # The blank Hasil questions first (17.5 each, 125 before 127), then 126 (5), then
    # the complaints percentage (its sub-area's 3), then the 2.5 sub-areas by number.
    top = [(b.kunci, b.tambah) for b in h.peluang[:5]]
    assert top == [
        ("soal:125", Fraction("17.5")),
        ("soal:127", Fraction("17.5")),
        ("soal:126", Fraction(5)),
        ("persen:pengaduan", Fraction(3)),
        ("soal:40", Fraction("2.5")),
    ]
    gains = {b.kunci: b.tambah for b in h.peluang}
    # 51 alone to A: sub-area 23 = mean(1, 0.33) x 1.5 = 0.9975, from 0.2475: + 0.75.
    assert gains["soal:51"] == Fraction("0.75")
    # 52 alone to A: mean(0, 1) x 1.5 = 0.75: + 0.5025.
    assert gains["soal:52"] == Fraction("0.5025")
    html = response.content.decode()
    assert "6 jawaban di Area V dari C ke A menambah 4,25 poin." in html


def test_skor_weak_evidence_lists_a_good_answer_whose_step_evidence_was_returned(world, lke_master):
    penilaian = _penilaian(world)
    soal = {s.soal_id: s for s in SoalLke.objects.filter(master=lke_master)}
    reviewer = world.users["reviewer"]
    # Soal 4 (A) is served by the team A step, whose only version was returned.
    TautanSoal.objects.create(langkah=world.langkah, soal=soal[4])
    returned = world.submit()
    bukti_review(bukti=returned, oleh=reviewer, keputusan=StatusBukti.DIKEMBALIKAN, catatan="Foto?")
    # Soal 3 (Ya) is served by the team B step, approved: not weak.
    TautanSoal.objects.create(langkah=world.langkah_b, soal=soal[3])
    approved = world.submit(kind="anggota_lain", slot=world.langkah_b.jadwal.get())
    bukti_review(bukti=approved, oleh=reviewer, keputusan=StatusBukti.DISETUJUI, catatan="")
    # Soal 5 (A) has an outside link: not weak. Soal 2 (C = 0) is not answered well.
    _jawab(
        penilaian,
        {3: "Ya", 4: "A", 5: "A", 2: "C"},
        tautan={5: "https://contoh.go.id/sk-tim.pdf"},
        by=world.users["admin"],
    )
    response = world.client_for("pimpinan").get(_skor_url(world))
    lemah = response.context["h"].bukti_lemah
    assert [w.soal_id for w in lemah] == [4]
    judul = f"I.1 {world.langkah.teks}"
    assert lemah[0].alasan == (
        "Belum ada bukti: tidak ada bukti yang dilampirkan, tidak ada tautan, "
        "dan langkah aksi terkait belum punya bukti yang disetujui tahun ini.",
        f"Bukti langkah aksi '{judul}' dikembalikan reviewer.",
    )
    assert [lk.dikembalikan for lk in lemah[0].langkah] == [(world.today.month,)]
    html = response.content.decode()
    assert 'data-soal="4"' in html
    assert reverse("langkah-detail", args=[world.langkah.pk]) in html


def test_skor_tab_switches_side_and_evaluated_assessment_is_decided_by_tpi(world, lke_master):
    from actionplan.lke.models import PenilaianLke

    penilaian = _penilaian(world)
    _jawab(penilaian, {125: "4"}, by=world.users["admin"])
    _jawab(penilaian, {125: "2"}, pihak=Pihak.TPI, by=world.users["reviewer"])
    client = world.client_for("admin")
    assert client.get(_skor_url(world)).context["h"].aktif == "unit"
    tpi = client.get(_skor_url(world), {"pihak": "tpi"}).context["h"]
    assert tpi.aktif == "tpi"
    assert tpi.sisi_aktif.skor.total == Fraction("8.75")  # 2 / 4 x 17.5
    PenilaianLke.objects.filter(pk=penilaian.pk).update(status="dievaluasi")
    assert client.get(_skor_url(world)).context["h"].penentu == "tpi"


def _weak_world(world, lke_master, n: int):
    """An assessment with ``n`` good answers, each served by its own step with a
    returned version: ``n`` weak questions, each with a linked step."""
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    penilaian = _penilaian(world)
    soal = {s.soal_id: s for s in SoalLke.objects.filter(master=lke_master)}
    komponen = world.langkah.indikator.komponen
    for i in range(n):
        langkah = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=10 + i),
            urutan=1,
            tim=world.tim_a,
            bulan=[world.today.month],
        )
        TautanSoal.objects.create(langkah=langkah, soal=soal[40 + i])
        bukti = world.submit(slot=langkah.jadwal.get())
        bukti_review(
            bukti=bukti,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Kurang.",
        )
    _jawab(penilaian, {40 + i: "A" for i in range(n)}, by=world.users["admin"])
    return penilaian


@pytest.mark.parametrize("n", [1, 3])
def test_skor_query_count_does_not_grow_with_weak_answers(
    world, lke_master, django_assert_num_queries, n
):
    _weak_world(world, lke_master, n)
    client = world.client_for("pimpinan")
    scoring.Struktur.of(lke_master)  # the master's structure, kept in memory after one read
    # session, user, the unit, access rows; the assessment with its master; the answers;
    # the questions; thresholds (years, rows); predicates held; linked steps; their
    # evidence.
    with django_assert_num_queries(12):
        response = client.get(_skor_url(world))
    assert len(response.context["h"].bukti_lemah) == n


def test_skor_is_hidden_from_another_unit(world, lke_master):
    _penilaian(world)
    assert world.client_for("unit_lain").get(_skor_url(world)).status_code == 404


# --- thresholds --------------------------------------------------------------------------


def _national(world):
    """The world unit becomes national: a unit below it makes its admin a national admin."""
    from tests.factories import SatuanKerjaFactory

    return SatuanKerjaFactory(induk=world.unit)


def _ambang_post(awal: dict[str, str] | None = None) -> dict[str, str]:
    data = {
        "WBK__total": "75", "WBK__pengungkit": "40", "WBK__area": "60",
        "WBK__birokrasi": "18,25", "WBK__ipak": "15,75", "WBK__capaian": "2,5",
        "WBK__ipkp": "14", "WBBM__total": "85", "WBBM__pengungkit": "48",
        "WBBM__area": "75", "WBBM__birokrasi": "19,5", "WBBM__ipak": "15,75",
        "WBBM__capaian": "3,75", "WBBM__ipkp": "15,75", "WBBM__sudah_wbk": "on",
    }  # fmt: skip
    data.update(awal or {})
    return data


def test_ambang_form_is_prefilled_from_the_nearest_year(world):
    _national(world)
    response = world.client_for("admin").get(reverse("lke-ambang", args=[2027]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["WBK__total"].value() == Decimal(75)
    assert form["WBK__birokrasi"].value() == Decimal("18.25")
    assert form["WBBM__sudah_wbk"].value() is True
    assert 'value="18,25"' in response.content.decode()


def test_ambang_saves_the_year_audited(world):
    _national(world)
    response = world.client_for("admin").post(
        reverse("lke-ambang", args=[2027]), _ambang_post({"WBK__total": "72,5"})
    )
    assert response.status_code == 302
    rows = {(a.predikat, a.kriteria): a.batas for a in AmbangPredikat.objects.filter(tahun=2027)}
    assert len(rows) == 15
    assert rows[("WBK", "total")] == Decimal("72.5")
    assert rows[("WBBM", "sudah_wbk")] == Decimal(1)
    assert AmbangPredikat.objects.get(tahun=2026, predikat="WBK", kriteria="total").batas == 75
    audit = CatatanAudit.objects.filter(aksi=AksiAudit.LKE_PENGATURAN).get()
    assert audit.aktor == world.users["admin"]
    assert "Ambang predikat 2027" in audit.ringkasan


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("WBK__total", "-1", "Ambang tidak boleh negatif."),
        ("WBK__ipak", "banyak", "Masukkan angka, mis. 18,25."),
        ("WBBM__area", "120", "Ambang area adalah persen dari bobot area: paling besar 100."),
        ("WBK__capaian", "6", "Ambang ini paling besar 5."),
        ("WBK__pengungkit", "", "Isi ambang ini."),
    ],
)
def test_ambang_bad_input_saves_nothing(world, field, value, message):
    _national(world)
    response = world.client_for("admin").post(
        reverse("lke-ambang", args=[2027]), _ambang_post({field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "tidak ada yang disimpan" in response.content.decode()
    assert not AmbangPredikat.objects.filter(tahun=2027).exists()
    assert not CatatanAudit.objects.filter(aksi=AksiAudit.LKE_PENGATURAN).exists()


# --- step -> question links ----------------------------------------------------------------


def test_tautan_langkah_admin_saves_the_checked_questions(world, lke_master):
    url = reverse("lke-tautan-langkah", args=[world.langkah.pk])
    client = world.client_for("admin")
    response = client.post(url, {"soal": ["4", "12"]})
    assert response.status_code == 302
    linked = TautanSoal.objects.filter(langkah=world.langkah).values_list(
        "soal__soal_id", flat=True
    )
    assert sorted(linked) == [4, 12]
    html = client.get(url).content.decode()
    assert 'value="4" id="soal-4" checked' in html
    assert 'value="5" id="soal-5">' in html
    # Unchecking everything removes the links.
    client.post(url, {})
    assert not TautanSoal.objects.filter(langkah=world.langkah).exists()


@pytest.mark.parametrize("kind", ["pimpinan", "reviewer", "anggota"])
def test_tautan_langkah_others_may_read_but_not_change(world, lke_master, kind):
    url = reverse("lke-tautan-langkah", args=[world.langkah.pk])
    client = world.client_for(kind)
    page = client.get(url)
    assert page.status_code == 200
    assert "Simpan soal yang dilayani" not in page.content.decode()
    assert client.post(url, {"soal": ["4"]}).status_code == 403
    assert not TautanSoal.objects.filter(langkah=world.langkah).exists()


def test_tautan_langkah_unknown_question_is_refused(world, lke_master):
    TautanSoal.objects.create(
        langkah=world.langkah, soal=SoalLke.objects.get(master=lke_master, soal_id=4)
    )
    url = reverse("lke-tautan-langkah", args=[world.langkah.pk])
    response = world.client_for("admin").post(url, {"soal": ["4", "999"]})
    assert response.status_code == 200
    assert "Soal 999 tidak ada di master LKE tahun ini." in response.content.decode()
    linked = TautanSoal.objects.filter(langkah=world.langkah)
    assert list(linked.values_list("soal__soal_id", flat=True)) == [4]


def test_langkah_page_links_the_admin_to_its_questions(world, lke_master):
    url = reverse("langkah-detail", args=[world.langkah.pk])
    link = reverse("lke-tautan-langkah", args=[world.langkah.pk])
    assert link in world.client_for("admin").get(url).content.decode()
    assert link not in world.client_for("anggota").get(url).content.decode()
