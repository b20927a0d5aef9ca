"""Who may do what: the one place where access is decided.

``Akses.of(user)`` reads a user's roles and teams once per request. Each object has one
helper that fetches it for a user: someone who may not see the object gets 404 (its
existence is not revealed), someone who may see it but not do the asked thing gets
``PermissionDenied`` (403). Every page, download and export goes through these helpers.

Roles (per satuan kerja):
- admin: everything in the unit (the ZI coordinator);
- pimpinan: reads everything in the unit, changes nothing;
- reviewer (TPI): reads everything in the unit, reviews every team's evidence;
- team member (no role row; membership of a TimKerja): reads the unit's plan and
  evidence, uploads and withdraws evidence for the steps of their own teams.
A superuser counts as admin of every unit. Nobody sees another unit's plan or files.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from actionplan.enums import Peran
from actionplan.models import LangkahAksi, PeranPengguna, RencanaAksi, SatuanKerja, TimKerja

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Akses:
    """A user's roles per unit, the units watched below them, and their teams."""

    def __init__(
        self,
        user_id: int | None,
        *,
        superuser: bool = False,
        roles: dict[int, frozenset[str]] | None = None,
        teams: dict[int, int] | None = None,
        has_below: bool = False,
        deep: bool = False,
    ) -> None:
        self.user_id = user_id
        self.superuser = superuser
        self.roles = roles or {}
        self.teams = teams or {}  # tim id -> satuan kerja id
        self._has_below = has_below  # some role's unit has a non-role unit below it
        self._deep = deep  # units more than two levels below a role's unit

    @cached_property
    def watched(self) -> frozenset[int]:
        """Units below those where the user is admin, pimpinan or reviewer: read-only.
        Read only when a check needs the set itself (one query; the nation's has a row
        per kabupaten/kota, which the roll-up, filtering by joins, never reads)."""
        if not self._has_below:
            return frozenset()
        rows = _below_rows(set(self.roles))
        below = {row[0] for row in rows} | {row[1] for row in rows}
        third = {row[2] for row in rows if row[2] is not None}
        # Units three or more levels below a role's unit: rare, one query per level.
        below |= third | _descendants(third) if third else set()
        below.discard(None)
        return frozenset(below - set(self.roles))

    @property
    def watches_any(self) -> bool:
        """Whether the user watches units below their own (the roll-up's audience),
        known without reading the set."""
        return self._has_below

    def watched_filter(self, field: str = "satuan_kerja") -> Q:
        """``field`` is a watched unit, as a join on the hierarchy rather than a list of
        hundreds of ids (the nation watches every unit: compiling that list was most of
        the national roll-up's time). An empty ``field`` filters SatuanKerja itself."""
        prefix = f"{field}__" if field else ""
        unit = field or "pk"
        if self._deep:
            return Q(**{f"{unit}__in": self.watched})
        mine = set(self.roles)
        return (Q(**{f"{prefix}induk__in": mine}) | Q(**{f"{prefix}induk__induk__in": mine})) & ~Q(
            **{f"{unit}__in": mine}
        )

    def watched_scope(self) -> str:
        """A short string that changes whenever the set of watched units can: the role
        units (the hierarchy below them is covered by the plans' revisions, which a
        moved unit raises), or the whole set for a deeper hierarchy."""
        if self.superuser:
            return "semua"
        units = sorted(self.watched) if self._deep else sorted(self.roles)
        return ("d" if self._deep else "r") + ",".join(map(str, units))

    @classmethod
    def of(cls, user: User | AnonymousUser) -> Akses:
        """The user's access, cached on the user object for the request: one query for
        the roles, the units up to three levels below them (the nation's provinces and
        their kabupaten/kota, and one level more) and the teams; more only for a deeper
        hierarchy."""
        cached = getattr(user, "_zi_akses", None)
        if cached is not None:
            return cached
        if not user.is_authenticated or not user.is_active:
            akses = cls(user_id=None)
        else:
            rows = _access_rows(user)
            roles: dict[int, set[str]] = defaultdict(set)
            for unit_id, peran, _, _, tim_id in rows:
                if tim_id is None:
                    roles[unit_id].add(peran)
            akses = cls(
                user_id=user.pk,
                superuser=user.is_superuser,
                roles={unit: frozenset(r) for unit, r in roles.items()},
                teams={row[4]: row[0] for row in rows if row[4] is not None},
                has_below=any(row[2] for row in rows),
                deep=any(row[3] for row in rows),
            )
        # Cached on the user object for the request; neither user class declares it.
        user._zi_akses = akses  # type: ignore[union-attr]
        return akses

    # --- units ---------------------------------------------------------------------------

    def readable_units(self) -> set[int] | None:
        """Ids of the units whose plan and evidence the user reads; None means all."""
        if self.superuser:
            return None
        return set(self.roles) | set(self.watched) | set(self.teams.values())

    def can_read_unit(self, unit_id: int) -> bool:
        return (
            self.superuser
            or unit_id in self.roles
            or unit_id in self.teams.values()
            or unit_id in self.watched
        )

    def has_role(self, unit_id: int, *peran: str) -> bool:
        return self.superuser or bool(self.roles.get(unit_id, frozenset()) & set(peran))

    def is_admin(self, unit_id: int) -> bool:
        return self.has_role(unit_id, Peran.ADMIN)

    def can_review(self, unit_id: int) -> bool:
        return self.has_role(unit_id, Peran.ADMIN, Peran.REVIEWER)

    def can_export(self, unit_id: int) -> bool:
        """The official documents (PDF, Excel) are for the admin and leadership."""
        return self.has_role(unit_id, Peran.ADMIN, Peran.PIMPINAN)

    def can_read_audit(self, unit_id: int) -> bool:
        return self.has_role(unit_id, Peran.ADMIN, Peran.PIMPINAN)

    def can_view_dashboard(self, unit_id: int) -> bool:
        return (
            self.has_role(unit_id, Peran.ADMIN, Peran.PIMPINAN, Peran.REVIEWER)
            or unit_id in self.watched
        )

    def units_with(self, *peran: str) -> set[int] | None:
        """Units where the user holds one of these roles; None means every unit."""
        if self.superuser:
            return None
        return {unit for unit, roles in self.roles.items() if roles & set(peran)}

    def review_units(self) -> set[int] | None:
        return self.units_with(Peran.ADMIN, Peran.REVIEWER)

    def audit_units(self) -> set[int] | None:
        return self.units_with(Peran.ADMIN, Peran.PIMPINAN)

    # --- steps ---------------------------------------------------------------------------

    def can_upload(self, langkah: LangkahAksi, unit_id: int) -> bool:
        """Members upload for their own teams' steps; the unit's admin for any step."""
        return self.is_admin(unit_id) or self.teams.get(langkah.tim_id) == unit_id

    @property
    def is_member(self) -> bool:
        return bool(self.teams)


def _access_rows(user: User) -> list[tuple]:
    """One query on every request: the user's roles, each with whether its unit has
    units below it and units three levels below it, and the user's teams (rows with a
    ``tim_id``): (unit, peran, has below, has three levels below, tim id).

    Written in SQL, the one access rule that is, because every request runs it: the same
    query built with the ORM (a union of two annotated querysets) took 2.3 ms per call
    against 0.1 ms for this text, measured on SQLite with the national data set of
    ``generate_demo_data --units 514`` (compiling, not running, is the difference)."""
    q = connection.ops.quote_name
    peran, satker = q(PeranPengguna._meta.db_table), q(SatuanKerja._meta.db_table)
    tim, anggota = q(TimKerja._meta.db_table), q(TimKerja.anggota.through._meta.db_table)
    unit, induk, pk = q("satuan_kerja_id"), q("induk_id"), q("id")
    sql = (
        f"SELECT r.{unit}, r.{q('peran')}, "
        # A unit below that is not itself one of the user's role units: exactly when
        # the watched set is not empty.
        f"EXISTS (SELECT 1 FROM {satker} c WHERE c.{induk} = r.{unit} AND c.{pk} NOT IN "
        f"(SELECT m.{unit} FROM {peran} m WHERE m.{q('user_id')} = %s)), "
        f"EXISTS (SELECT 1 FROM {satker} c JOIN {satker} g ON g.{induk} = c.{pk} "
        f"JOIN {satker} gg ON gg.{induk} = g.{pk} WHERE c.{induk} = r.{unit}), NULL "
        f"FROM {peran} r WHERE r.{q('user_id')} = %s "
        "UNION ALL "
        f"SELECT t.{unit}, '', FALSE, FALSE, t.{pk} FROM {tim} t "
        f"JOIN {anggota} a ON a.{q('timkerja_id')} = t.{pk} WHERE a.{q('user_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, user.pk])
        return cursor.fetchall()


def _below_rows(units: set[int]) -> list[tuple]:
    """The units one, two and three levels below these: (child, grandchild, great-
    grandchild), one row per path."""
    return list(
        SatuanKerja.objects.filter(induk__in=units)
        .values_list("pk", "sub_unit", "sub_unit__sub_unit")
        .order_by()
    )


def _descendants(units: set[int]) -> set[int]:
    """Every unit below these (one query per level of the hierarchy: national ->
    province -> kabupaten/kota)."""
    found: set[int] = set()
    frontier = set(units)
    while frontier:
        children = set(
            SatuanKerja.objects.filter(induk_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found - units
        found |= frontier
    return found


M = TypeVar("M", bound=Model)


def by_pk(queryset: QuerySet[M], pk: int) -> M | None:
    """The row with this primary key, or None. ``get`` rather than ``first()``: that
    would order by the model's ordering (the document order's joins) to pick one row,
    which cost more to compile than the whole lookup otherwise (~0.8 ms a page)."""
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist:
        return None


def unit_of_langkah(langkah: LangkahAksi) -> int:
    return langkah.rencana.satuan_kerja_id


def rencana_for_user(user: User | AnonymousUser, pk: int) -> RencanaAksi:
    rencana = by_pk(RencanaAksi.objects.select_related("satuan_kerja"), pk)
    if rencana is None or not Akses.of(user).can_read_unit(rencana.satuan_kerja_id):
        raise Http404("Rencana aksi tidak ditemukan.")
    return rencana


def rencana_dashboard_for_user(user: User | AnonymousUser, pk: int) -> RencanaAksi:
    """A plan whose progress dashboard the user may see (leadership, admin, reviewer)."""
    rencana = rencana_for_user(user, pk)
    if not Akses.of(user).can_view_dashboard(rencana.satuan_kerja_id):
        raise PermissionDenied("Dasbor kemajuan hanya untuk pimpinan, reviewer (TPI) dan admin.")
    return rencana


def rencana_export_for_user(user: User | AnonymousUser, pk: int) -> RencanaAksi:
    """A plan whose official documents the user may download (admin, pimpinan)."""
    rencana = rencana_for_user(user, pk)
    if not Akses.of(user).can_export(rencana.satuan_kerja_id):
        raise PermissionDenied("Dokumen resmi hanya dapat diunduh admin dan pimpinan.")
    return rencana


def rencana_admin_for_user(user: User | AnonymousUser, pk: int) -> RencanaAksi:
    """A plan the user administers (the unit's admin: the monev notes)."""
    rencana = rencana_for_user(user, pk)
    if not Akses.of(user).is_admin(rencana.satuan_kerja_id):
        raise PermissionDenied("Hanya admin satuan kerja yang dapat mengubah catatan monev.")
    return rencana


def default_plan(units: set[int] | None, today_year: int) -> RencanaAksi | None:
    """The plan a user lands on: this year's plan of their unit, else the latest one.
    None when they have no unit or the units have no plan (or several units: the list)."""
    if units is None or len(units) != 1:
        return None
    plans = RencanaAksi.objects.select_related("satuan_kerja").filter(satuan_kerja_id__in=units)
    return plans.filter(tahun=today_year).first() or plans.order_by("-tahun").first()


def langkah_for_user(
    user: User | AnonymousUser, pk: int, *, untuk_unggah: bool = False
) -> LangkahAksi:
    """A step the user may read; with ``untuk_unggah`` also one they may upload for."""
    langkah = by_pk(LangkahAksi.objects.with_plan(), pk)
    akses = Akses.of(user)
    if langkah is None or not akses.can_read_unit(unit_of_langkah(langkah)):
        raise Http404("Langkah aksi tidak ditemukan.")
    if untuk_unggah and not akses.can_upload(langkah, unit_of_langkah(langkah)):
        raise PermissionDenied(
            "Hanya anggota tim penanggung jawab langkah aksi ini yang dapat mengunggah bukti."
        )
    return langkah


# --- unit set-up (actionplan.pengaturan) -----------------------------------------------


def admin_units(akses: Akses) -> set[int] | None:
    """Units the user sets up: where they are admin, and every unit below those (a
    national or provincial admin creates, moves and staffs the units below); None
    means every unit (a superuser)."""
    mine = akses.units_with(Peran.ADMIN)
    if mine is None:
        return None
    return mine | _descendants(mine)


def can_set_up(akses: Akses, unit_id: int) -> bool:
    """The unit's own set-up (plan, teams, people): its admin, or a superuser."""
    return akses.is_admin(unit_id)


def can_manage_below(akses: Akses, unit_id: int) -> bool:
    """Units below ``unit_id`` (create, move, deactivate, name a coordinator): the
    admin of the unit or of a unit above it."""
    units = admin_units(akses)
    return units is None or unit_id in units


def can_give_role(akses: Akses, unit_id: int) -> bool:
    """Roles are given only within units the user sets up, never superuser or staff
    status (no page offers those; the Django admin stays the superusers')."""
    return can_set_up(akses, unit_id) or can_manage_below(akses, unit_id)


def unit_admin_for_user(user: User | AnonymousUser, slug: str) -> SatuanKerja:
    """An active unit whose set-up the user runs: 404 to who cannot read it, 403 to
    who reads it without being its admin."""
    unit = SatuanKerja.objects.filter(slug=slug, aktif=True).select_related("induk").first()
    akses = Akses.of(user)
    if unit is None or not akses.can_read_unit(unit.pk):
        raise Http404("Satuan kerja tidak ditemukan.")
    if not can_set_up(akses, unit.pk):
        raise PermissionDenied("Hanya admin satuan kerja yang dapat mengatur satuan kerja ini.")
    return unit


def units_below_admin_for_user(user: User | AnonymousUser, slug: str) -> SatuanKerja:
    """An active unit whose units below the user manages (its admin or an admin above)."""
    unit = SatuanKerja.objects.filter(slug=slug, aktif=True).select_related("induk").first()
    akses = Akses.of(user)
    if unit is None or not akses.can_read_unit(unit.pk):
        raise Http404("Satuan kerja tidak ditemukan.")
    if not can_manage_below(akses, unit.pk):
        raise PermissionDenied(
            "Hanya admin satuan kerja ini atau di atasnya yang dapat mengatur unit di bawahnya."
        )
    return unit


def rencana_editor_for_user(user: User | AnonymousUser, pk: int) -> RencanaAksi:
    """A plan whose rows and decree the user edits (the unit's admin)."""
    rencana = rencana_for_user(user, pk)
    if not can_set_up(Akses.of(user), rencana.satuan_kerja_id):
        raise PermissionDenied("Hanya admin satuan kerja yang dapat menyunting rencana aksi.")
    return rencana


def tim_admin_for_user(user: User | AnonymousUser, pk: int) -> TimKerja:
    """A team the user manages (name, members): the unit's admin."""
    tim = by_pk(TimKerja.objects.select_related("satuan_kerja"), pk)
    akses = Akses.of(user)
    if tim is None or not akses.can_read_unit(tim.satuan_kerja_id):
        raise Http404("Tim kerja tidak ditemukan.")
    if not can_set_up(akses, tim.satuan_kerja_id):
        raise PermissionDenied("Hanya admin satuan kerja yang dapat mengatur tim kerja.")
    return tim
