"""Search in the plans' texts (``/cari/``): what it finds, for whom, and how it shows it."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from actionplan.enums import nama_bulan
from actionplan.progress.search import LIMIT
from actionplan.progress.states import State

URL = reverse("cari")


def _found(response) -> list[int]:
    return [h.langkah.pk for h in response.context["pencarian"].hasil]


@pytest.fixture
def admin_banyumas(banyumas, django_user_model):
    """The Banyumas plan's admin, logged in."""
    from django.test import Client

    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna

    user = django_user_model.objects.create_user("admin-bms", password="sandi-uji-123")
    PeranPengguna.objects.create(user=user, satuan_kerja=banyumas.satuan_kerja, peran=Peran.ADMIN)
    client = Client()
    client.force_login(user)
    return client


def test_finds_a_step_by_its_text(banyumas, admin_banyumas):
    from actionplan.models import LangkahAksi

    step = LangkahAksi.objects.get(teks__startswith="Pimpinan memberi teladan")
    response = admin_banyumas.get(URL, {"q": "MENCATAT kehadiran"})
    assert response.status_code == 200
    assert _found(response) == [step.pk]
    [hasil] = response.context["pencarian"].hasil
    assert hasil.cocok == ["langkah aksi"]
    assert hasil.langkah.rencana == banyumas
    html = response.content.decode()
    assert reverse("langkah-detail", args=[step.pk]) in html
    assert "<mark>mencatat kehadiran</mark>" in html  # the text's own case, highlighted
    assert "1 langkah aksi memuat «MENCATAT kehadiran»." in html
    assert "KPU Kabupaten Banyumas · 2024 · " in html


def test_finds_a_step_by_its_indikator(banyumas, admin_banyumas):
    from actionplan.models import LangkahAksi

    steps = LangkahAksi.objects.filter(indikator__teks__icontains="timeline pemantauan")
    response = admin_banyumas.get(URL, {"q": "timeline"})
    assert _found(response) == [s.pk for s in steps] != []
    assert all(h.cocok == ["indikator"] for h in response.context["pencarian"].hasil)
    assert "<mark>Timeline</mark> pemantauan" in response.content.decode()


def test_finds_a_step_by_its_bukti_fisik(banyumas, admin_banyumas):
    from actionplan.models import BuktiFisik

    bukti = BuktiFisik.objects.get(teks__startswith="Ape pagi")
    response = admin_banyumas.get(URL, {"q": "ape pagi"})
    [hasil] = response.context["pencarian"].hasil
    assert hasil.langkah.pk == bukti.langkah_aksi_id
    assert hasil.cocok == ["bukti fisik"]
    assert hasil.bukti_fisik == [bukti]  # the matching item, shown under the step
    assert "<mark>Ape pagi</mark> setiap hari senin" in response.content.decode()


def test_a_word_in_several_texts_is_one_result_per_step_newest_year_first(
    banyumas, superuser_client
):
    from actionplan.models import LangkahAksi
    from tests.factories import (
        AreaPerubahanFactory,
        KomponenFactory,
        LangkahAksiFactory,
        RencanaAksiFactory,
    )

    # Another unit's plan of a later year comes first.
    newer = RencanaAksiFactory(tahun=2025)
    later = LangkahAksiFactory(
        indikator__komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=newer, nomor=1)),
        teks="Rapat evaluasi per semester (unit baru)",
        bulan=[3],
    )
    response = superuser_client.get(URL, {"q": "Semester"})

    def matches(step) -> list[str]:
        return [
            name
            for name, hit in [
                ("langkah aksi", "semester" in step.teks.lower()),
                ("indikator", "semester" in step.indikator.teks.lower()),
                ("bukti fisik", any("semester" in b.teks.lower() for b in step.bukti_fisik.all())),
            ]
            if hit
        ]

    expected = [
        (s.pk, matches(s))
        for s in LangkahAksi.objects.of_plan(banyumas).in_document_order()
        if matches(s)
    ]
    assert len(expected) == 2  # "semester" in three texts of two steps
    assert any(len(m) > 1 for _, m in expected)  # a step matched twice is listed once
    hasil = response.context["pencarian"].hasil
    assert [(h.langkah.pk, h.cocok) for h in hasil] == [(later.pk, ["langkah aksi"]), *expected]
    # The 2025 plan's month is in its own year's state (a past year: ended, nothing sent).
    assert hasil[0].bulan == [(3, State.OVERDUE)]


def test_another_units_member_never_sees_the_units_steps(world):
    world.langkah.teks = "Rapat koordinasi rahasia unit"
    world.langkah.save()
    world.langkah_lain.teks = "Rapat koordinasi rahasia unit lain"
    world.langkah_lain.save()
    for kind, expected in [
        ("unit_lain", [world.langkah_lain.pk]),
        ("anggota", [world.langkah.pk]),
        ("pimpinan", [world.langkah.pk]),
    ]:
        response = world.client_for(kind).get(URL, {"q": "koordinasi rahasia"})
        assert _found(response) == expected, kind
    html = world.client_for("unit_lain").get(URL, {"q": "koordinasi rahasia"}).content.decode()
    assert reverse("langkah-detail", args=[world.langkah.pk]) not in html
    assert world.unit.nama not in html
    # Nor through the indikator or the bukti fisik of the unit's step.
    for q in (world.langkah.indikator.teks, "Undangan, daftar hadir"):
        assert _found(world.client_for("unit_lain").get(URL, {"q": q})) == []


def test_anonymous_is_sent_to_login(world):
    response = world.client_for("anonim").get(URL, {"q": "rapat"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("q", ["ra", " a ", "zi"])
def test_a_short_query_says_so_and_runs_no_search(world, django_assert_num_queries, q):
    client = world.client_for("admin")
    client.get(URL)  # warm the session
    # session, user, roles and teams: no search.
    with django_assert_num_queries(3):
        response = client.get(URL, {"q": q})
    assert response.context["pencarian"].hasil == []
    html = response.content.decode()
    assert "Ketik minimal 3 huruf." in html
    assert 'data-testid="hasil-cari"' not in html
    assert 'data-testid="cari-jumlah"' not in html


def test_a_very_long_query_says_so(world):
    response = world.client_for("admin").get(URL, {"q": "rapat " * 30})
    assert response.context["pencarian"].hasil == []
    assert "Kata pencarian paling panjang 100 huruf." in response.content.decode()


def test_an_empty_query_explains_the_search(world):
    html = world.client_for("anggota").get(URL).content.decode()
    assert 'data-testid="cari-petunjuk"' in html
    assert "Ketik minimal 3 huruf." not in html


def test_no_match_says_so(world):
    html = world.client_for("admin").get(URL, {"q": "tidak ada di mana pun"}).content.decode()
    assert "Tidak ada langkah aksi, indikator atau bukti fisik yang memuat" in html


def test_html_in_the_query_is_escaped(world):
    world.langkah.teks = "Rapat <b>evaluasi</b> & tindak lanjut (sampul)"
    world.langkah.save()
    client = world.client_for("admin")
    html = client.get(URL, {"q": "<b>evaluasi</b>"}).content.decode()
    assert _found(client.get(URL, {"q": "<b>evaluasi</b>"})) == [world.langkah.pk]
    assert "<mark>&lt;b&gt;evaluasi&lt;/b&gt;</mark> &amp; tindak lanjut (sampul)" in html
    assert "<b>evaluasi</b>" not in html
    attack = '"><script>alert(1)</script>'
    html = client.get(URL, {"q": attack}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The match is found in the text, not in its escaping: "amp" marks "sampul" only.
    html = client.get(URL, {"q": "amp"}).content.decode()
    assert "&amp; tindak lanjut (s<mark>amp</mark>ul)" in html
    assert "&<mark>" not in html


def test_the_month_chips_show_each_months_state(world):
    world.langkah.teks = "Apel pagi setiap Senin"
    world.langkah.save()
    world.submit()  # this month of langkah: sent, waiting for review
    response = world.client_for("anggota").get(URL, {"q": "apel pagi"})
    [hasil] = response.context["pencarian"].hasil
    month = world.today.month
    expected = [
        (b, State.OVERDUE if b < month else State.SUBMITTED if b == month else State.NOT_DUE)
        for b in range(1, 13)
    ]
    assert hasil.bulan == expected
    html = response.content.decode()
    assert f'zi-cell zi-cell--{State.SUBMITTED} zi-chip" data-bulan="{month}"' in html
    assert f'<span class="visually-hidden">{nama_bulan(month)}: Menunggu review</span>' in html
    assert f'zi-cell--{State.NOT_DUE} zi-chip" data-bulan="12"' in html
    assert '<span class="visually-hidden">Desember: Belum jatuh tempo</span>' in html
    assert '<span class="visually-hidden">Januari: Belum dikirim</span>' in html


def test_results_are_capped_with_a_note(world):
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    indikator = IndikatorFactory(komponen=world.langkah.indikator.komponen, urutan=30)
    for i in range(LIMIT + 2):
        LangkahAksiFactory(indikator=indikator, urutan=i + 1, tim=world.tim_a, teks=f"Banyak {i}")
    response = world.client_for("admin").get(URL, {"q": "banyak"})
    pencarian = response.context["pencarian"]
    assert (len(pencarian.hasil), pencarian.total) == (LIMIT, LIMIT + 2)
    assert f"Menampilkan {LIMIT} dari {LIMIT + 2} langkah aksi" in response.content.decode()


def test_the_navigation_has_a_labelled_search_box(world):
    html = world.client_for("anggota").get(reverse("rencana-list")).content.decode()
    assert 'role="search"' in html
    assert f'action="{URL}"' in html
    assert '<label class="visually-hidden" for="zi-nav-cari">' in html
    assert 'id="zi-nav-cari" name="q"' in html
    anonymous = world.client_for("anonim").get(reverse("login")).content.decode()
    assert 'id="zi-nav-cari"' not in anonymous


# N+1 guard: the same number of queries with 1 and with 3 matching steps.


@pytest.mark.parametrize("n", [1, 3])
def test_search_query_count_is_constant(world, django_assert_num_queries, n):
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    komponen = world.langkah.indikator.komponen
    for i in range(n):
        langkah = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=20 + i),
            tim=world.tim_a,
            teks=f"Kegiatan kelinci {i}",
            bulan=[1, world.today.month],
            bukti=["Foto kelinci", "Daftar hadir"],
        )
        world.submit(slot=langkah.jadwal.get(bulan=world.today.month))
    client = world.client_for("anggota")
    assert client.get(URL, {"q": "kelinci"}).status_code == 200
    for each in caches.all(initialized_only=True):
        each.clear()
    # session, user, roles and teams, the count, the steps with plan, unit and team, their
    # matching bukti fisik, the states of their months (one year).
    with django_assert_num_queries(7):
        response = client.get(URL, {"q": "kelinci"})
    assert len(response.context["pencarian"].hasil) == n
