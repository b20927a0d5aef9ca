"""Rules the database itself enforces, whatever code writes the rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from actionplan.models import AreaPerubahan, BuktiFisik, Komponen, RencanaAksi, Slot
from actionplan.services import langkah_aksi_set_bulan
from tests.factories import (
    AreaPerubahanFactory,
    IndikatorFactory,
    KomponenFactory,
    LangkahAksiFactory,
    RencanaAksiFactory,
    TimKerjaFactory,
)

pytestmark = pytest.mark.django_db


def _integrity_error(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("bulan", [0, 13])
def test_slot_month_outside_1_12_rejected_by_database(bulan):
    langkah = LangkahAksiFactory()
    _integrity_error(lambda: Slot.objects.create(langkah_aksi=langkah, bulan=bulan))
    assert Slot.objects.filter(langkah_aksi=langkah).count() == 0


def test_slot_month_twice_rejected_by_database():
    langkah = LangkahAksiFactory(bulan=[3])
    _integrity_error(lambda: Slot.objects.create(langkah_aksi=langkah, bulan=3))
    assert langkah.bulan == [3]


def test_duplicate_komponen_number_in_area_rejected():
    komponen = KomponenFactory(nomor=1)
    _integrity_error(lambda: Komponen.objects.create(area=komponen.area, nomor=1, nama="Lain"))


def test_same_komponen_number_in_other_area_allowed():
    komponen = KomponenFactory(nomor=1)
    other_area = AreaPerubahanFactory(rencana=komponen.area.rencana, nomor=2)
    assert Komponen.objects.create(area=other_area, nomor=1).nomor == 1


def test_duplicate_indikator_and_langkah_numbering_rejected():
    langkah = LangkahAksiFactory(urutan=1)
    indikator = langkah.indikator
    _integrity_error(lambda: IndikatorFactory(komponen=indikator.komponen, urutan=indikator.urutan))
    _integrity_error(lambda: LangkahAksiFactory(indikator=indikator, urutan=1, tim=langkah.tim))


def test_duplicate_bukti_fisik_numbering_rejected():
    langkah = LangkahAksiFactory(bukti=["Satu"])
    _integrity_error(lambda: BuktiFisik.objects.create(langkah_aksi=langkah, urutan=1, teks="Dua"))


@pytest.mark.parametrize("nomor", [0, 7])
def test_area_number_outside_I_VI_rejected(nomor):
    rencana = RencanaAksiFactory()
    _integrity_error(lambda: AreaPerubahan.objects.create(rencana=rencana, nomor=nomor, nama="X"))


def test_duplicate_area_number_rejected():
    area = AreaPerubahanFactory(nomor=1)
    _integrity_error(lambda: AreaPerubahan.objects.create(rencana=area.rencana, nomor=1, nama="X"))


def test_one_plan_per_unit_and_year():
    rencana = RencanaAksiFactory(tahun=2024)
    _integrity_error(lambda: RencanaAksiFactory(satuan_kerja=rencana.satuan_kerja, tahun=2024))
    assert RencanaAksiFactory(satuan_kerja=rencana.satuan_kerja, tahun=2025).tahun == 2025


def test_empty_indikator_text_rejected():
    komponen = KomponenFactory()
    _integrity_error(lambda: IndikatorFactory(komponen=komponen, teks=""))


def test_plan_rows_are_not_deleted_by_cascade():
    langkah = LangkahAksiFactory(bulan=[1])
    komponen = langkah.indikator.komponen
    for parent in (langkah.indikator, komponen, komponen.area, komponen.area.rencana):
        with pytest.raises(ProtectedError):
            parent.delete()
    with pytest.raises(ProtectedError):
        langkah.tim.delete()
    with pytest.raises(ProtectedError):
        komponen.area.rencana.satuan_kerja.delete()
    assert RencanaAksi.objects.filter(pk=komponen.area.rencana_id).count() == 1
    assert Slot.objects.filter(langkah_aksi=langkah).count() == 1


def test_step_team_must_belong_to_the_plans_unit():
    langkah = LangkahAksiFactory()
    langkah.tim = TimKerjaFactory()  # another unit's team
    with pytest.raises(ValidationError) as exc:
        langkah.full_clean()
    assert exc.value.message_dict["tim"] == [
        "Tim penanggung jawab harus dari satuan kerja pemilik rencana aksi."
    ]


def test_set_bulan_adds_and_removes_slots_keeping_the_rest():
    langkah = LangkahAksiFactory(bulan=[1, 2])
    kept = Slot.objects.get(langkah_aksi=langkah, bulan=2)
    assert langkah_aksi_set_bulan(langkah=langkah, bulan=[2, 5, 12]) == [2, 5, 12]
    assert list(langkah.jadwal.values_list("bulan", flat=True)) == [2, 5, 12]
    assert Slot.objects.get(langkah_aksi=langkah, bulan=2).pk == kept.pk


@pytest.mark.parametrize("bulan", [[0], [13], [1, 14]])
def test_set_bulan_refuses_months_outside_1_12(bulan):
    langkah = LangkahAksiFactory(bulan=[4])
    with pytest.raises(ValidationError) as exc:
        langkah_aksi_set_bulan(langkah=langkah, bulan=bulan)
    # Each case has one month outside 1-12, its last.
    assert exc.value.messages == [f"Bulan pelaksanaan harus 1 sampai 12; tidak valid: {bulan[-1]}."]
    assert langkah.bulan == [4]
