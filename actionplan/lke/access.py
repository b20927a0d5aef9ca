"""Who may do what with the LKE, on top of ``actionplan.access.Akses`` (the one place
where roles are read). One helper per object: 404 to someone who may not see the unit,
``PermissionDenied`` to someone who may see but not do the asked thing.

- read an assessment: whoever reads the unit (its members answer their areas);
- answer (the unit's side): the unit's admin, any question; a team member, the
  questions of the LKE areas their teams answer (``PemetaanArea``, by default the teams
  owning steps in the same area of the year's plan); only while it is a draft;
- evaluate (the TPI's side, finish, finalise, reopen after submission): a reviewer of
  the unit or of a unit above it (two levels: the province's TPI for a kabupaten);
- submit, reopen a submitted draft, surveys, who answers which area, deadlines, links
  from steps to questions: the unit's admin;
- documents (Excel, PDF) and the import: admin, pimpinan and the TPI;
- thresholds: a superuser, or the admin of a top unit with units below (national).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplan.access import Akses
from actionplan.enums import Peran
from actionplan.lke.enums import TRANSISI, StatusPenilaian
from actionplan.lke.models import PemetaanArea, PenilaianLke
from actionplan.models import LangkahAksi, SatuanKerja

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def unit_for_user(user: AnyUser, slug: str) -> SatuanKerja:
    """A unit whose LKE the user may read."""
    unit = SatuanKerja.objects.filter(slug=slug).select_related("induk").first()
    if unit is None or not Akses.of(user).can_read_unit(unit.pk):
        raise Http404("Satuan kerja tidak ditemukan.")
    return unit


def can_evaluate(user: AnyUser, unit: SatuanKerja) -> bool:
    """The TPI of this unit: its reviewer, or a reviewer of the unit one or two levels
    above it. ``unit.induk`` must be loaded (``unit_for_user`` does)."""
    akses = Akses.of(user)
    if akses.has_role(unit.pk, Peran.REVIEWER):
        return True
    above = [unit.induk_id, unit.induk.induk_id if unit.induk_id and unit.induk else None]
    return any(u is not None and akses.has_role(u, Peran.REVIEWER) for u in above)


def can_export(user: AnyUser, unit: SatuanKerja) -> bool:
    return Akses.of(user).can_export(unit.pk) or can_evaluate(user, unit)


def areas_answered_by(user: AnyUser, penilaian: PenilaianLke) -> set[int]:
    """The LKE areas (1-6) whose questions the user may answer on the unit's side,
    whatever the state (the admin: all six)."""
    akses = Akses.of(user)
    unit_id = penilaian.satuan_kerja_id
    if akses.is_admin(unit_id):
        return set(range(1, 7))
    teams = {tim for tim, unit in akses.teams.items() if unit == unit_id}
    if not teams:
        return set()
    return {area for area, tims in team_areas(penilaian).items() if tims & teams}


def team_areas(penilaian: PenilaianLke) -> dict[int, set[int]]:
    """LKE area -> the teams that answer it: the assessment's own choice where the admin
    made one, else the teams owning steps in the same area of the unit's plan of the
    year (or its latest plan before it). Two queries."""
    chosen: dict[int, set[int]] = {}
    for area, tim in PemetaanArea.objects.filter(penilaian=penilaian).values_list("area", "tim"):
        chosen.setdefault(area, set()).add(tim)
    default: dict[int, set[int]] = {}
    if len(chosen) < 6:
        plans = LangkahAksi.objects.filter(
            indikator__komponen__area__rencana__satuan_kerja_id=penilaian.satuan_kerja_id,
            indikator__komponen__area__rencana__tahun__lte=penilaian.tahun,
            tim__isnull=False,
        ).values_list(
            "indikator__komponen__area__rencana__tahun", "indikator__komponen__area__nomor", "tim"
        )
        rows = list(plans)
        latest = max((row[0] for row in rows), default=None)
        for tahun, area, tim in rows:
            if tahun == latest:
                default.setdefault(area, set()).add(tim)
    return {area: chosen.get(area, default.get(area, set())) for area in range(1, 7)}


def penilaian_for_user(user: AnyUser, penilaian: PenilaianLke) -> PenilaianLke:
    """Check read access to an assessment already fetched (its unit loaded)."""
    if not Akses.of(user).can_read_unit(penilaian.satuan_kerja_id):
        raise Http404("Penilaian LKE tidak ditemukan.")
    return penilaian


def require_admin(user: AnyUser, penilaian: PenilaianLke, what: str) -> None:
    if not Akses.of(user).is_admin(penilaian.satuan_kerja_id):
        raise PermissionDenied(f"Hanya admin satuan kerja yang dapat {what}.")


def require_tpi(user: AnyUser, penilaian: PenilaianLke, what: str) -> None:
    if not can_evaluate(user, penilaian.satuan_kerja):
        raise PermissionDenied(f"Hanya TPI (reviewer) yang dapat {what}.")


def require_answer(user: AnyUser, penilaian: PenilaianLke, area: int | None) -> None:
    """May write the unit's side of a question in ``area`` (None: a Hasil question,
    the admin's)."""
    allowed = areas_answered_by(user, penilaian)
    if area is None:
        allowed_here = Akses.of(user).is_admin(penilaian.satuan_kerja_id)
    else:
        allowed_here = area in allowed
    if not allowed_here:
        raise PermissionDenied("Soal ini dijawab oleh admin atau tim yang ditugasi area LKE-nya.")


def require_export(user: AnyUser, penilaian: PenilaianLke) -> None:
    if not can_export(user, penilaian.satuan_kerja):
        raise PermissionDenied("Dokumen LKE hanya untuk admin, pimpinan dan TPI.")


def require_transition(user: AnyUser, penilaian: PenilaianLke, ke: str) -> None:
    """Who may move the assessment from its state to ``ke``."""
    rule = TRANSISI.get((penilaian.status, ke))
    if rule is None:
        return  # the service refuses the move itself, with its message
    if rule[1] == "admin":
        is_tpi_reopen = penilaian.status == StatusPenilaian.DIAJUKAN and can_evaluate(
            user, penilaian.satuan_kerja
        )
        if not (Akses.of(user).is_admin(penilaian.satuan_kerja_id) or is_tpi_reopen):
            raise PermissionDenied("Hanya admin satuan kerja yang dapat mengajukan penilaian.")
    else:
        require_tpi(user, penilaian, "mengubah status evaluasi")


def can_set_thresholds(user: AnyUser) -> bool:
    """A superuser, or the admin of a top unit that has units below it (national)."""
    akses = Akses.of(user)
    if akses.superuser:
        return True
    admin_units = akses.units_with(Peran.ADMIN) or set()
    return SatuanKerja.objects.filter(
        pk__in=admin_units, induk__isnull=True, sub_unit__isnull=False
    ).exists()
