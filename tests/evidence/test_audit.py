from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.models import CatatanAudit, LangkahAksi
from evidence.enums import StatusBukti
from evidence.services import bukti_review, bukti_withdraw


def test_audit_trail_records_uploads_versions_withdrawals_and_reviews(world):
    first = world.submit()
    bukti_withdraw(bukti=first, oleh=world.users["anggota"])
    second = world.submit()
    bukti_review(
        bukti=second,
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DIKEMBALIKAN,
        catatan="Kurang foto",
    )
    rows = list(CatatanAudit.objects.order_by("id"))
    assert [(r.aksi, r.aktor.username, r.satuan_kerja_id) for r in rows] == [
        ("bukti_diajukan", "anggota", world.unit.pk),
        ("bukti_ditarik", "anggota", world.unit.pk),
        ("bukti_versi_baru", "anggota", world.unit.pk),
        ("bukti_dikembalikan", "reviewer", world.unit.pk),
    ]
    assert rows[-1].ringkasan.endswith("catatan: Kurang foto")


def test_plan_edit_in_the_admin_is_audited(world, superuser_client):
    langkah = world.langkah
    response = superuser_client.post(
        reverse("admin:actionplan_langkahaksi_change", args=[langkah.pk]),
        {
            "indikator": langkah.indikator_id,
            "urutan": 1,
            "teks": "Langkah yang diperbaiki",
            "tim": langkah.tim_id,
            "bulan": ["1", "2"],
            "bukti_fisik-TOTAL_FORMS": "0",
            "bukti_fisik-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    entry = CatatanAudit.objects.get()
    assert (entry.aksi, entry.aktor.username, entry.satuan_kerja_id) == (
        "rencana_diubah",
        "super",
        world.unit.pk,
    )
    assert entry.objek == f"langkahaksi:{langkah.pk}"
    assert "Langkah yang diperbaiki" in entry.ringkasan


def test_audit_page_shows_only_the_own_units_trail(world):
    world.submit()
    other_unit_entry = CatatanAudit.objects.create(
        aksi="rencana_diubah",
        objek="x:1",
        ringkasan="Rahasia unit lain",
        satuan_kerja=world.rencana_lain.satuan_kerja,
    )
    html = world.client_for("pimpinan").get(reverse("audit")).content.decode()
    assert "Bukti diunggah" in html
    assert other_unit_entry.ringkasan not in html


def test_audit_trail_cannot_be_edited_in_the_admin(world, superuser_client):
    world.submit()
    entry = CatatanAudit.objects.get()
    ringkasan = entry.ringkasan
    change = superuser_client.post(
        reverse("admin:actionplan_catatanaudit_change", args=[entry.pk]), {"ringkasan": "ubah"}
    )
    assert change.status_code == 403
    delete = superuser_client.post(
        reverse("admin:actionplan_catatanaudit_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert superuser_client.get(reverse("admin:actionplan_catatanaudit_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.ringkasan == ringkasan
    plans = [world.rencana, world.rencana_lain]
    assert sum(LangkahAksi.objects.of_plan(p).count() for p in plans) == 3


@pytest.mark.parametrize("url_name", ["admin:evidence_bukti_add"])
def test_evidence_cannot_be_created_in_the_admin(superuser_client, url_name):
    assert superuser_client.get(reverse(url_name)).status_code == 403


def test_audit_page_shows_entries_without_an_actor_as_sistem(world):
    """The demo's year copy and other system writes have no actor."""
    from actionplan.services import rencana_salin_ke_tahun

    rencana_salin_ke_tahun(rencana=world.rencana, tahun=world.today.year + 1)
    response = world.client_for("pimpinan").get(reverse("audit"))
    assert response.status_code == 200
    assert "<td>sistem</td>" in response.content.decode()
