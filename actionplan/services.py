"""Writes to the plan. Every change of a step's schedule goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from actionplan import revisions
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    RencanaAksi,
    Slot,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@transaction.atomic
def langkah_aksi_set_bulan(*, langkah: LangkahAksi, bulan: Iterable[int]) -> list[int]:
    """Make the step's schedule exactly ``bulan`` (months 1-12), adding and removing
    slots as needed; months already scheduled keep their slot (and what hangs on it)."""
    wanted = set(bulan)
    invalid = sorted(b for b in wanted if not 1 <= b <= 12)
    if invalid:
        raise ValidationError(
            f"Bulan pelaksanaan harus 1 sampai 12; tidak valid: {', '.join(map(str, invalid))}."
        )
    current = set(langkah.jadwal.values_list("bulan", flat=True))
    if wanted == current:
        return sorted(wanted)
    with transaction.atomic():
        # First, so this plan's row is locked before its slots (as evidence services do).
        revisions.bump(area__komponen__indikator=langkah.indikator_id)
        if removed := current - wanted:
            langkah.jadwal.filter(bulan__in=removed).delete()
        Slot.objects.bulk_create(
            [Slot(langkah_aksi=langkah, bulan=b) for b in sorted(wanted - current)]
        )
    return sorted(wanted)


class RencanaSudahAda(Exception):
    pass


@transaction.atomic
def rencana_salin_ke_tahun(
    *, rencana: RencanaAksi, tahun: int, oleh: User | AnonymousUser | None = None
) -> RencanaAksi:
    """Next year's plan from this one: the decree data (the year in its texts moved on),
    areas, komponen, indikator, steps with their teams, bukti fisik and months. No
    evidence is copied. Refused when the unit already has a plan for that year."""
    if RencanaAksi.objects.filter(satuan_kerja_id=rencana.satuan_kerja_id, tahun=tahun).exists():
        raise RencanaSudahAda(f"{rencana.satuan_kerja} sudah memiliki rencana aksi tahun {tahun}.")
    old, new = str(rencana.tahun), str(tahun)
    copy = RencanaAksi.objects.get(pk=rencana.pk)
    copy.pk = None
    copy.tahun = tahun
    for name in ("judul", "judul_tabel", "menimbang", "menetapkan", "diktum"):
        setattr(copy, name, getattr(rencana, name).replace(old, new))
    copy.tanggal_penetapan = copy.tanggal_penetapan.replace(year=tahun)
    copy.full_clean()
    copy.save()
    steps = list(
        LangkahAksi.objects.of_plan(rencana)
        .in_document_order()
        .select_related("indikator__komponen__area")
    )
    areas: dict[int, AreaPerubahan] = {}
    komponen_map: dict[int, Komponen] = {}
    indikator_map: dict[int, Indikator] = {}
    for area in rencana.area.all():
        areas[area.pk] = AreaPerubahan.objects.create(
            rencana=copy, nomor=area.nomor, nama=area.nama, nama_singkat=area.nama_singkat
        )
    for langkah in steps:
        komponen = langkah.indikator.komponen
        if komponen.pk not in komponen_map:
            komponen_map[komponen.pk] = Komponen.objects.create(
                area=areas[komponen.area_id], nomor=komponen.nomor, nama=komponen.nama
            )
        indikator = langkah.indikator
        if indikator.pk not in indikator_map:
            indikator_map[indikator.pk] = Indikator.objects.create(
                komponen=komponen_map[komponen.pk], urutan=indikator.urutan, teks=indikator.teks
            )
        new_langkah = LangkahAksi.objects.create(
            indikator=indikator_map[indikator.pk],
            urutan=langkah.urutan,
            teks=langkah.teks,
            tim_id=langkah.tim_id,
        )
        BuktiFisik.objects.bulk_create(
            BuktiFisik(langkah_aksi=new_langkah, urutan=b.urutan, teks=b.teks)
            for b in langkah.bukti_fisik.all()
        )
        Slot.objects.bulk_create(Slot(langkah_aksi=new_langkah, bulan=b) for b in langkah.bulan)
    # Komponen and indikator without steps are part of the structure too.
    for komponen in Komponen.objects.filter(area__rencana=rencana).exclude(pk__in=komponen_map):
        komponen_map[komponen.pk] = Komponen.objects.create(
            area=areas[komponen.area_id], nomor=komponen.nomor, nama=komponen.nama
        )
    for indikator in Indikator.objects.filter(komponen__area__rencana=rencana).exclude(
        pk__in=indikator_map
    ):
        Indikator.objects.create(
            komponen=komponen_map[indikator.komponen_id],
            urutan=indikator.urutan,
            teks=indikator.teks,
        )
    from actionplan.audit import audit_record
    from actionplan.enums import AksiAudit

    audit_record(
        aksi=AksiAudit.RENCANA_DITAMBAH,
        objek=copy,
        ringkasan=f"Disalin dari rencana aksi {rencana.tahun}: {len(steps)} langkah aksi",
        aktor=oleh,
        satuan_kerja_id=rencana.satuan_kerja_id,
    )
    return copy
