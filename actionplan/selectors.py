"""Reads of the plan that pages, exports and commands repeat."""

from __future__ import annotations

from collections.abc import Iterable

from actionplan.models import LangkahAksi, RencanaAksi


def rencana_get(*, unit_slug: str, tahun: int) -> RencanaAksi:
    """The plan of a unit and year; raises ``RencanaAksi.DoesNotExist``."""
    return RencanaAksi.objects.select_related("satuan_kerja").get(
        satuan_kerja__slug=unit_slug, tahun=tahun
    )


def langkah_aksi_of_plan(rencana: RencanaAksi) -> list[LangkahAksi]:
    """Every step of the plan in the Lampiran's order, with its indikator, komponen, area,
    team, months and bukti fisik loaded (three queries whatever the plan's size)."""
    return list(LangkahAksi.objects.of_plan(rencana).in_document_order())


def plan_rows(rencana: RencanaAksi) -> list[dict]:
    """The plan as flat rows in document order, one per langkah aksi."""
    rows = []
    for langkah in langkah_aksi_of_plan(rencana):
        indikator = langkah.indikator
        komponen = indikator.komponen
        area = komponen.area
        rows.append(
            {
                "area": area.romawi,
                "area_name": area.nama,
                "komponen_no": komponen.nomor,
                "komponen": komponen.nama,
                "indikator": indikator.teks,
                "langkah_aksi": langkah.teks,
                "bukti_fisik": langkah.bukti_fisik_teks,
                "months": langkah.bulan,
                "tim": langkah.tim.nama,
            }
        )
    return rows


def lampiran_rows(rencana: RencanaAksi, steps: Iterable[LangkahAksi] | None = None) -> list[dict]:
    """Rows for a Lampiran-shaped table: each step with the area and komponen cells set
    only on the first row of their group (as the decree prints them). ``steps``: the
    plan's steps in document order with what the table shows loaded, if not all of it
    (``langkah_aksi_of_plan``)."""
    rows = []
    last_area = last_komponen = last_tim = None
    for langkah in langkah_aksi_of_plan(rencana) if steps is None else steps:
        komponen = langkah.indikator.komponen
        area = komponen.area
        new_komponen = komponen.pk != last_komponen
        rows.append(
            {
                "area": area if area.pk != last_area else None,
                "komponen": komponen if new_komponen else None,
                "langkah": langkah,
                # The team is printed once per group, and again whenever it changes.
                "tim": langkah.tim if new_komponen or langkah.tim_id != last_tim else None,
            }
        )
        last_area, last_komponen, last_tim = area.pk, komponen.pk, langkah.tim_id
    return rows
