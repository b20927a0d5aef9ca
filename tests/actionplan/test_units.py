"""Many units: a province watches its kabupaten/kota read-only; year rollover."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from actionplan.enums import Peran
from actionplan.models import PeranPengguna, RencanaAksi, SatuanKerja
from actionplan.selectors import plan_rows
from actionplan.services import RencanaSudahAda, rencana_salin_ke_tahun
from evidence.models import Bukti
from tests.factories import SatuanKerjaFactory, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(world, django_user_model):
    """A province above the world's unit, with its own pimpinan, and a sibling unit."""
    prov = SatuanKerjaFactory(nama="KPU Provinsi Uji", slug="kpu-prov-uji")
    world.unit.induk = prov
    world.unit.save()
    world.rencana_lain.satuan_kerja.induk = prov
    world.rencana_lain.satuan_kerja.save()
    outside = build_plan(tahun=world.today.year, areas=1)  # a unit of another province
    leader = django_user_model.objects.create_user("ketua-prov")
    PeranPengguna.objects.create(user=leader, satuan_kerja=prov, peran=Peran.PIMPINAN)
    client = Client()
    client.force_login(leader)
    return {"unit": prov, "client": client, "outside": outside}


def test_province_leader_reads_units_below_but_changes_nothing(world, province):
    client = province["client"]
    assert client.get(reverse("dasbor", args=[world.rencana.pk])).status_code == 200
    assert client.get(reverse("langkah-detail", args=[world.langkah.pk])).status_code == 200
    bukti = world.submit()
    download = client.get(reverse("berkas-unduh", args=[bukti.berkas.get().pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    assert client.get(reverse("bukti-unggah", args=[world.langkah.pk])).status_code == 403
    review = client.post(reverse("bukti-review", args=[bukti.pk]), {"keputusan": "disetujui"})
    assert review.status_code == 403
    lampiran = reverse("unduh-dokumen", args=[world.rencana.pk, "lampiran"])
    assert client.get(lampiran).status_code == 403
    bukti.refresh_from_db()
    assert bukti.status == "diajukan"
    # A unit of another province stays invisible.
    outside = province["outside"]
    assert client.get(reverse("dasbor", args=[outside.pk])).status_code == 404


def test_members_of_one_unit_never_see_a_sibling_unit(world, province):
    # anggota (world unit) and unit_lain (sibling unit, same province)
    client = world.client_for("anggota")
    assert client.get(reverse("rencana-detail", args=[world.rencana_lain.pk])).status_code == 404
    other = world.client_for("unit_lain")
    assert other.get(reverse("langkah-detail", args=[world.langkah.pk])).status_code == 404
    assert world.client_for("anggota").get(reverse("rekap")).status_code == 403


def test_rekap_lists_units_below_with_completion(world, province):
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review

    bukti = world.submit()
    bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    response = province["client"].get(reverse("rekap"), {"bulan": world.today.month})
    rows = {r.rencana_id: r.counts for r in response.context["rows"]}
    assert set(rows) == {world.rencana.pk, world.rencana_lain.pk}
    assert rows[world.rencana.pk].approved == 1
    assert rows[world.rencana.pk].due == world.today.month + 1
    assert rows[world.rencana_lain.pk].approved == 0
    worst = province["client"].get(reverse("rekap"), {"urut": "terburuk"}).context["rows"]
    assert worst[0].rencana_id == world.rencana_lain.pk
    html = response.content.decode()
    assert reverse("dasbor", args=[world.rencana.pk]) in html
    filtered = province["client"].get(reverse("rekap"), {"q": world.unit.nama})
    assert [r.rencana_id for r in filtered.context["rows"]] == [world.rencana.pk]


@pytest.mark.parametrize("n", [1, 3])
def test_rekap_query_count_does_not_grow_with_units(province, django_assert_num_queries, n):
    for _ in range(n):
        plan = build_plan(tahun=2030, areas=2)
        plan.satuan_kerja.induk = province["unit"]
        plan.satuan_kerja.save()
    client = province["client"]
    url = reverse("rekap") + "?tahun=2030"
    assert client.get(url).status_code == 200
    for each in caches.all(initialized_only=True):
        each.clear()
    # session, user, roles with the units below them, the year's revisions and years (the
    # cache key), plans, counts per plan.
    with django_assert_num_queries(6):
        client.get(url)
    # Served from the cache: only the aggregate is read, not the plans or their counts.
    with django_assert_num_queries(4):
        client.get(url)
    # A search is not kept as a page (free text would fill the memory): the plans are
    # read again, their counts still come from the cache.
    client.get(url + "&q=Uji")
    with django_assert_num_queries(5):
        client.get(url + "&q=Uji")


def test_year_rollover_copies_structure_teams_and_schedule_not_evidence(banyumas):
    rencana_2025 = rencana_salin_ke_tahun(rencana=banyumas, tahun=2025)
    rows_2024, rows_2025 = plan_rows(banyumas), plan_rows(rencana_2025)
    assert rows_2025 == rows_2024
    assert rencana_2025.judul.endswith("TAHUN 2025")
    assert rencana_2025.tanggal_penetapan.year == 2025
    assert (
        Bukti.objects.filter(
            slot__langkah_aksi__indikator__komponen__area__rencana=rencana_2025
        ).count()
        == 0
    )
    with pytest.raises(RencanaSudahAda):
        rencana_salin_ke_tahun(rencana=banyumas, tahun=2025)
    assert RencanaAksi.objects.count() == 2


def test_copy_plan_command_and_its_errors(banyumas):
    out = StringIO()
    call_command("copy_plan", "--unit", "kpu-banyumas", "--year", "2024", stdout=out)
    assert "2025 dibuat" in out.getvalue()
    with pytest.raises(CommandError, match="sudah memiliki rencana aksi tahun 2025"):
        call_command("copy_plan", "--unit", "kpu-banyumas", "--year", "2024")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("copy_plan", "--unit", "kpu-banyumas", "--year", "2019")


def test_rollover_from_the_admin(superuser_client, banyumas):
    response = superuser_client.post(
        reverse("admin:actionplan_rencanaaksi_changelist"),
        {"action": "salin_ke_tahun_berikutnya", "_selected_action": [banyumas.pk]},
    )
    assert response.status_code == 302
    assert RencanaAksi.objects.filter(tahun=2025, satuan_kerja=banyumas.satuan_kerja).exists()
    assert SatuanKerja.objects.count() == 1


def test_watched_units_reach_every_level_below(django_user_model):
    from actionplan.access import Akses

    nation = SatuanKerjaFactory(nama="Nasional", slug="nasional")
    prov = SatuanKerjaFactory(nama="Provinsi", slug="provinsi", induk=nation)
    kab = SatuanKerjaFactory(nama="Kabupaten", slug="kabupaten", induk=prov)
    sub = SatuanKerjaFactory(nama="Kecamatan", slug="kecamatan", induk=kab)
    deeper = SatuanKerjaFactory(nama="Desa", slug="desa", induk=sub)
    SatuanKerjaFactory(nama="Lain", slug="lain")
    leader = django_user_model.objects.create_user("nasional")
    PeranPengguna.objects.create(user=leader, satuan_kerja=nation, peran=Peran.PIMPINAN)
    PeranPengguna.objects.create(user=leader, satuan_kerja=prov, peran=Peran.REVIEWER)
    akses = Akses.of(leader)
    assert akses.watched == {kab.pk, sub.pk, deeper.pk}  # prov is held by a role itself
    assert set(akses.roles) == {nation.pk, prov.pk}
    assert akses.teams == {}
    assert (
        set(SatuanKerja.objects.filter(akses.watched_filter("")).values_list("pk", flat=True))
        == akses.watched
    )


def test_watched_filter_matches_the_watched_set_in_a_two_level_hierarchy(django_user_model):
    from actionplan.access import Akses

    nation = SatuanKerjaFactory(nama="Nasional", slug="nasional")
    provinces = [SatuanKerjaFactory(induk=nation) for _ in range(2)]
    kabs = [SatuanKerjaFactory(induk=p) for p in provinces for _ in range(2)]
    SatuanKerjaFactory(nama="Lain", slug="lain")
    for who, unit in (("nasional", nation), ("provinsi", provinces[0])):
        leader = django_user_model.objects.create_user(who)
        PeranPengguna.objects.create(user=leader, satuan_kerja=unit, peran=Peran.PIMPINAN)
        akses = Akses.of(leader)
        found = set(
            SatuanKerja.objects.filter(akses.watched_filter("")).values_list("pk", flat=True)
        )
        assert found == akses.watched
    assert akses.watched == {kabs[0].pk, kabs[1].pk}


@pytest.mark.parametrize(
    "role_units",
    [("nation",), ("nation", "prov"), ("prov", "kab"), ("kab",), ("nation", "prov", "kab")],
)
def test_watches_any_agrees_with_the_watched_set(django_user_model, role_units):
    from actionplan.access import Akses

    nation = SatuanKerjaFactory(nama="Nasional", slug="nasional")
    prov = SatuanKerjaFactory(nama="Provinsi", slug="provinsi", induk=nation)
    kab = SatuanKerjaFactory(nama="Kabupaten", slug="kabupaten", induk=prov)
    units = {"nation": nation, "prov": prov, "kab": kab}
    user = django_user_model.objects.create_user("u")
    for name in role_units:
        PeranPengguna.objects.create(user=user, satuan_kerja=units[name], peran=Peran.PIMPINAN)
    akses = Akses.of(user)
    assert akses.watches_any == bool(akses.watched)
    below = {"nation": {prov.pk, kab.pk}, "prov": {kab.pk}, "kab": set()}
    expected = set().union(*(below[n] for n in role_units)) - {units[n].pk for n in role_units}
    assert akses.watched == expected


def test_plan_list_links_each_plan_to_its_dashboard_for_those_who_may_see_it(world):
    """Leaders reach every year's dashboard from the list (not only this year's)."""
    from tests.factories import RencanaAksiFactory

    last_year = RencanaAksiFactory(satuan_kerja=world.unit, tahun=world.today.year - 1)
    leader = world.client_for("pimpinan").get(reverse("rencana-list")).content.decode()
    for plan in (world.rencana, last_year):
        assert reverse("dasbor", args=[plan.pk]) in leader
    member = world.client_for("anggota").get(reverse("rencana-list")).content.decode()
    assert reverse("dasbor", args=[world.rencana.pk]) not in member
