"""A plan's revision rises with every change its dashboard or roll-up row can show, so the
cached dashboard and roll-up rows are never stale."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from actionplan.models import RencanaAksi
from actionplan.services import langkah_aksi_set_bulan
from evidence.enums import StatusBukti
from evidence.services import bukti_review, bukti_withdraw
from tests import files


def _revisi(world) -> int:
    return RencanaAksi.objects.get(pk=world.rencana.pk).revisi


def _numbers(client, url) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'data-testid="jumlah-terlambat">(\d+)<', html)
    assert match, "the overdue count is on the page"
    return match.group(1) + "|" + re.search(r'persen-dikirim">([^<]+)<', html).group(1)


@pytest.mark.django_db
def test_every_evidence_write_raises_the_revision_and_refreshes_the_dashboard(world):
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[world.rencana.pk])
    before_page = _numbers(client, url)
    assert _numbers(client, url) == before_page  # served from the cache

    start = _revisi(world)
    bukti = world.submit(files=[files.pdf()])
    after_submit = _revisi(world)
    assert after_submit > start
    assert _numbers(client, url) != before_page  # submitted % changed

    bukti_withdraw(bukti=bukti, oleh=world.users["anggota"])
    assert _revisi(world) > after_submit
    assert _numbers(client, url) == before_page

    second = world.submit(files=[files.pdf()])
    level = _revisi(world)
    bukti_review(
        bukti=second, keputusan=StatusBukti.DISETUJUI, catatan="", oleh=world.users["reviewer"]
    )
    assert _revisi(world) > level


@pytest.mark.django_db
def test_schedule_and_structure_changes_raise_the_revision(world):
    start = _revisi(world)
    langkah_aksi_set_bulan(langkah=world.langkah_b, bulan=[1, 2, 3])
    after_schedule = _revisi(world)
    assert after_schedule > start
    world.tim_a.nama = "Tim baru"
    world.tim_a.save()
    after_team = _revisi(world)
    assert after_team > after_schedule
    world.langkah.teks = "Teks baru"
    world.langkah.save()
    assert _revisi(world) > after_team


@pytest.mark.django_db
def test_saving_a_stale_plan_instance_never_lowers_the_revision(world):
    stale = RencanaAksi.objects.get(pk=world.rencana.pk)
    world.submit(files=[files.pdf()])
    raised = _revisi(world)
    stale.judul = "Judul baru"
    stale.save()  # its loaded revisi is older; it must not be written back
    # Not lowered: the new title is itself a change, so the revision rises once more.
    assert _revisi(world) > raised
    assert RencanaAksi.objects.get(pk=world.rencana.pk).judul == "Judul baru"


@pytest.mark.django_db
def test_saving_a_stale_step_or_slot_never_lowers_its_revisi_bukti(world):
    """The step's and the month's revisions key the step page's caches: a save of an
    instance loaded before an upload leaves them as the upload raised them."""
    from actionplan.models import LangkahAksi, Slot

    step = LangkahAksi.objects.get(pk=world.langkah.pk)
    slot = Slot.objects.get(pk=world.slot.pk)
    world.submit(files=[files.pdf()])
    raised = (
        LangkahAksi.objects.get(pk=step.pk).revisi_bukti,
        Slot.objects.get(pk=slot.pk).revisi_bukti,
    )
    assert raised[0] > step.revisi_bukti and raised[1] > slot.revisi_bukti
    step.teks = "Teks baru"
    step.save()
    slot.save()
    assert LangkahAksi.objects.get(pk=step.pk).revisi_bukti == raised[0]
    assert Slot.objects.get(pk=slot.pk).revisi_bukti == raised[1]
    assert LangkahAksi.objects.get(pk=step.pk).teks == "Teks baru"


@pytest.mark.django_db
def test_unit_rename_refreshes_the_rollup_row(world, django_user_model):
    from django.test import Client

    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna, SatuanKerja

    province = SatuanKerja.objects.create(nama="KPU Provinsi Uji", slug="prov-uji")
    world.unit.induk = province
    world.unit.save()
    watcher = django_user_model.objects.create_user("pengamat", password="x-y-z-123")
    PeranPengguna.objects.create(user=watcher, satuan_kerja=province, peran=Peran.PIMPINAN)
    client = Client()
    client.force_login(watcher)
    url = reverse("rekap") + f"?tahun={world.rencana.tahun}"
    assert world.unit.nama in client.get(url).content.decode()
    world.unit.nama = "KPU Kabupaten Berganti Nama"
    world.unit.save()
    assert "KPU Kabupaten Berganti Nama" in client.get(url).content.decode()
    province.nama = "KPU Provinsi Berganti Nama"
    province.save()
    assert "KPU Provinsi Berganti Nama" in client.get(url).content.decode()


@pytest.mark.django_db
def test_rollup_follows_moved_units_and_new_roles(world, django_user_model):
    from django.test import Client

    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna, SatuanKerja

    north = SatuanKerja.objects.create(nama="Provinsi Utara", slug="utara")
    south = SatuanKerja.objects.create(nama="Provinsi Selatan", slug="selatan")
    world.unit.induk = north
    world.unit.save()
    other = world.rencana_lain.satuan_kerja
    other.induk = south
    other.save()
    watcher = django_user_model.objects.create_user("pengamat", password="x-y-z-123")
    PeranPengguna.objects.create(user=watcher, satuan_kerja=north, peran=Peran.PIMPINAN)
    client = Client()
    client.force_login(watcher)
    url = reverse("rekap") + f"?tahun={world.rencana.tahun}"
    html = client.get(url).content.decode()
    assert world.unit.nama in html and other.nama not in html

    other.induk = north  # moved: its plans' revisions rise
    other.save()
    assert other.nama in client.get(url).content.decode()

    other.induk = south
    other.save()
    assert other.nama not in client.get(url).content.decode()
    PeranPengguna.objects.create(user=watcher, satuan_kerja=south, peran=Peran.REVIEWER)
    assert other.nama in client.get(url).content.decode()  # a new role widens the scope


@pytest.mark.django_db
def test_a_revision_is_at_least_the_current_time_in_microseconds(world):
    """Guards the bigint typing: on PostgreSQL with server-side binding an untyped
    integer went over as int4 and the revision only ever grew by one."""
    import time

    before_us = time.time_ns() // 1000
    world.submit(files=[files.pdf()])
    assert _revisi(world) >= before_us


@pytest.mark.django_db
def test_moving_a_row_to_another_plan_raises_both_plans(world):
    other = world.rencana_lain
    target = other.area.get().komponen.get()
    before_old, before_new = _revisi(world), RencanaAksi.objects.get(pk=other.pk).revisi
    indikator = world.langkah_b.indikator
    indikator.komponen = target
    indikator.save()
    assert _revisi(world) > before_old
    assert RencanaAksi.objects.get(pk=other.pk).revisi > before_new


@pytest.mark.django_db
def test_adding_months_raises_the_revision_even_without_saving_the_step(world):
    before = _revisi(world)
    langkah_aksi_set_bulan(
        langkah=world.langkah_b, bulan=[world.today.month, 12 if world.today.month != 12 else 1]
    )
    assert _revisi(world) > before
    unchanged = _revisi(world)
    langkah_aksi_set_bulan(langkah=world.langkah_b, bulan=list(world.langkah_b.bulan))
    assert _revisi(world) == unchanged  # nothing changed, nothing raised


def _plan_updates(queries) -> list[str]:
    table = RencanaAksi._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]


@pytest.mark.django_db
def test_an_upload_a_review_and_a_withdrawal_raise_the_revision_once_each(world):
    """The evidence services raise the plan's revision with the slot's lock, once per
    transaction, however many rows (version, files, events, audit) they write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as upload:
        first = world.submit(files=[files.pdf(), files.png()])
    with CaptureQueriesContext(connection) as withdraw:
        bukti_withdraw(bukti=first, oleh=world.users["anggota"])
    second = world.submit()
    with CaptureQueriesContext(connection) as review:
        bukti_review(
            bukti=second, keputusan=StatusBukti.DISETUJUI, catatan="", oleh=world.users["reviewer"]
        )
    assert [len(_plan_updates(c.captured_queries)) for c in (upload, withdraw, review)] == [1, 1, 1]


@pytest.mark.django_db
def test_evidence_moves_the_dashboard_revision_not_the_document_revision(world):
    plan = RencanaAksi.objects.get(pk=world.rencana.pk)
    world.submit()
    after = RencanaAksi.objects.get(pk=world.rencana.pk)
    assert after.revisi > plan.revisi
    assert after.revisi_rencana == plan.revisi_rencana
    world.langkah.teks = "Teks baru"
    world.langkah.save()
    edited = RencanaAksi.objects.get(pk=world.rencana.pk)
    assert edited.revisi > after.revisi
    assert edited.revisi_rencana > after.revisi_rencana


@pytest.mark.django_db
def test_evidence_entered_with_a_past_time_raises_both_plan_revisions_and_nothing_else(world):
    """The evidence's own revisions are raised in hand-written SQL: the plan's two (its
    ended months change), the step's and the month's; no other plan, step or month."""
    import datetime

    from django.utils import timezone

    from actionplan.models import LangkahAksi, Slot

    def state():
        return (
            dict(RencanaAksi.objects.values_list("pk", "revisi")),
            dict(RencanaAksi.objects.values_list("pk", "revisi_rencana")),
            dict(LangkahAksi.objects.values_list("pk", "revisi_bukti")),
            dict(Slot.objects.values_list("pk", "revisi_bukti")),
        )

    before = state()
    world.submit(pada=timezone.now() - datetime.timedelta(hours=1))
    after = state()
    changed = [
        {pk for pk in old if new[pk] != old[pk]} for old, new in zip(before, after, strict=True)
    ]
    assert changed == [
        {world.rencana.pk},
        {world.rencana.pk},
        {world.langkah.pk},
        {world.slot.pk},
    ]
    for old, new in zip(before, after, strict=True):
        assert all(new[pk] > old[pk] for pk in old if new[pk] != old[pk])  # only ever up
