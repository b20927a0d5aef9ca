"""Writes to the plan. Every change of a step's schedule goes through here."""

from __future__ import annotations

import datetime
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
    SatuanKerja,
    Slot,
    TimKerja,
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


def rencana_salin_ke_tahun(
    *, rencana: RencanaAksi, tahun: int, oleh: User | AnonymousUser | None = None
) -> RencanaAksi:
    """Next year's plan from this one (see ``rencana_salin``), in the same unit."""
    return rencana_salin(rencana=rencana, satuan_kerja=rencana.satuan_kerja, tahun=tahun, oleh=oleh)


@transaction.atomic
def rencana_salin(
    *,
    rencana: RencanaAksi,
    satuan_kerja: SatuanKerja,
    tahun: int,
    oleh: User | AnonymousUser | None = None,
) -> RencanaAksi:
    """A plan for ``satuan_kerja`` and ``tahun`` from this one: the decree data (the year
    in its texts moved on), areas, komponen, indikator, steps, bukti fisik and months.
    Steps keep their team in the same unit; copied to another unit (a national template
    taken by a kabupaten) each team becomes the unit's team of the same name, created when
    the unit has none. No evidence is copied; the copy is not fixed (``ditetapkan``).
    Refused when the unit already has a plan for that year."""
    if RencanaAksi.objects.filter(satuan_kerja=satuan_kerja, tahun=tahun).exists():
        raise RencanaSudahAda(f"{satuan_kerja} sudah memiliki rencana aksi tahun {tahun}.")
    old, new = str(rencana.tahun), str(tahun)
    copy = RencanaAksi.objects.get(pk=rencana.pk)
    copy.pk = None
    copy.satuan_kerja = satuan_kerja
    copy.tahun = tahun
    copy.ditetapkan = False
    copy.revisi = copy.revisi_rencana = 0
    for name in ("judul", "judul_tabel", "menimbang", "menetapkan", "diktum"):
        setattr(copy, name, getattr(rencana, name).replace(old, new))
    if satuan_kerja.pk != rencana.satuan_kerja_id:
        # A template taken by a unit below: its texts name the new unit, not the template's.
        source = rencana.satuan_kerja.nama
        for name in (
            "judul",
            "judul_tabel",
            "instansi_penetap",
            "menimbang",
            "menetapkan",
            "diktum",
        ):
            text = getattr(copy, name).replace(source.upper(), satuan_kerja.nama.upper())
            setattr(copy, name, text.replace(source, satuan_kerja.nama))
    copy.tanggal_penetapan = copy.tanggal_penetapan.replace(year=tahun)
    copy.full_clean()
    copy.save()
    steps = list(
        LangkahAksi.objects.of_plan(rencana)
        .in_document_order()
        .select_related("indikator__komponen__area")
    )
    teams: dict[int, int] = {}
    if satuan_kerja.pk != rencana.satuan_kerja_id:
        own = {t.nama: t.pk for t in TimKerja.objects.filter(satuan_kerja=satuan_kerja)}
        for tim in {langkah.tim for langkah in steps}:
            if tim.nama not in own:
                own[tim.nama] = TimKerja.objects.create(
                    satuan_kerja=satuan_kerja, nama=tim.nama, urutan=tim.urutan
                ).pk
            teams[tim.pk] = own[tim.nama]
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
            tim_id=teams.get(langkah.tim_id, langkah.tim_id),
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
        ringkasan=f"Disalin dari rencana aksi {rencana.satuan_kerja} {rencana.tahun}: "
        f"{len(steps)} langkah aksi",
        aktor=oleh,
        satuan_kerja_id=satuan_kerja.pk,
    )
    return copy


@transaction.atomic
def rencana_tetapkan(
    *, rencana: RencanaAksi, nomor: str, tanggal: datetime.date, oleh: User | AnonymousUser | None
) -> RencanaAksi:
    """Mark the plan fixed: its decree was signed with this number and date. Later
    changes stay possible and are audited as changes after signing."""
    from actionplan.audit import audit_record
    from actionplan.enums import AksiAudit

    nomor = nomor.strip()
    if not nomor:
        raise ValidationError("Nomor keputusan wajib diisi.")
    if tanggal.year not in (rencana.tahun - 1, rencana.tahun):
        raise ValidationError(
            f"Tanggal penetapan harus pada tahun {rencana.tahun - 1} atau {rencana.tahun}."
        )
    rencana = RencanaAksi.objects.select_for_update().get(pk=rencana.pk)
    if rencana.ditetapkan:
        raise ValidationError("Rencana aksi ini sudah ditetapkan.")
    rencana.nomor_keputusan, rencana.tanggal_penetapan = nomor, tanggal
    rencana.ditetapkan = True
    rencana.full_clean()
    rencana.save(update_fields=["nomor_keputusan", "tanggal_penetapan", "ditetapkan"])
    revisions.bump(pk=rencana.pk)
    audit_record(
        aksi=AksiAudit.RENCANA_DITETAPKAN,
        objek=rencana,
        ringkasan=f"Ditetapkan: keputusan {rencana.nomor_lengkap}, tanggal {tanggal:%d-%m-%Y}",
        aktor=oleh,
        satuan_kerja_id=rencana.satuan_kerja_id,
    )
    return rencana
