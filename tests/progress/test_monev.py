"""The monev notes: the model's rules, the service (audited), and the admin's page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actionplan.enums import AksiAudit
from actionplan.models import CatatanAudit
from actionplan.progress.models import CatatanMonev
from actionplan.progress.services import catatan_monev_simpan


def _save(world, **kwargs):
    values = {"bulan": 6, "area": 1, "kendala": "Kendala A", "tindak_lanjut": "Tindak lanjut A"}
    values.update(kwargs)
    return catatan_monev_simpan(rencana=world.rencana, oleh=world.users["admin"], **values)


def _url(world, bulan=6, rencana=None):
    return reverse("monev-catatan", args=[(rencana or world.rencana).pk]) + f"?bulan={bulan}"


# --- the model ---------------------------------------------------------------------------


@pytest.mark.parametrize(("bulan", "area"), [(0, 1), (13, 1), (6, 0), (6, 7)])
def test_database_refuses_month_or_area_out_of_range(world, bulan, area):
    with pytest.raises(IntegrityError), transaction.atomic():
        CatatanMonev.objects.create(
            rencana=world.rencana, bulan=bulan, area=area, diubah_oleh=world.users["admin"]
        )


def test_one_note_per_plan_month_and_area(world):
    CatatanMonev.objects.create(
        rencana=world.rencana, bulan=6, area=1, diubah_oleh=world.users["admin"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CatatanMonev.objects.create(
            rencana=world.rencana, bulan=6, area=1, diubah_oleh=world.users["admin"]
        )


# --- the service -------------------------------------------------------------------------


def test_save_writes_the_note_and_an_audit_row(world):
    catatan = _save(world)
    assert (catatan.kendala, catatan.tindak_lanjut) == ("Kendala A", "Tindak lanjut A")
    assert catatan.diubah_oleh == world.users["admin"]
    audit = CatatanAudit.objects.get(objek=f"catatanmonev:{catatan.pk}")
    assert audit.aksi == AksiAudit.RENCANA_DIUBAH
    assert audit.aktor == world.users["admin"]
    assert audit.satuan_kerja_id == world.unit.pk
    assert "Catatan monev Juni" in audit.ringkasan and "area I" in audit.ringkasan


def test_unchanged_texts_write_nothing_and_emptied_ones_remove_the_note(world):
    catatan = _save(world)
    before = CatatanAudit.objects.count()
    assert _save(world, kendala="  Kendala A ").pk == catatan.pk
    assert CatatanAudit.objects.count() == before
    assert _save(world, kendala="", tindak_lanjut="") is None
    assert not CatatanMonev.objects.exists()
    assert CatatanAudit.objects.count() == before + 1
    # Nothing written and nothing there: no row, no audit.
    assert _save(world, kendala="", tindak_lanjut="") is None
    assert CatatanAudit.objects.count() == before + 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kendala": "x" * 2001}, "Kendala paling banyak 2000 karakter."),
        ({"tindak_lanjut": "x" * 2001}, "Tindak lanjut paling banyak 2000 karakter."),
        ({"bulan": 13}, "Bulan harus 1 sampai 12."),
        ({"area": 7}, "Area perubahan harus I sampai VI."),
    ],
)
def test_service_refuses_bad_input(world, kwargs, message):
    with pytest.raises(ValidationError) as excinfo:
        _save(world, **kwargs)
    assert excinfo.value.messages == [message]
    assert not CatatanMonev.objects.exists()
    assert not CatatanAudit.objects.filter(objek__startswith="catatanmonev:").exists()


# --- the page ----------------------------------------------------------------------------


@pytest.fixture
def two_areas(world):
    from tests.factories import AreaPerubahanFactory

    AreaPerubahanFactory(rencana=world.rencana, nomor=2, nama="PENATAAN TATA LAKSANA")
    return world


def test_admin_sees_the_areas_and_the_month_texts(two_areas):
    world = two_areas
    _save(world, kendala="Kendala Juni")
    _save(world, bulan=5, kendala="Kendala Mei")
    response = world.client_for("admin").get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Catatan monev Juni" in html
    assert "PENATAAN TATA LAKSANA" in html
    assert "Kendala Juni" in html and "Kendala Mei" not in html
    assert 'name="kendala_2"' in html and 'name="tindak_lanjut_1"' in html


def test_post_saves_every_area_and_redirects(two_areas):
    world = two_areas
    client = world.client_for("admin")
    response = client.post(
        _url(world, bulan=4),
        {"kendala_1": "Server rusak", "tindak_lanjut_1": "Perbaikan", "kendala_2": "",
         "tindak_lanjut_2": "Rapat koordinasi"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == _url(world, bulan=4)
    notes = {c.area: (c.kendala, c.tindak_lanjut) for c in CatatanMonev.objects.filter(bulan=4)}
    assert notes == {1: ("Server rusak", "Perbaikan"), 2: ("", "Rapat koordinasi")}
    page = client.get(response["Location"]).content.decode()
    assert "Catatan monev April disimpan." in page


@pytest.mark.parametrize("field", ["kendala_1", "tindak_lanjut_2"])
def test_too_long_text_saves_nothing_with_a_message(two_areas, field):
    world = two_areas
    data = {"kendala_1": "Boleh", "tindak_lanjut_1": "", "kendala_2": "Boleh juga",
            "tindak_lanjut_2": ""}  # fmt: skip
    data[field] = "a" * 2001
    response = world.client_for("admin").post(_url(world), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Catatan tidak disimpan" in html
    label = "Kendala" if field.startswith("kendala") else "Tindak lanjut"
    assert f"{label} paling banyak 2000 karakter." in html
    assert "Boleh juga" in html  # what was typed is kept in the form
    assert not CatatanMonev.objects.exists()
    assert not CatatanAudit.objects.filter(objek__startswith="catatanmonev:").exists()


def test_a_bad_month_falls_back_to_the_current_one(world):
    response = world.client_for("admin").get(_url(world, bulan="13"))
    assert response.status_code == 200
    assert response.context["bulan"] == 6


@pytest.mark.parametrize(
    ("kind", "status"),
    [("pimpinan", 403), ("reviewer", 403), ("anggota", 403), ("unit_lain", 404)],
)
def test_only_the_units_admin_may_post(world, kind, status):
    response = world.client_for(kind).post(_url(world), {"kendala_1": "Tidak boleh"})
    assert response.status_code == status
    assert not CatatanMonev.objects.exists()


def test_admin_of_another_unit_gets_404(world):
    response = world.client_for("admin").get(_url(world, rencana=world.rencana_lain))
    assert response.status_code == 404


def test_dashboard_links_the_page_for_admins_only(world):
    url = reverse("dasbor", args=[world.rencana.pk])
    link = reverse("monev-catatan", args=[world.rencana.pk])
    assert link in world.client_for("admin").get(url).content.decode()
    assert link not in world.client_for("pimpinan").get(url).content.decode()
    assert link not in world.client_for("reviewer").get(url).content.decode()


@pytest.mark.parametrize("n", [1, 4])
def test_monev_page_query_count_is_constant(world, django_assert_num_queries, n):
    from tests.factories import AreaPerubahanFactory

    for nomor in range(2, 2 + n):
        AreaPerubahanFactory(rencana=world.rencana, nomor=nomor)
        _save(world, area=nomor)
    client = world.client_for("admin")
    client.get(_url(world))
    # session, user, roles and teams, the plan with its unit, its areas, the month's notes.
    with django_assert_num_queries(6):
        assert client.get(_url(world)).status_code == 200
