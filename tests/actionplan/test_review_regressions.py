"""Regressions found by an independent review of the dashboards and documents."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actionplan.documents.pdf import lampiran_html
from actionplan.documents.xlsx import DATA_SHEET, import_workbook, workbook_bytes
from actionplan.models import CatatanAudit, LangkahAksi, TimKerja
from actionplan.progress.dashboard import plan_grid, plan_progress
from actionplan.progress.moment import Moment
from actionplan.progress.states import State, slots_with_state
from actionplan.selectors import plan_rows
from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import Bukti
from evidence.services import bukti_review, bukti_withdraw
from tests.documents.test_admin_import import _upload
from tests.documents.test_xlsx import _empty_twin
from tests.factories import (
    AreaPerubahanFactory,
    BuktiFactory,
    IndikatorFactory,
    KomponenFactory,
    LangkahAksiFactory,
    PeristiwaBuktiFactory,
    RencanaAksiFactory,
    SatuanKerjaFactory,
    TimKerjaFactory,
    UserFactory,
)

UTC = datetime.UTC


def _state(world, slot) -> str:
    moment = Moment.of(world.rencana, world.today.month)
    return slots_with_state(world.rencana, moment).get(pk=slot.pk).state


def test_replaced_then_withdrawn_leaves_nothing_submitted(world):
    slot = world.slot
    world.submit(slot=slot)
    v2 = world.submit(slot=slot)  # v1 is replaced (digantikan)
    bukti_withdraw(bukti=v2, oleh=world.users["anggota"])
    # Nothing is submitted any more, and this month has not ended: due, not yet late.
    assert _state(world, slot) == State.DUE_NOW


def test_returned_then_replaced_version_withdrawn_shows_returned(world):
    slot = world.slot
    v1 = world.submit(slot=slot)
    bukti_review(
        bukti=v1, oleh=world.users["reviewer"], keputusan=StatusBukti.DIKEMBALIKAN, catatan="Kurang"
    )
    world.submit(slot=slot)
    v3 = world.submit(slot=slot)  # v2 replaced
    bukti_withdraw(bukti=v3, oleh=world.users["anggota"])
    assert _state(world, slot) == State.RETURNED


@pytest.mark.django_db
def test_a_later_withdrawal_does_not_rewrite_a_past_month():
    rencana = RencanaAksiFactory(tahun=2024)
    langkah = LangkahAksiFactory(
        indikator=IndikatorFactory(
            komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=rencana, nomor=1))
        ),
        bulan=[1],
    )
    user = UserFactory()
    bukti = BuktiFactory(  # version 1, waiting for review, uploaded in time
        slot=langkah.jadwal.get(bulan=1),
        diunggah_oleh=user,
        diunggah_pada=datetime.datetime(2024, 1, 10, 3, tzinfo=UTC),
    )
    assert (bukti.versi, bukti.status, bukti.terlambat) == (1, StatusBukti.DIAJUKAN, False)
    before = plan_progress(rencana, Moment.of(rencana, 1)).total.submitted
    Bukti.objects.filter(pk=bukti.pk).update(status=StatusBukti.DITARIK)
    PeristiwaBuktiFactory(  # by the uploader
        bukti=bukti,
        jenis=JenisPeristiwa.DITARIK,
        pada=datetime.datetime(2024, 3, 10, tzinfo=UTC),
    )
    assert before == 1
    assert plan_progress(rencana, Moment.of(rencana, 1)).total.submitted == 1
    assert plan_progress(rencana, Moment.of(rencana, 3)).total.submitted == 0
    assert plan_grid(rencana, Moment.of(rencana, 3))[0]["cells"][0][1] == State.OVERDUE


def test_admin_confirm_is_all_or_nothing(superuser_client, banyumas):
    twin = _empty_twin(banyumas)
    preview = _upload(superuser_client, twin, workbook_bytes(banyumas))
    confirm = preview.context["confirm_form"]
    TimKerja.objects.filter(satuan_kerja=twin.satuan_kerja, nama="TIM PENGAWASAN").update(
        nama="TIM DIGANTI"
    )
    response = superuser_client.post(
        reverse("admin:actionplan_langkahaksi_process_import"),
        {**confirm.initial, "rencana": twin.pk},
        follow=True,
    )
    assert LangkahAksi.objects.of_plan(twin).count() == 0
    assert "Impor dibatalkan" in response.content.decode()


def test_admin_import_is_audited(superuser_client, banyumas):
    twin = _empty_twin(banyumas)
    preview = _upload(superuser_client, twin, workbook_bytes(banyumas))
    superuser_client.post(
        reverse("admin:actionplan_langkahaksi_process_import"),
        {**preview.context["confirm_form"].initial, "rencana": twin.pk},
    )
    entry = CatatanAudit.objects.get(satuan_kerja=twin.satuan_kerja)
    assert entry.ringkasan == "Impor Excel: 52 baris langkah aksi dari rencana.xlsx"
    assert entry.aktor.username == "super"


def test_control_characters_do_not_break_the_excel_export(banyumas):
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    langkah.teks = "Rapat\x0bkoordinasi"
    langkah.save()
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    values = [c.value for row in book[DATA_SHEET].iter_rows() for c in row]
    assert "Rapatkoordinasi" in values


def test_conflicting_texts_for_one_number_are_refused(banyumas):
    twin = _empty_twin(banyumas)
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    sheet = book[DATA_SHEET]
    row = [c.value for c in sheet[2]]
    row[0] = row[0].rsplit(".", 1)[0] + ".2"  # a second step of the same indikator
    row[5] = "INDIKATOR DITULIS BEDA"
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    result = import_workbook(twin, out.getvalue())
    [invalid] = result.invalid_rows
    assert "berbeda dari baris 2" in " ".join(invalid.error_dict["indikator"])
    assert plan_rows(twin) == []


@pytest.mark.parametrize(("bulan", "kode"), [("²", "I.1.1.1"), ("1", "I.1.0.1")])
def test_odd_month_or_zero_number_is_a_row_error_not_a_crash(banyumas, bulan, kode):
    twin = _empty_twin(banyumas)
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    book[DATA_SHEET]["I2"].value = bulan
    book[DATA_SHEET]["A2"].value = kode
    out = io.BytesIO()
    book.save(out)
    result = import_workbook(twin, out.getvalue())
    assert not result.has_errors()
    assert [r.number for r in result.invalid_rows] == [1]


@pytest.mark.django_db
def test_team_printed_again_when_it_changes_within_a_komponen():
    rencana = RencanaAksiFactory(tahun=2024)
    komponen = KomponenFactory(area=AreaPerubahanFactory(rencana=rencana, nomor=1), nomor=1)
    alfa = TimKerjaFactory(satuan_kerja=rencana.satuan_kerja, nama="TIM ALFA")
    beta = TimKerjaFactory(satuan_kerja=rencana.satuan_kerja, nama="TIM BETA")
    LangkahAksiFactory(indikator=IndikatorFactory(komponen=komponen, urutan=1), tim=alfa)
    LangkahAksiFactory(indikator=IndikatorFactory(komponen=komponen, urutan=2), tim=beta)
    html = lampiran_html(rencana)
    assert "TIM ALFA" in html and "TIM BETA" in html
    sheet = load_workbook(io.BytesIO(workbook_bytes(rencana)))["Lampiran"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "TIM ALFA" in values and "TIM BETA" in values


def test_tugas_saya_for_a_member_of_teams_in_two_units(world):
    world.tim_lain.anggota.add(world.users["anggota"])
    response = world.client_for("anggota").get(reverse("tugas-saya"))
    units = [s["satuan_kerja_id"] for s in response.context["sections"]]
    assert sorted(units) == sorted([world.unit.pk, world.rencana_lain.satuan_kerja_id])


@pytest.mark.parametrize("param", ["tim", "area"])
def test_huge_numbers_in_list_filters_are_ignored(world, param):
    client = world.client_for("admin")
    url = reverse("daftar-slot", args=[world.rencana.pk])
    response = client.get(url, {"ukuran": "due", param: "9" * 25})
    assert response.status_code == 200
    unfiltered = client.get(url, {"ukuran": "due"}).context["slots"]
    # The filter is dropped, not applied: every due slot is listed.
    assert [s.pk for s in response.context["slots"]] == [s.pk for s in unfiltered]
    assert len(unfiltered) == world.today.month + 1


@pytest.mark.django_db
def test_many_decree_items_are_numbered_without_failing():
    unit = SatuanKerjaFactory()
    rencana = RencanaAksiFactory(
        satuan_kerja=unit,
        menimbang="\n".join(f"bahwa butir {n};" for n in range(1, 29)),
        diktum="\n".join(f"Diktum {n}." for n in range(1, 12)),
    )
    html = lampiran_html(rencana, keputusan=True)
    assert '<td class="num">ab.</td>' in html  # the 28th Menimbang item
    assert "KESEPULUH" in html and "KE-11" in html
