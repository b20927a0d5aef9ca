"""Reviewers work through the queue fast: save and next, filters kept, bulk approval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evidence.enums import StatusBukti
from evidence.models import Bukti
from tests import files

pytestmark = pytest.mark.django_db


def _step(world, bukti) -> str:
    return (
        reverse("langkah-detail", args=[bukti.slot.langkah_aksi_id]) + f"#bulan-{bukti.slot.bulan}"
    )


def test_save_and_next_opens_the_next_waiting_item_then_the_empty_queue(world):
    first = world.submit(slot=world.langkah.jadwal.get(bulan=1))
    second = world.submit(slot=world.langkah.jadwal.get(bulan=2))
    client = world.client_for("reviewer")
    data = {"keputusan": StatusBukti.DISETUJUI, "catatan": "", "next": "berikutnya"}
    response = client.post(reverse("bukti-review", args=[first.pk]), data)
    assert response["Location"] == _step(world, second)
    response = client.post(reverse("bukti-review", args=[second.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("antrean")
    assert "Antrean review sudah kosong." in [str(m) for m in response.context["messages"]]


def test_queue_filters_are_kept_for_the_session_until_cleared(world):
    world.submit(slot=world.langkah.jadwal.get(bulan=1))
    world.submit(slot=world.langkah.jadwal.get(bulan=2))
    client = world.client_for("reviewer")
    assert len(client.get(reverse("antrean"), {"bulan": 2}).context["items"]) == 1
    back = client.get(reverse("antrean"))
    assert back.context["form"].cleaned_data["bulan"] == 2
    assert [b.bulan for b in back.context["items"]] == [2]
    cleared = client.get(reverse("antrean"), {"semua": 1})
    assert [b.bulan for b in cleared.context["items"]] == [1, 2]
    assert [b.bulan for b in client.get(reverse("antrean")).context["items"]] == [1, 2]


def test_bulk_approval_skips_ones_own_uploads(world):
    member = world.submit(slot=world.langkah.jadwal.get(bulan=1))
    own = world.submit(kind="admin", slot=world.langkah.jadwal.get(bulan=2))
    client = world.client_for("admin")
    page = client.get(reverse("antrean")).content.decode()
    assert f'name="bukti" value="{member.pk}"' in page
    assert f'name="bukti" value="{own.pk}"' not in page
    assert 'data-zi-confirm="Setujui semua bukti yang dicentang?' in page
    response = client.post(reverse("antrean-setujui"), {"bukti": [member.pk, own.pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "1 bukti disetujui. 1 dilewati (unggahan Anda sendiri, sudah direview, atau bukan "
        "wewenang Anda)."
    ]
    statuses = dict(Bukti.objects.values_list("pk", "status"))
    assert statuses[member.pk] == StatusBukti.DISETUJUI
    assert statuses[own.pk] == StatusBukti.DIAJUKAN


def test_bulk_approval_of_nothing_or_by_a_member_changes_nothing(world):
    bukti = world.submit(files=[files.pdf()])
    empty = world.client_for("reviewer").post(reverse("antrean-setujui"), {}, follow=True)
    assert [str(m) for m in empty.context["messages"]] == ["Pilih dulu bukti yang akan disetujui."]
    refused = world.client_for("anggota").post(reverse("antrean-setujui"), {"bukti": [bukti.pk]})
    assert refused.status_code == 403
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN


def test_the_cached_queue_follows_each_upload_and_review(world):
    client = world.client_for("reviewer")
    first = world.submit(slot=world.langkah.jadwal.get(bulan=1))
    assert [b.pk for b in client.get(reverse("antrean")).context["items"]] == [first.pk]
    second = world.submit(slot=world.langkah.jadwal.get(bulan=2))
    assert [b.pk for b in client.get(reverse("antrean")).context["items"]] == [first.pk, second.pk]
    client.post(reverse("bukti-review", args=[first.pk]), {"keputusan": StatusBukti.DISETUJUI})
    page = client.get(reverse("antrean"))
    assert [b.pk for b in page.context["items"]] == [second.pk]
    assert f'id="pilih-{first.pk}"' not in page.content.decode()


def test_the_cached_filter_form_keeps_each_reviewers_teams_and_each_error(world, django_user_model):
    from django.test import Client

    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna

    other = django_user_model.objects.create_user("tpi-lain", password="sandi-uji-123")
    PeranPengguna.objects.create(
        user=other, satuan_kerja=world.rencana_lain.satuan_kerja, peran=Peran.REVIEWER
    )
    client = world.client_for("reviewer")
    mine = client.get(reverse("antrean")).content.decode()
    assert "TIM A" in mine and "TIM UNIT LAIN" not in mine
    theirs_client = Client()
    theirs_client.force_login(other)
    theirs = theirs_client.get(reverse("antrean")).content.decode()
    assert "TIM UNIT LAIN" in theirs and "TIM A" not in theirs
    bad = client.get(reverse("antrean"), {"bulan": "13"}).content.decode()
    assert "pilihan yang valid" in bad
    # The same bad data again comes from the cache with its message.
    again = client.get(reverse("antrean"), {"bulan": "13"}).content.decode()
    assert again.count("pilihan yang valid") == bad.count("pilihan yang valid") > 0


def test_queue_items_are_remembered_on_what_they_show_and_never_stale(world):
    """Each item is memoized on every value it shows: recomputed after a change, the
    queue shows the new values (here the uploader's new name and the step's new text)
    and the unchanged items as they were."""
    from django.core.cache import caches

    from evidence.templatetags.bukti import _antrean_item

    world.submit(slot=world.langkah.jadwal.get(bulan=1))
    world.submit(slot=world.langkah.jadwal.get(bulan=2))
    client = world.client_for("reviewer")
    _antrean_item.cache_clear()
    first = client.get(reverse("antrean")).content.decode()
    assert _antrean_item.cache_info().currsize == 2
    uploader = world.users["anggota"]
    uploader.first_name, uploader.last_name = "Siti", "Rahayu"
    uploader.save()
    world.langkah.teks = "Apel pagi diganti upacara bendera"
    world.langkah.save()
    caches["pages"].clear()
    second = client.get(reverse("antrean")).content.decode()
    assert "Siti Rahayu" in second and "Siti Rahayu" not in first
    assert "Apel pagi diganti upacara bendera" in second
    assert _antrean_item.cache_info().currsize == 4  # both items changed: two new entries
