"""The Django admin as the coordinator's workbench."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.models import (
    AreaPerubahan,
    Indikator,
    Komponen,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)
from tests.factories import build_plan

pytestmark = pytest.mark.django_db

PLAN_ADMIN_MODELS = [
    SatuanKerja,
    TimKerja,
    PeranPengguna,
    RencanaAksi,
    AreaPerubahan,
    Komponen,
    Indikator,
    LangkahAksi,
]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:actionplan_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", PLAN_ADMIN_MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render_for_superuser(superuser_client, banyumas, django_user_model, model):
    if model is PeranPengguna:
        user = django_user_model.objects.create_user("pimpinan-uji")
        PeranPengguna.objects.create(
            user=user, satuan_kerja=banyumas.satuan_kerja, peran="pimpinan"
        )
    obj = model.objects.order_by("pk").first()
    for url in (_url(model, "changelist"), _url(model, "add"), _url(model, "change", obj.pk)):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
    assert superuser_client.get(_url(model, "delete", obj.pk)).status_code == 200


def test_plan_page_shows_the_whole_lampiran(superuser_client, banyumas):
    response = superuser_client.get(_url(RencanaAksi, "change", banyumas.pk))
    html = response.content.decode()
    assert html.count('class="zi-outline__area"') == 6
    for langkah in LangkahAksi.objects.of_plan(banyumas):
        assert _url(LangkahAksi, "change", langkah.pk) in html
    assert "Pembangunan unit kerja untuk memperoleh predikat menuju WBK/WBBM" in html


def test_anonymous_is_sent_to_login(client, banyumas):
    response = client.get(_url(RencanaAksi, "change", banyumas.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_user_cannot_use_admin(client, banyumas, django_user_model):
    user = django_user_model.objects.create_user("anggota", password="pw-anggota-123")
    client.force_login(user)
    response = client.get(_url(LangkahAksi, "changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "5"}, 15),
        ({"bulan": "11"}, 8),
        ({"q": "Whistle Blowing"}, 4),
        ({"q": "LAKIP"}, 5),
        ({"area": "4", "bulan": "2"}, 1),
    ],
)
def test_step_list_search_and_filters(superuser_client, banyumas, query, expected):
    response = superuser_client.get(_url(LangkahAksi, "changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_step_list_filters_by_team(superuser_client, banyumas):
    tim = TimKerja.objects.get(nama="TIM PENGUATAN AKUNTABILITAS")
    response = superuser_client.get(_url(LangkahAksi, "changelist"), {"tim__id__exact": tim.pk})
    assert response.context["cl"].result_count == 9


def test_step_list_shows_month_strip_in_document_order(superuser_client, banyumas):
    response = superuser_client.get(_url(LangkahAksi, "changelist"))
    html = response.content.decode()
    # 52 strips of 12 cells; 118 scheduled months in the whole plan.
    assert html.count("zi-strip__cell--on") == 118
    assert html.count('class="zi-strip"') == 52
    results = list(response.context["cl"].result_list)
    assert results[0].teks.startswith("Mengevaluasi Tim Kerja")
    assert results[-1].teks == "Menindaklanjuti hasil survei kepuasan masyarakat"


def test_step_form_saves_months_as_slots(superuser_client, banyumas):
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    url = _url(LangkahAksi, "change", langkah.pk)
    form = superuser_client.get(url).context["adminform"].form
    assert form.initial["bulan"] == [1]
    data = {
        "indikator": langkah.indikator_id,
        "urutan": 1,
        "teks": langkah.teks,
        "tim": langkah.tim_id,
        "bulan": ["3", "9"],
        "bukti_fisik-TOTAL_FORMS": "1",
        "bukti_fisik-INITIAL_FORMS": "1",
        "bukti_fisik-0-id": langkah.bukti_fisik.get().pk,
        "bukti_fisik-0-langkah_aksi": langkah.pk,
        "bukti_fisik-0-urutan": "1",
        "bukti_fisik-0-teks": "Keputusan KPU Kabupaten Banyumas nomor 11 Tahun 2024",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    langkah.refresh_from_db()
    assert langkah.bulan == [3, 9]


def test_step_form_rejects_month_13(superuser_client, banyumas):
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    url = _url(LangkahAksi, "change", langkah.pk)
    data = {
        "indikator": langkah.indikator_id,
        "urutan": 1,
        "teks": langkah.teks,
        "tim": langkah.tim_id,
        "bulan": ["13"],
        "bukti_fisik-TOTAL_FORMS": "0",
        "bukti_fisik-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "bulan" in response.context["adminform"].form.errors
    assert langkah.bulan == [1]


# N+1 guards: the plan's pages run the same number of queries for 1 and for 3 rows of
# each kind. Each page is fetched once before counting, so Django's content-type cache
# is warm and the count does not depend on which test ran first.


def _count(client, django_assert_num_queries, url: str, expected: int) -> None:
    assert client.get(url).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_plan_change_page_query_count_is_constant(superuser_client, django_assert_num_queries, n):
    rencana = build_plan(areas=n, komponen=n, indikator=n, langkah=n)
    # session, user, plan, area inline rows, autocomplete's selected unit, the unit for
    # the page title; outline: steps (joined up to the unit), months, bukti fisik.
    _count(superuser_client, django_assert_num_queries, _url(RencanaAksi, "change", rencana.pk), 9)


@pytest.mark.parametrize("n", [1, 3])
def test_plan_list_query_count_is_constant(superuser_client, django_assert_num_queries, n):
    for _ in range(n):
        build_plan(areas=n)
    # session, user, unit filter choices, count, full count, plans with step counts,
    # year filter choices.
    _count(superuser_client, django_assert_num_queries, _url(RencanaAksi, "changelist"), 7)


@pytest.mark.parametrize("n", [1, 3])
def test_step_list_query_count_is_constant(superuser_client, django_assert_num_queries, n):
    for _ in range(n):
        build_plan(areas=n, komponen=n, indikator=n, langkah=n)
    # session, user, team choices, plan choices (with units), count, full count, rows
    # (joined), months (prefetch).
    _count(superuser_client, django_assert_num_queries, _url(LangkahAksi, "changelist"), 8)


@pytest.mark.parametrize("n", [1, 3])
def test_level_pages_query_count_is_constant(superuser_client, django_assert_num_queries, n):
    rencana = build_plan(areas=1, komponen=n, indikator=n, langkah=n)
    area = rencana.area.get()
    komponen = area.komponen.first()
    indikator = komponen.indikator.first()
    langkah = indikator.langkah_aksi.first()
    client, guard = superuser_client, django_assert_num_queries
    # session, user, area, komponen rows, autocomplete's selected plan and its unit.
    _count(client, guard, _url(AreaPerubahan, "change", area.pk), 6)
    # session, user, komponen, indikator rows, autocomplete's selected area.
    _count(client, guard, _url(Komponen, "change", komponen.pk), 5)
    # session, user, indikator, its unit, team choices (once for all rows), step rows,
    # autocomplete's selected komponen.
    _count(client, guard, _url(Indikator, "change", indikator.pk), 7)
    # session, user, step, months, its unit, team choices, bukti fisik rows,
    # autocomplete's selected indikator.
    _count(client, guard, _url(LangkahAksi, "change", langkah.pk), 8)


def test_step_form_offers_and_accepts_only_the_plans_own_teams(superuser_client, banyumas):
    from tests.factories import TimKerjaFactory

    foreign = TimKerjaFactory(nama="TIM UNIT LAIN")
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    url = _url(LangkahAksi, "change", langkah.pk)
    page = superuser_client.get(url)
    assert "TIM UNIT LAIN" not in page.content.decode()
    # The plan's own six teams, in their order, after the empty choice.
    own = list(TimKerja.objects.filter(satuan_kerja=banyumas.satuan_kerja))
    choices = page.context["adminform"].form.fields["tim"].choices
    assert [(str(value), label) for value, label in choices] == [
        ("", "---------"),
        *[(str(t.pk), t.nama) for t in own],
    ]
    assert len(own) == 6
    data = {
        "indikator": langkah.indikator_id,
        "urutan": 1,
        "teks": langkah.teks,
        "tim": foreign.pk,
        "bulan": ["1"],
        "bukti_fisik-TOTAL_FORMS": "0",
        "bukti_fisik-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "tim" in response.context["adminform"].form.errors
    langkah.refresh_from_db()
    assert langkah.tim.nama == "TIM MANAJEMEN PERUBAHAN"


@pytest.mark.parametrize("query", ["area=abc", "area=7", "bulan=13", "bulan=x", "rencana=abc"])
def test_step_list_bad_filter_values_are_refused_cleanly(superuser_client, banyumas, query):
    response = superuser_client.get(f"{_url(LangkahAksi, 'changelist')}?{query}")
    # The admin's answer to a bad lookup: back to the unfiltered list, flagged ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_staff_without_superuser_cannot_enter_the_admin(client, django_user_model, banyumas):
    """The admin is not scoped by unit, so only superusers may use it."""
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user("staf", password="pw-staf-123", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="actionplan"))
    client.force_login(staff)
    for url in (reverse("admin:index"), _url(PeranPengguna, "add"), _url(TimKerja, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_unticking_a_month_that_has_evidence_is_refused(superuser_client, world):
    world.submit()
    langkah = world.langkah
    data = {
        "indikator": langkah.indikator_id,
        "urutan": 1,
        "teks": langkah.teks,
        "tim": langkah.tim_id,
        "bulan": [str(m) for m in range(1, 13) if m != world.today.month],
        "bukti_fisik-TOTAL_FORMS": "0",
        "bukti_fisik-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(_url(LangkahAksi, "change", langkah.pk), data)
    assert response.status_code == 200
    from actionplan.enums import nama_bulan

    assert response.context["adminform"].form.errors["bulan"] == [
        f"Bulan {nama_bulan(world.today.month)} sudah berisi bukti yang diunggah tim, jadi "
        "tidak dapat dihapus dari jadwal."
    ]
    assert len(langkah.bulan) == 12


def test_new_indikator_with_a_step_of_another_units_team_is_refused(superuser_client, world):
    komponen = world.langkah.indikator.komponen
    data = {
        "komponen": komponen.pk,
        "urutan": 9,
        "teks": "Indikator baru",
        "langkah_aksi-TOTAL_FORMS": "1",
        "langkah_aksi-INITIAL_FORMS": "0",
        "langkah_aksi-0-urutan": "1",
        "langkah_aksi-0-teks": "Langkah baru",
        "langkah_aksi-0-tim": world.tim_lain.pk,
    }
    response = superuser_client.post(_url(Indikator, "add"), data)
    assert response.status_code == 200
    assert Indikator.objects.filter(teks="Indikator baru").count() == 0
