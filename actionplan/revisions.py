"""A plan's two revisions, raised in the same transaction as the change they stand for,
so that anything cached under them is never stale:

- ``revisi`` moves with everything a dashboard or roll-up row shows: the plan's rows,
  teams, unit, and its evidence (uploads, reviews, withdrawals);
- ``revisi_rencana`` moves only with what the printed decree and Lampiran show: the
  plan's own fields and rows, not its evidence. The cached PDFs key on it, so an upload
  does not throw away the Lampiran.

Who raises them:
- changes of the plan's rows (any write path: services, admin, imports, fixtures) through
  the model signals below, which hang on the models, not on the callers;
- evidence through its services, which lock the slot's plan row with
  ``raise_for_evidence`` before anything else (the one write path for evidence: the admin
  shows it read-only); evidence entered with a past time raises ``revisi_rencana`` too,
  since the dashboard's trend of ended months is cached under it; a message in a month's
  thread raises ``revisi`` as well (the step page is cached under it);
- the schedule service itself, since its ``bulk_create`` sends no signal.
Bulk creation elsewhere only builds new plans (the data generator, the year rollover),
whose revisions no cache has seen. A row moved to another parent raises both plans.

A revision is the larger of "one more" and the current time in microseconds, so it only
ever grows, even after a fixture reloads a plan with its revision reset to 0.

An upload, a review or a withdrawal raises its plan once (the service's lock), however
many rows it writes. A page of the admin saving many rows of a plan raises it once per
row: an UPDATE of one row the transaction already holds, so not worth more machinery.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from django.db import connection, models
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from actionplan import models as m
from actionplan.sqltext import column, table

_PLAN_PATH = {
    # model: (lookup from RencanaAksi, attribute of the instance holding its parent's id)
    m.RencanaAksi: ("pk", "pk"),
    m.AreaPerubahan: ("pk", "rencana_id"),
    m.Komponen: ("area", "area_id"),
    m.Indikator: ("area__komponen", "komponen_id"),
    m.LangkahAksi: ("area__komponen__indikator", "indikator_id"),
    m.BuktiFisik: ("area__komponen__indikator__langkah_aksi", "langkah_aksi_id"),
    m.Slot: ("area__komponen__indikator__langkah_aksi", "langkah_aksi_id"),
    m.TimKerja: ("satuan_kerja", "satuan_kerja_id"),
}


_paused = threading.local()


@contextmanager
def paused() -> Iterator[None]:
    """No bumps inside (a restore loads a whole database row by row); the caller raises
    every plan's revision once afterwards with ``bump()``."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def _now_us() -> Value:
    """The time in microseconds: a revision raised to at least this is new even after a
    restore brought back older values."""
    # Typed as bigint: with PostgreSQL server-side binding Django sends an untyped integer
    # Value as int4, and PostgreSQL silently wrapped the microseconds (measured: GREATEST
    # returned revisi + 1 every time).
    return Value(_microseconds(), output_field=BigIntegerField())


def _microseconds() -> int:
    return time.time_ns() // 1000


def bump(*, evidence_only: bool = False, **lookup: object) -> int:
    """Raise the revisions of the plans matching ``lookup`` (``revisi_rencana`` too
    unless only evidence changed); returns how many plans."""
    if getattr(_paused, "on", False):
        return 0
    now_us = _now_us()
    changes = {"revisi": Greatest(F("revisi") + 1, now_us)}
    if not evidence_only:
        changes["revisi_rencana"] = Greatest(F("revisi_rencana") + 1, now_us)
    return m.RencanaAksi.objects.filter(**lookup).update(**changes)


def raise_for_evidence(slot_id: int, *, backdated: bool = False) -> int:
    """The evidence of this slot changes: raise its plan's ``revisi``, its step's and its
    own ``revisi_bukti`` (and lock the plan row until the transaction ends, then the
    step's and the slot's, the order every writer keeps). Returns 1, or 0 when the slot
    no longer exists.
    Evidence entered afterwards with a past time (``backdated``) rewrites the months
    already ended, whose trend is cached under ``revisi_rencana``: it raises both.

    Written in SQL because every upload, review, withdrawal and message runs it: the
    same three UPDATEs through the ORM (the plan's reached through four joins) cost
    1.25 ms of CPU per call, nearly all of it compiling them (PostgreSQL, national data
    set of ``generate_demo_data --units 514``)."""
    sql = _evidence_sql(connection.vendor)
    now_us = _microseconds()
    with connection.cursor() as cursor:
        # The plan's row, then the step's, then the slot's: every writer locks the plan
        # first (a change of the plan's rows raises it before it writes them, see
        # _lock_plan_first).
        if not getattr(_paused, "on", False):
            if backdated:
                cursor.execute(sql.plan_backdated, [now_us, now_us, slot_id])
            else:
                cursor.execute(sql.plan, [now_us, slot_id])
        cursor.execute(sql.step, [now_us, slot_id])
        # The month's own revision: the step page keeps each month cached under it, so a
        # change re-renders this month only. The UPDATE locks the slot's row; 0 rows: the
        # slot is gone.
        cursor.execute(sql.slot, [now_us, slot_id])
        return cursor.rowcount


class _EvidenceSql(NamedTuple):
    plan: str
    plan_backdated: str
    step: str
    slot: str


@functools.cache
def _evidence_sql(vendor: str) -> _EvidenceSql:
    """The statements of ``raise_for_evidence`` for this database: each revision set to
    the larger of one more and the time in microseconds (typed as bigint, see
    ``_now_us``)."""
    greatest = "MAX" if vendor == "sqlite" else "GREATEST"

    def raised(name: str) -> str:
        q = connection.ops.quote_name(name)
        return f"{q} = {greatest}({q} + 1, CAST(%s AS BIGINT))"

    # The slot's plan, through its step, indicator, component and area.
    plan_of_slot = (
        f"SELECT a.{column(m.AreaPerubahan, 'rencana')} FROM {table(m.Slot)} s "
        f"JOIN {table(m.LangkahAksi)} l "
        f"ON l.{column(m.LangkahAksi)} = s.{column(m.Slot, 'langkah_aksi')} "
        f"JOIN {table(m.Indikator)} i "
        f"ON i.{column(m.Indikator)} = l.{column(m.LangkahAksi, 'indikator')} "
        f"JOIN {table(m.Komponen)} k "
        f"ON k.{column(m.Komponen)} = i.{column(m.Indikator, 'komponen')} "
        f"JOIN {table(m.AreaPerubahan)} a "
        f"ON a.{column(m.AreaPerubahan)} = k.{column(m.Komponen, 'area')} "
        f"WHERE s.{column(m.Slot)} = %s"
    )
    plan = (
        f"UPDATE {table(m.RencanaAksi)} SET {{}} WHERE {column(m.RencanaAksi)} = ({plan_of_slot})"
    )
    step_of_slot = (
        f"SELECT {column(m.Slot, 'langkah_aksi')} FROM {table(m.Slot)} WHERE {column(m.Slot)} = %s"
    )
    return _EvidenceSql(
        plan=plan.format(raised("revisi")),
        plan_backdated=plan.format(f"{raised('revisi')}, {raised('revisi_rencana')}"),
        step=(
            f"UPDATE {table(m.LangkahAksi)} SET {raised('revisi_bukti')} "
            f"WHERE {column(m.LangkahAksi)} = ({step_of_slot})"
        ),
        slot=(f"UPDATE {table(m.Slot)} SET {raised('revisi_bukti')} WHERE {column(m.Slot)} = %s"),
    )


def _remember_parent(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """Before a row is saved: its parent as stored, so that moving it to another parent
    (the admin allows it) raises the old parent's plan too; and the plan raised (its row
    locked) before the row is written, the order the evidence services keep (plan, step,
    slot), so the two cannot deadlock. The post_save raises it once more: outside a
    transaction, a page computed between the two writes would otherwise be cached under
    the new revision with the old row."""
    lookup, attribute = _PLAN_PATH[sender]
    if attribute == "pk" or instance.pk is None or instance._state.adding:
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list(attribute, flat=True).first()
    # Kept on the instance until its post_save; no model declares the attribute.
    instance._zi_old_parent = old  # type: ignore[attr-defined]
    _lock_plan_first(lookup, {old, getattr(instance, attribute)})


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A row about to be deleted: its plan raised (locked) first, as ``_remember_parent``."""
    lookup, attribute = _PLAN_PATH[sender]
    if attribute != "pk":
        _lock_plan_first(lookup, {getattr(instance, attribute)})


def _lock_plan_first(lookup: str, parents: set[Any]) -> None:
    found = sorted(p for p in parents if p is not None)
    if found:
        in_parents: dict[str, Any] = {f"{lookup}__in": found}
        bump(**in_parents)


def _structure_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    lookup, attribute = _PLAN_PATH[sender]
    parent = getattr(instance, attribute)
    old = getattr(instance, "_zi_old_parent", None)
    parents = {p for p in (parent, old) if p is not None}
    if parents:
        in_parents: dict[str, Any] = {f"{lookup}__in": sorted(parents)}
        bump(**in_parents)


def _unit_changed(sender: type[m.SatuanKerja], instance: m.SatuanKerja, **kwargs: Any) -> None:
    # A unit's name shows on its plans' roll-up rows, and on its sub-units' as the parent.
    bump(evidence_only=True, satuan_kerja=instance.pk)
    bump(evidence_only=True, satuan_kerja__induk=instance.pk)


def connect() -> None:
    for model in _PLAN_PATH:
        pre_save.connect(_remember_parent, sender=model, dispatch_uid=f"revisi-p-{model}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"revisi-pd-{model}")
        post_save.connect(_structure_changed, sender=model, dispatch_uid=f"revisi-{model}")
        post_delete.connect(_structure_changed, sender=model, dispatch_uid=f"revisi-d-{model}")
    post_save.connect(_unit_changed, sender=m.SatuanKerja, dispatch_uid="revisi-satker")


def digest(units: set[int] | None) -> str:
    """What moves with any change of the plans of these units (all units for None): their
    number and the sum of their revisions (each change raises one by at least one)."""
    plans = m.RencanaAksi.objects.all()
    if units is not None:
        plans = plans.filter(satuan_kerja_id__in=units)
    row = plans.aggregate(n=models.Count("pk"), total=models.Sum("revisi"))
    return f"{row['n']}-{row['total'] or 0}"


def team_steps_revision(teams: set[int]) -> dict[int, str]:
    """Per plan, the number of these teams' steps and the sum of their ``revisi_bukti``
    (one query): it moves with any change of the evidence or messages of those steps,
    and only those. A sum, not the highest: each step's revision only rises, but one
    raised by a server whose clock lags may stay below another step's."""
    rows = (
        m.LangkahAksi.objects.filter(tim_id__in=teams)
        .values(plan=models.F(m.LANGKAH_TO_RENCANA))
        .annotate(n=models.Count("pk"), total=models.Sum("revisi_bukti"))
        .order_by()
    )
    return {row["plan"]: f"{row['n']}-{row['total']}" for row in rows}
