"""A plan's revision: raised in the same transaction as every change that can alter what
its dashboard or roll-up row shows, so cached results are keyed on it and never stale.

The receivers below cover every write path (services, the admin, imports, fixtures)
because they hang on the models, not on the callers. Writes that bypass signals
(``QuerySet.update``, ``bulk_create``) are covered too: every change of an evidence
version's state comes with a ``PeristiwaBukti`` row; the schedule service raises the
revision itself; other bulk creation only builds new plans (the data generator, the year
rollover), whose revisions no cache has seen. A row moved to another parent raises the
plans of both.

A revision is the larger of "one more" and the current time in microseconds, so it only
ever grows, even after a fixture reloads a plan with its revision reset to 0.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete, post_save, pre_save

from actionplan import models as m

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
SLOT_LOOKUP = "area__komponen__indikator__langkah_aksi__jadwal"


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


def bump(**lookup: object) -> int:
    """Raise the revision of the plans matching ``lookup``; returns how many."""
    if getattr(_paused, "on", False):
        return 0
    now_us = time.time_ns() // 1000
    # Typed as bigint: with PostgreSQL server-side binding Django sends an untyped integer
    # Value as int4, and PostgreSQL silently wrapped the microseconds (measured: GREATEST
    # returned revisi + 1 every time).
    return m.RencanaAksi.objects.filter(**lookup).update(
        revisi=Greatest(F("revisi") + 1, Value(now_us, output_field=BigIntegerField()))
    )


def bump_for_slot(slot_id: int) -> None:
    bump(**{SLOT_LOOKUP: slot_id})


def _remember_parent(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Before a row is saved: its parent as stored, so that moving it to another parent
    (the admin allows it) raises the old parent's plan too."""
    _, attribute = _PLAN_PATH[sender]
    if attribute == "pk" or instance.pk is None or instance._state.adding:
        return
    instance._zi_old_parent = (
        sender._default_manager.filter(pk=instance.pk).values_list(attribute, flat=True).first()
    )


def _structure_changed(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
    lookup, attribute = _PLAN_PATH[sender]
    parent = getattr(instance, attribute)
    old = getattr(instance, "_zi_old_parent", None)
    parents = {p for p in (parent, old) if p is not None}
    if parents:
        bump(**{f"{lookup}__in": parents})


def _unit_changed(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
    # A unit's name shows on its plans' roll-up rows, and on its sub-units' as the parent.
    bump(satuan_kerja=instance.pk)
    bump(satuan_kerja__induk=instance.pk)


def connect() -> None:
    for model in _PLAN_PATH:
        pre_save.connect(_remember_parent, sender=model, dispatch_uid=f"revisi-p-{model}")
        post_save.connect(_structure_changed, sender=model, dispatch_uid=f"revisi-{model}")
        post_delete.connect(_structure_changed, sender=model, dispatch_uid=f"revisi-d-{model}")
    post_save.connect(_unit_changed, sender=m.SatuanKerja, dispatch_uid="revisi-satker")
