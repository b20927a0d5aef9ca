"""Reads of the set-up pages (each a fixed number of queries)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from actionplan.access import Akses, admin_units
from actionplan.models import (
    AreaPerubahan,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)
from actionplan.pengaturan.access import of_unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def units_set_up(akses: Akses) -> QuerySet[SatuanKerja]:
    """The active units the user sets up (admin of, or below one), by name."""
    units = admin_units(akses)
    qs = SatuanKerja.objects.filter(aktif=True).select_related("induk").order_by("nama")
    return qs if units is None else qs.filter(pk__in=units)


def plan_tree(rencana: RencanaAksi) -> list[AreaPerubahan]:
    """The plan as the editor shows it: areas, their komponen, indikator and steps (with
    team, months and bukti fisik), in the Lampiran's order. Six queries."""
    langkah = LangkahAksi.objects.select_related("tim").prefetch_related("jadwal", "bukti_fisik")
    return list(
        rencana.area.order_by("nomor").prefetch_related(
            "komponen__indikator",
            Prefetch("komponen__indikator__langkah_aksi", queryset=langkah),
        )
    )


def people_of_unit(unit: SatuanKerja) -> list[User]:
    """The unit's accounts with their roles and teams in this unit, NIP and WhatsApp
    (four queries): active first, by name."""
    return list(
        get_user_model()
        .objects.filter(of_unit(unit))
        .distinct()
        .select_related("pegawai", "profil_notifikasi")
        .prefetch_related(
            Prefetch(
                "peran_satker",
                queryset=PeranPengguna.objects.filter(satuan_kerja=unit),
                to_attr="peran_di_unit",
            ),
            Prefetch(
                "tim_kerja",
                queryset=TimKerja.objects.filter(satuan_kerja=unit),
                to_attr="tim_di_unit",
            ),
        )
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def teams_of_unit(unit: SatuanKerja) -> list[TimKerja]:
    """The unit's teams with their members (two queries)."""
    return list(
        TimKerja.objects.filter(satuan_kerja=unit).prefetch_related(
            Prefetch(
                "anggota", queryset=get_user_model().objects.order_by("first_name", "username")
            )
        )
    )
