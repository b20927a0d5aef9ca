"""The dashboard, the lists behind its numbers and tugas saya, as pages."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from actionplan.progress.states import State
from tests import files


def test_dashboard_shows_the_numbers_and_links_every_one(world):
    world.submit()  # this month's slot of langkah: submitted
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[world.rencana.pk])
    response = client.get(url, {"bulan": world.today.month})
    html = response.content.decode()
    assert response.status_code == 200
    progress = response.context["progress"]
    # langkah is scheduled every month, langkah_b only this month.
    due = world.today.month + 1
    assert (progress.total.due, progress.total.submitted, progress.total.approved) == (due, 1, 0)
    assert progress.total.overdue == world.today.month - 1
    # Whose move: the past months of langkah with nothing sent are the team's; the one
    # sent this month waits for the reviewer.
    assert (progress.total.missing, progress.total.returned, progress.total.waiting) == (
        world.today.month - 1,
        0,
        1,
    )
    assert f'data-testid="jumlah-belum-dikirim">{world.today.month - 1}<' in html
    assert 'data-testid="jumlah-menunggu">1<' in html
    daftar = reverse("daftar-slot", args=[world.rencana.pk])
    for metric in ("approved", "submitted", "missing", "returned", "waiting", "overdue"):
        assert f"{daftar}?bulan={world.today.month}&amp;ukuran={metric}" in html
    assert "ukuran=due&amp;area=1" in html
    assert f"ukuran=missing&amp;tim={world.tim_a.pk}" in html
    assert f"ukuran=waiting&amp;tim={world.tim_a.pk}" in html
    missing = client.get(daftar, {"bulan": world.today.month, "ukuran": "missing"})
    assert [s.bulan for s in missing.context["slots"]] == list(range(1, world.today.month))
    waiting = client.get(daftar, {"bulan": world.today.month, "ukuran": "waiting"})
    assert [s.bulan for s in waiting.context["slots"]] == [world.today.month]
    cell = f'data-bulan="{world.today.month}" data-langkah="{world.langkah.pk}"'
    assert f'zi-cell--{State.SUBMITTED}" {cell}' in html
    step = reverse("langkah-detail", args=[world.langkah.pk])
    assert f"{step}#bulan-{world.today.month}" in html
    for label in State.labels:
        assert label in html  # the legend


def test_dashboard_month_choice_and_bad_values(world):
    client = world.client_for("reviewer")
    url = reverse("dasbor", args=[world.rencana.pk])
    assert client.get(url, {"bulan": "3"}).context["moment"].bulan == 3
    for bad in ("13", "0", "abc", "²", ""):
        assert client.get(url, {"bulan": bad}).context["moment"].bulan == world.today.month


def test_list_behind_a_number(world):
    world.submit()
    client = world.client_for("admin")
    response = client.get(
        reverse("daftar-slot", args=[world.rencana.pk]),
        {"bulan": world.today.month, "ukuran": "submitted"},
    )
    slots = response.context["slots"]
    assert [(s.langkah_aksi_id, s.bulan) for s in slots] == [(world.langkah.pk, world.today.month)]
    assert response.context["metric"] == "Sudah mengirim bukti"
    unknown = client.get(reverse("daftar-slot", args=[world.rencana.pk]), {"ukuran": "x"})
    assert unknown.context["metric"] == "Jatuh tempo"


def test_tugas_saya_lists_this_month_late_and_returned(world):
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review

    month = world.today.month
    if month > 1:
        returned = world.submit(slot=world.langkah.jadwal.get(bulan=1))
        bukti_review(
            bukti=returned,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Kurang foto",
        )
    response = world.client_for("anggota").get(reverse("tugas-saya"))
    [section] = response.context["sections"]
    tugas = section["tugas"]
    assert [bulan for _, bulan in tugas["bulan_ini"]] == [month]
    assert [bulan for _, bulan in tugas["dikembalikan"]] == ([1] if month > 1 else [])
    assert [bulan for _, bulan in tugas["terlambat"]] == list(range(2, month))
    upload = reverse("bukti-unggah", args=[world.langkah.pk])
    assert f"{upload}?bulan={month}" in response.content.decode()
    # The other team's step is not this member's task.
    assert all(langkah == world.langkah.pk for langkah, _ in tugas["bulan_ini"])


def test_tugas_saya_without_a_team_says_what_to_do(world, django_user_model):
    from django.test import Client

    client = Client()
    client.force_login(django_user_model.objects.create_user("lepas"))
    html = client.get(reverse("tugas-saya")).content.decode()
    assert "belum menjadi anggota tim kerja" in html


# N+1 guards: the same number of queries with 1 and with 3 steps (and their evidence).


def _grow(world, n):
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    komponen = world.langkah.indikator.komponen
    for i in range(n):
        langkah = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=20 + i),
            tim=world.tim_a,
            bulan=[1, world.today.month],
            bukti=["Satu"],
        )
        world.submit(slot=langkah.jadwal.get(bulan=world.today.month), files=[files.pdf()])


def _count(client, guard, url, expected, cached=None):
    """The query count of a page computed afresh (warm sessions and statements), and,
    for a page with a cached part, of the same page served from the cache."""
    assert client.get(url).status_code == 200
    for each in caches.all(initialized_only=True):
        each.clear()
    with guard(expected):
        assert client.get(url).status_code == 200
    if cached is not None:
        with guard(cached):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_dashboard_query_count_is_constant(world, django_assert_num_queries, n):
    _grow(world, n)
    # session, user, plan, roles with the units below them, whether the slots are
    # settled, the states (every number, the grid and the missing months come from
    # them), the trend's ended months, the steps; from the cache only the first four.
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[world.rencana.pk])
    _count(client, django_assert_num_queries, url, 8, cached=4)
    # After an upload: the page again, but the trend's ended months and the steps are
    # still cached (they move with the plan's rows, not its evidence).
    world.submit(slot=world.langkah.jadwal.get(bulan=world.today.month), files=[files.pdf()])
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_list_and_tasks_query_count_is_constant(world, django_assert_num_queries, n):
    _grow(world, n)
    # session, user, plan, roles with the units below them, whether the slots are
    # settled, slots.
    _count(
        world.client_for("admin"),
        django_assert_num_queries,
        reverse("daftar-slot", args=[world.rencana.pk]) + "?ukuran=due",
        6,
    )
    # With returned versions to show: session, user, roles and teams, the member's plans,
    # the revisions of their teams' steps, whether the slots are settled, task slots,
    # their returned versions, those versions' files.
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review

    for bulan in range(1, n + 1):
        bukti_review(
            bukti=world.submit(slot=world.langkah.jadwal.get(bulan=bulan)),
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Kurang foto",
        )
    # From the cache: session, user, roles and teams, the member's plans, the revisions.
    _count(
        world.client_for("anggota"), django_assert_num_queries, reverse("tugas-saya"), 9, cached=5
    )


def test_the_dashboards_cached_steps_follow_a_change_of_the_plans_rows(world):
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[world.rencana.pk])
    assert "Rapat penyusunan ulang" not in client.get(url).content.decode()
    world.langkah.teks = "Rapat penyusunan ulang"
    world.langkah.save()
    world.tim_a.nama = "TIM INTEGRITAS"
    world.tim_a.save()
    page = client.get(url).content.decode()
    assert "Rapat penyusunan ulang" in page and "INTEGRITAS" in page


def test_a_months_end_behind_us_is_history_only_after_a_margin(world):
    import datetime

    from actionplan.progress.moment import SETTLED_AFTER, Moment, month_end, picture_revision

    rencana = world.rencana
    end = month_end(rencana.tahun, 3)
    just_after = Moment.of(rencana, 3, now=end + datetime.timedelta(minutes=1))
    assert not just_after.is_history(now=end + datetime.timedelta(minutes=1))
    later = end + SETTLED_AFTER + datetime.timedelta(seconds=1)
    settled = Moment.of(rencana, 3, now=later)
    assert settled.is_history(now=later)
    assert not Moment.now(rencana, now=later).is_history(now=later)  # the current state
    assert picture_revision(rencana, settled).startswith("h")


def test_a_past_months_dashboard_stays_cached_through_todays_uploads(
    world, django_assert_num_queries
):
    """The end of a month behind us is history: an upload today counts nowhere in it, so
    its dashboard is served from the cache; evidence entered with a past time in that
    month changes it."""
    import datetime

    from actionplan.progress.moment import month_end

    world.rencana.tahun = world.today.year - 1  # every month's end lies behind us
    world.rencana.save()
    june = world.langkah.jadwal.get(bulan=6)
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[world.rencana.pk])
    first = client.get(url, {"bulan": 6})
    assert first.context["progress"].total.submitted == 0
    world.submit(slot=june)  # today: after the end of June of last year
    # session, user, plan, roles: the body comes from the cache.
    with django_assert_num_queries(4):
        again = client.get(url, {"bulan": 6})
    assert again.context["body"] == first.context["body"]
    assert 'data-testid="jumlah-menunggu">0<' in again.content.decode()
    # The current state counts today's upload.
    assert client.get(url).context["progress"].total.submitted == 1

    world.submit(
        slot=world.langkah.jadwal.get(bulan=5),
        pada=month_end(world.rencana.tahun, 5) - datetime.timedelta(days=3),
    )
    html = client.get(url, {"bulan": 6}).content.decode()
    assert 'data-testid="jumlah-menunggu">1<' in html
