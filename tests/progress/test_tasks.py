"""Nothing falls off at the year's end: last year's returned or missing evidence stays in
Tugas saya until it is approved, the dashboard shows the current state by default, and
the member sees what the reviewer wrote where they act."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from evidence.enums import StatusBukti
from evidence.services import bukti_review
from tests import files
from tests.factories import (
    AreaPerubahanFactory,
    IndikatorFactory,
    KomponenFactory,
    LangkahAksiFactory,
    RencanaAksiFactory,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def last_year(world):
    """Last year's plan of the world's unit: one step of team A in November and December."""
    plan = RencanaAksiFactory(satuan_kerja=world.unit, tahun=world.today.year - 1)
    komponen = KomponenFactory(area=AreaPerubahanFactory(rencana=plan, nomor=2), nomor=1)
    langkah = LangkahAksiFactory(
        indikator=IndikatorFactory(komponen=komponen, urutan=1),
        urutan=1,
        tim=world.tim_a,
        bulan=[11, 12],
        teks="Rapat evaluasi akhir tahun",
    )
    return plan, langkah


def _returned_in_january(world, clock, langkah):
    """December's evidence sent on 20 December, returned on 5 January."""
    year = world.today.year
    clock.move_to(datetime.datetime(year - 1, 12, 20, 9, 0, tzinfo=WIB))
    bukti = world.submit(slot=langkah.jadwal.get(bulan=12), files=[files.pdf("notulen.pdf")])
    clock.move_to(datetime.datetime(year, 1, 5, 10, 0, tzinfo=WIB))
    bukti_review(
        bukti=bukti,
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DIKEMBALIKAN,
        catatan="Tanda tangan notulen belum ada.",
    )
    clock.move_to(datetime.datetime(year, 6, 15, 10, 0, tzinfo=WIB))
    return bukti


def test_last_years_returned_and_missing_months_stay_in_tugas_saya(world, clock, last_year):
    _, langkah = last_year
    _returned_in_january(world, clock, langkah)
    response = world.client_for("anggota").get(reverse("tugas-saya"))
    sections = {s["tahun"]: s for s in response.context["sections"]}
    assert sorted(sections) == [world.today.year - 1, world.today.year]
    past = sections[world.today.year - 1]
    assert past["lalu"] is True
    assert [bulan for _, bulan in past["tugas"]["dikembalikan"]] == [12]
    assert [bulan for _, bulan in past["tugas"]["terlambat"]] == [11]
    assert past["tugas"]["bulan_ini"] == []
    html = response.content.decode()
    assert "tahun sebelumnya: masih terbuka" in html
    assert "Tanda tangan notulen belum ada." in html
    assert "Dikembalikan oleh reviewer pada 5 Januari" in html
    assert "notulen.pdf" in html


def test_an_approved_month_leaves_tugas_saya_and_the_upload_form(world, clock, last_year):
    _, langkah = last_year
    returned = _returned_in_january(world, clock, langkah)
    client = world.client_for("anggota")
    upload = reverse("bukti-unggah", args=[langkah.pk])
    form_page = client.get(upload, {"bulan": 12}).content.decode()
    assert "Unggah perbaikan · Desember" in form_page
    assert "Tanda tangan notulen belum ada." in form_page
    fixed = world.submit(slot=returned.slot, files=[files.pdf("notulen-ttd.pdf")])
    bukti_review(
        bukti=fixed, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    sections = {s["tahun"]: s for s in client.get(reverse("tugas-saya")).context["sections"]}
    assert [bulan for _, bulan in sections[world.today.year - 1]["tugas"]["terlambat"]] == [11]
    assert sections[world.today.year - 1]["tugas"]["dikembalikan"] == []
    page = client.get(upload)
    assert [value for value, _ in page.context["form"].fields["bulan"].widget.choices] == [11]
    refused = client.post(upload, {"bulan": 12, "tautan": "https://kpu.go.id/x"})
    assert refused.context["form"].errors["bulan"] == [
        "Bukti bulan Desember sudah disetujui; tidak perlu diunggah lagi."
    ]


def test_a_plan_with_nothing_open_from_last_year_is_not_listed(world, last_year):
    _, langkah = last_year
    langkah.jadwal.all().delete()
    sections = world.client_for("anggota").get(reverse("tugas-saya")).context["sections"]
    assert [s["tahun"] for s in sections] == [world.today.year]


def test_dashboard_shows_the_current_state_by_default_and_a_months_end_on_request(
    world, clock, last_year
):
    plan, langkah = last_year
    returned = _returned_in_january(world, clock, langkah)
    fixed = world.submit(slot=returned.slot)
    bukti_review(
        bukti=fixed, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    client = world.client_for("pimpinan")
    url = reverse("dasbor", args=[plan.pk])
    now = client.get(url)
    assert now.context["moment"].current is True
    assert "Kemajuan: keadaan saat ini" in now.content.decode()
    assert 'data-testid="persen-disetujui">50.0%' in now.content.decode().replace(",", ".")
    at_year_end = client.get(url, {"bulan": 12})
    assert at_year_end.context["moment"].current is False
    # On 31 December the month had been sent, not yet approved.
    assert 'data-testid="persen-disetujui">0.0%' in at_year_end.content.decode().replace(",", ".")
    listing = client.get(reverse("daftar-slot", args=[plan.pk]), {"ukuran": "approved"})
    assert [s.bulan for s in listing.context["slots"]] == [12]
    ended = client.get(reverse("daftar-slot", args=[plan.pk]), {"ukuran": "approved", "bulan": 12})
    assert list(ended.context["slots"]) == []


def test_the_repair_form_says_what_it_sends(world, clock, last_year):
    _, langkah = last_year
    _returned_in_january(world, clock, langkah)
    client = world.client_for("anggota")
    upload = reverse("bukti-unggah", args=[langkah.pk])
    assert 'value="Kirim perbaikan"' in client.get(upload, {"bulan": 12}).content.decode()
    assert 'value="Kirim bukti"' in client.get(upload, {"bulan": 11}).content.decode()


def test_a_cached_section_of_tugas_saya_follows_each_change_and_each_team(world):
    client = world.client_for("anggota")
    month = world.today.month

    def this_month(c):
        [section] = c.get(reverse("tugas-saya")).context["sections"]
        return section["tugas"]["bulan_ini"]

    assert (world.langkah.pk, month) in this_month(client)
    this_month(client)  # served from the cache
    world.submit()  # raises the plan's revision
    assert (world.langkah.pk, month) not in this_month(client)
    # Another team of the same plan has its own section.
    other = this_month(world.client_for("anggota_lain"))
    assert other == [(world.langkah_b.pk, month)]
