"""N+1 guards: the reviewer's queue and the step page run the same number of queries
whatever the number of submissions, files and history events."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from evidence.enums import StatusBukti
from evidence.services import pesan_kirim
from tests import files


def _count(client, django_assert_num_queries, url, expected, cached=None):
    """Computed afresh (warm sessions and statements), and from the cache if it has one."""
    assert client.get(url).status_code == 200
    for each in caches.all(initialized_only=True):
        each.clear()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    if cached is not None:
        with django_assert_num_queries(cached):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_queue_query_count_is_constant(world, django_assert_num_queries, n):
    for month in range(1, n + 1):
        world.submit(slot=world.langkah.jadwal.get(bulan=month), files=[files.pdf(), files.png()])
    client = world.client_for("reviewer")
    # session, user, roles with the units below them, team filter choices, the units'
    # plan revisions, waiting submissions (joined up to the unit and the uploader), their
    # files; from the cache the first five.
    _count(client, django_assert_num_queries, reverse("antrean"), 7, cached=5)


@pytest.mark.parametrize("n", [1, 3])
def test_step_page_query_count_is_constant(world, django_assert_num_queries, n):
    for month in range(1, n + 1):
        slot = world.langkah.jadwal.get(bulan=month)
        for _ in range(n):  # n versions per month, each replacing the last
            world.submit(slot=slot, files=[files.pdf(), files.png()])
        for _ in range(n):  # and n messages in the month's thread
            pesan_kirim(slot=slot, oleh=world.users["reviewer"], teks="Mohon foto kegiatan.")
    client = world.client_for("anggota")
    # session, user, step (joined up to the unit), roles and teams, bukti fisik, slots,
    # versions (with uploader and reviewer), their files, their history (with actors),
    # the months' messages (with authors); from the cache the first four.
    url = reverse("langkah-detail", args=[world.langkah.pk])
    _count(client, django_assert_num_queries, url, 10, cached=4)


@pytest.mark.parametrize("n", [1, 3])
def test_plan_page_and_audit_query_count_is_constant(world, django_assert_num_queries, n):
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    komponen = world.langkah.indikator.komponen
    for i in range(n):  # n more steps, each with months and bukti fisik, and n uploads
        LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=10 + i),
            tim=world.tim_b,
            bulan=[1, 5],
            bukti=["Satu", "Dua"],
        )
        world.submit(slot=world.langkah.jadwal.get(bulan=i + 1))
    client = world.client_for("admin")
    # session, user, plan, roles with the units below them, steps, months, bukti fisik.
    _count(client, django_assert_num_queries, reverse("rencana-detail", args=[world.rencana.pk]), 7)
    # session, user, roles with the units below them, count, entries (with actor and unit).
    _count(client, django_assert_num_queries, reverse("audit"), 5)


def test_the_cached_step_page_follows_uploads_reviews_and_messages(world):
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review

    client = world.client_for("anggota")
    url = reverse("langkah-detail", args=[world.langkah.pk])
    assert "Versi 1" not in client.get(url).content.decode()
    bukti = world.submit(files=[files.pdf("notulen-rapat.pdf")])
    assert "notulen-rapat.pdf" in client.get(url).content.decode()
    pesan_kirim(slot=world.slot, oleh=world.users["reviewer"], teks="Tambahkan foto kegiatan.")
    assert "Tambahkan foto kegiatan." in client.get(url).content.decode()
    bukti_review(
        bukti=bukti,
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DIKEMBALIKAN,
        catatan="Kabur.",
    )
    assert "Catatan reviewer: Kabur." in client.get(url).content.decode()


def test_a_change_in_another_step_leaves_a_step_page_cached(world, django_assert_num_queries):
    """The step page is keyed by the step's own revisi_bukti: an upload to a step of
    another team raises that step's revision and the plan's, not this step's."""
    from actionplan.models import LangkahAksi

    client = world.client_for("reviewer")
    url = reverse("langkah-detail", args=[world.langkah.pk])
    client.get(url)
    before = dict(LangkahAksi.objects.values_list("pk", "revisi_bukti"))
    world.submit(kind="anggota_lain", slot=world.langkah_b.jadwal.get())
    after = dict(LangkahAksi.objects.values_list("pk", "revisi_bukti"))
    assert after[world.langkah_b.pk] > before[world.langkah_b.pk]
    assert after[world.langkah.pk] == before[world.langkah.pk]
    # session, user, step with its plan, roles: the months, versions, files, history
    # and messages come from the cache.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    world.submit()
    assert (
        dict(LangkahAksi.objects.values_list("pk", "revisi_bukti"))[world.langkah.pk]
        > (before[world.langkah.pk])
    )


def _slot_revisions(world) -> dict[int, int]:
    return dict(world.langkah.jadwal.values_list("bulan", "revisi_bukti"))


def test_every_change_of_a_month_raises_that_month_only(world):
    """Upload, review, withdrawal and message each raise their own month's revision
    (the step page's per-month cache key), and no other month's."""
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review, bukti_withdraw

    month = world.slot.bulan

    def changed(action):
        before = _slot_revisions(world)
        result = action()
        after = _slot_revisions(world)
        assert {b for b in after if after[b] != before[b]} == {month}
        return result

    first = changed(lambda: world.submit())
    changed(
        lambda: bukti_review(
            bukti=first,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Kabur.",
        )
    )
    second = changed(lambda: world.submit())
    changed(lambda: bukti_withdraw(bukti=second, oleh=world.users["anggota"]))
    changed(lambda: pesan_kirim(slot=world.slot, oleh=world.users["anggota"], teks="Sudah."))


def test_after_a_change_the_step_page_reads_and_renders_that_month_only(world):
    """The months are cached one by one: after an upload to one month, the next view
    reads the versions of that month alone, and shows the other months as they were."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = world.langkah.jadwal.exclude(pk=world.slot.pk).first()
    world.submit(slot=other, files=[files.pdf("bulan-lain.pdf")])
    client = world.client_for("anggota")
    url = reverse("langkah-detail", args=[world.langkah.pk])
    assert "bulan-lain.pdf" in client.get(url).content.decode()
    world.submit(files=[files.pdf("baru.pdf")])
    with CaptureQueriesContext(connection) as seen:
        html = client.get(url).content.decode()
    assert "baru.pdf" in html and "bulan-lain.pdf" in html
    versions = [q["sql"] for q in seen.captured_queries if 'FROM "evidence_bukti"' in q["sql"]]
    assert len(versions) == 1
    assert f"IN ({world.slot.pk})" in versions[0]
    # Twelve months, each its own section, each once.
    assert html.count('class="card zi-card mb-2 zi-slot"') == 12
    assert sorted(re.findall(r'id="bulan-(\d+)"', html), key=int) == [str(b) for b in range(1, 13)]


def test_a_step_without_months_says_so(world):
    world.langkah.jadwal.all().delete()
    html = (
        world.client_for("anggota")
        .get(reverse("langkah-detail", args=[world.langkah.pk]))
        .content.decode()
    )
    assert "belum dijadwalkan di bulan mana pun" in html


def test_evidence_for_a_month_taken_off_the_schedule_is_refused(world):
    """A month removed from the schedule after the form was opened: the upload and the
    message are refused with a message, and nothing is written."""
    from django.core.exceptions import ValidationError

    from evidence.models import Bukti, PesanSlot

    slot = world.slot
    world.langkah.jadwal.filter(pk=slot.pk).delete()
    for write in (
        lambda: world.submit(slot=slot),
        lambda: pesan_kirim(slot=slot, oleh=world.users["anggota"], teks="Halo."),
    ):
        with pytest.raises(ValidationError, match="tidak lagi dijadwalkan"):
            write()
    assert not Bukti.objects.exists() and not PesanSlot.objects.exists()


def test_a_message_to_a_month_taken_off_the_schedule_meanwhile_is_refused_with_a_message(
    world, monkeypatch
):
    """The month existed when the page checked it and is gone when the message is
    written: the member is told, nothing is written, no error page."""
    from actionplan.models import Slot
    from evidence import views
    from evidence.models import PesanSlot

    slot = Slot.objects.select_related("langkah_aksi").get(pk=world.slot.pk)
    monkeypatch.setattr(views, "slot_for_message", lambda user, pk, bulan: slot)
    world.langkah.jadwal.filter(pk=slot.pk).delete()
    client = world.client_for("anggota")
    response = client.post(
        reverse("slot-pesan", args=[world.langkah.pk, slot.bulan]), {"teks": "Halo."}, follow=True
    )
    assert response.status_code == 200
    assert "Pesan tidak terkirim: Bulan ini tidak lagi dijadwalkan" in response.content.decode()
    assert not PesanSlot.objects.exists()


def test_the_cached_step_page_carries_each_viewers_own_csrf_token(world):
    """The months are cached with a placeholder; every response carries a token that
    the CSRF check accepts, and the reviewer's form posts with it."""
    import re

    from django.test import Client

    bukti = world.submit()
    url = reverse("langkah-detail", args=[world.langkah.pk])
    tokens = []
    for _ in range(2):  # the first render fills the cache, the second reads it
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["reviewer"])
        html = client.get(url).content.decode()
        assert "zi-csrf-" not in html
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    response = client.post(
        reverse("bukti-review", args=[bukti.pk]),
        {"csrfmiddlewaretoken": tokens[1][0], "keputusan": "disetujui", "catatan": ""},
    )
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == "disetujui"


def _updates(captured) -> list[str]:
    tables = ("actionplan_rencanaaksi", "actionplan_langkahaksi", "actionplan_slot")
    found = []
    for query in captured:
        sql = query["sql"]
        for table in tables:
            if sql.startswith(f'UPDATE "{table}"') or (
                sql.startswith("SELECT") and "FOR UPDATE" in sql and f'FROM "{table}"' in sql
            ):
                found.append(table)
                break
    return found


def test_every_writer_locks_the_plan_before_the_step(world):
    """The evidence services raise the plan, then the step, then lock the slot; a change
    of the plan's rows raises (locks) the plan before it writes the step: the same order,
    so an upload and an admin's edit of the same step cannot deadlock."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as upload:
        world.submit()
    order = _updates(upload.captured_queries)
    assert order.index("actionplan_rencanaaksi") < order.index("actionplan_langkahaksi")
    assert order.index("actionplan_langkahaksi") < order.index("actionplan_slot")

    langkah = world.langkah
    langkah.teks = "Teks yang diperbaiki"
    with CaptureQueriesContext(connection) as edit, transaction.atomic():
        langkah.save()
    order = _updates(edit.captured_queries)
    assert order[0] == "actionplan_rencanaaksi"
    assert "actionplan_langkahaksi" in order

    with CaptureQueriesContext(connection) as removal, transaction.atomic():
        world.langkah_b.jadwal.all().delete()
    assert _updates(removal.captured_queries)[0] == "actionplan_rencanaaksi"


@pytest.mark.parametrize("n", [1, 3])
def test_upload_query_count_is_constant(world, django_assert_num_queries, n):
    """An upload's queries do not grow with the month's earlier versions (each replaced
    one gets its "replaced" event in one insert) nor with the step's schedule."""
    slot = world.langkah.jadwal.get(bulan=2)
    for _ in range(n):
        world.submit(slot=slot, files=[files.pdf()])
    client = world.client_for("anggota")
    url = reverse("bukti-unggah", args=[world.langkah.pk])
    assert client.get(url).status_code == 200  # warm: session, statements
    upload = files.pdf()
    # session, user, step (joined up to the unit), roles and teams, the schedule with the
    # slots' states; then in the transaction: savepoint, the plan's and the step's
    # revisions, the slot locked, its versions, the waiting one replaced, its event,
    # the new version, its file, its event, the audit line, the slot's state, release.
    with django_assert_num_queries(18):
        response = client.post(url, {"bulan": 2, "berkas": [upload]})
    assert response.status_code == 302
    assert slot.bukti.count() == n + 1


@pytest.mark.parametrize("keputusan", [StatusBukti.DISETUJUI, StatusBukti.DIKEMBALIKAN])
def test_review_query_count(world, django_assert_num_queries, keputusan):
    """A review writes its rows and reads nothing back: the reviewed version's new
    values are set on the instance the service returns."""
    bukti = world.submit(files=[files.pdf()])
    client = world.client_for("reviewer")
    url = reverse("bukti-review", args=[bukti.pk])
    assert client.get(reverse("antrean")).status_code == 200  # warm: session, statements
    # session, user, the version (joined up to the unit), roles and teams; then in the
    # transaction: savepoint, the plan's, the step's and the slot's revisions, the
    # version's status, its event, the audit line, the slot's state, release. A return
    # also notifies the team (the version with its step, the team's members, the
    # notifications inserted and read back, preferences, recipients).
    expected = 13 if keputusan == StatusBukti.DISETUJUI else 19
    with django_assert_num_queries(expected):
        response = client.post(url, {"keputusan": keputusan, "catatan": "Perbaiki tanggal."})
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == keputusan and bukti.diperiksa_oleh == world.users["reviewer"]
