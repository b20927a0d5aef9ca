"""The Excel import's two halves that are not reading: where a preview waits for its
confirm (the database, not one server's /tmp), and the writes of a confirmed import
(all rows at once, under the plan's lock taken once, late).

A preview is stored by ``PratinjauStorage`` (django-import-export's temporary storage
interface) as an ``ImporPratinjau`` row with a random token; the confirm form carries
the token, and the row is read back on whichever server the confirm lands, for the
admin who uploaded it only. Unconfirmed previews are deleted after ``PRATINJAU_UMUR``.
"""

from __future__ import annotations

import contextvars
import datetime
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from actionplan import revisions
from actionplan.documents.models import ImporPratinjau
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    RencanaAksi,
    Slot,
)

PRATINJAU_UMUR = datetime.timedelta(hours=24)


class PratinjauHilang(Exception):
    """The confirm's preview is gone (expired, confirmed already, or someone else's)."""


@dataclass
class _Permintaan:
    user: Any
    disimpan: list[str] = field(default_factory=list)


_permintaan: contextvars.ContextVar[_Permintaan | None] = contextvars.ContextVar(
    "zi_impor_permintaan", default=None
)


@contextmanager
def untuk_pengguna(user: Any) -> Iterator[_Permintaan]:
    """Within: previews are stored for and read as ``user`` (the storage interface has
    no request)."""
    state = _Permintaan(user)
    token = _permintaan.set(state)
    try:
        yield state
    finally:
        _permintaan.reset(token)


def pratinjau_bersihkan(now: datetime.datetime | None = None) -> int:
    """Delete previews older than ``PRATINJAU_UMUR``; returns how many."""
    batas = (now or timezone.now()) - PRATINJAU_UMUR
    deleted, _ = ImporPratinjau.objects.filter(dibuat__lt=batas).delete()
    return deleted


class PratinjauStorage(BaseStorage):
    """django-import-export's temporary storage, in the database."""

    def _user(self) -> Any:
        state = _permintaan.get()
        if state is None or state.user is None or not state.user.is_authenticated:
            raise PratinjauHilang("tanpa pengguna")
        return state

    def save(self, data: bytes) -> None:
        state = self._user()
        pratinjau_bersihkan()
        self.name = secrets.token_urlsafe(32)
        ImporPratinjau.objects.create(token=self.name, pemilik=state.user, isi=bytes(data))
        state.disimpan.append(self.name)

    def read(self) -> bytes:
        state = self._user()
        isi = (
            ImporPratinjau.objects.filter(
                token=str(self.name or ""),
                pemilik=state.user,
                dibuat__gte=timezone.now() - PRATINJAU_UMUR,
            )
            .values_list("isi", flat=True)
            .first()
        )
        if isi is None:
            raise PratinjauHilang(self.name)
        return bytes(isi)

    def remove(self) -> None:
        ImporPratinjau.objects.filter(token=str(self.name or "")).delete()


def _changed(obj: Any, values: dict[str, Any]) -> bool:
    differs = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            differs = True
    return differs


def tulis_baris(rencana: RencanaAksi, rows: list[dict[str, Any]]) -> list[int]:
    """Write validated import rows (``LangkahAksiResource.import_instance``'s ``_zi_row``)
    into ``rencana``: areas, komponen, indikator and steps created or updated by number,
    each step's bukti fisik replaced when they differ, its months made exactly the listed
    ones (months kept keep their slot and its evidence). A fixed number of queries
    whatever the number of rows; the plan's row is locked first (its revisions raised
    once, the order every writer of the plan keeps) and held only for these writes.
    Returns the steps' ids in the rows' order."""
    with transaction.atomic():
        revisions.bump(pk=rencana.pk)  # the lock, and the one raise of the revisions
        with revisions.paused():
            return _tulis(rencana, rows)


def _tulis(rencana: RencanaAksi, rows: list[dict[str, Any]]) -> list[int]:
    areas = {a.nomor: a for a in AreaPerubahan.objects.filter(rencana=rencana)}
    new_areas, changed_areas = [], []
    for row in rows:
        nomor = row["area"]
        if nomor not in areas:
            areas[nomor] = AreaPerubahan(rencana=rencana, nomor=nomor, nama=row["area_nama"])
            new_areas.append(areas[nomor])
        elif areas[nomor].pk and _changed(areas[nomor], {"nama": row["area_nama"]}):
            changed_areas.append(areas[nomor])
    AreaPerubahan.objects.bulk_update(changed_areas, ["nama"])
    AreaPerubahan.objects.bulk_create(new_areas)
    area_id = dict(AreaPerubahan.objects.filter(rencana=rencana).values_list("nomor", "pk"))

    komponen = {(k.area_id, k.nomor): k for k in Komponen.objects.filter(area__rencana=rencana)}
    new_k, changed_k = [], []
    for row in rows:
        key = (area_id[row["area"]], row["komponen_no"])
        if key not in komponen:
            komponen[key] = Komponen(area_id=key[0], nomor=key[1], nama=row["komponen"])
            new_k.append(komponen[key])
        elif komponen[key].pk and _changed(komponen[key], {"nama": row["komponen"]}):
            changed_k.append(komponen[key])
    Komponen.objects.bulk_update(changed_k, ["nama"])
    Komponen.objects.bulk_create(new_k)
    komponen_id = {
        (a, n): pk
        for pk, a, n in Komponen.objects.filter(area__rencana=rencana).values_list(
            "pk", "area_id", "nomor"
        )
    }

    def k_id(row: dict[str, Any]) -> int:
        return komponen_id[(area_id[row["area"]], row["komponen_no"])]

    indikator = {
        (i.komponen_id, i.urutan): i
        for i in Indikator.objects.filter(komponen__area__rencana=rencana)
    }
    new_i, changed_i = [], []
    for row in rows:
        key = (k_id(row), row["indikator_urutan"])
        if key not in indikator:
            indikator[key] = Indikator(komponen_id=key[0], urutan=key[1], teks=row["indikator"])
            new_i.append(indikator[key])
        elif indikator[key].pk and _changed(indikator[key], {"teks": row["indikator"]}):
            changed_i.append(indikator[key])
    Indikator.objects.bulk_update(changed_i, ["teks"])
    Indikator.objects.bulk_create(new_i)
    indikator_id = {
        (k, u): pk
        for pk, k, u in Indikator.objects.filter(komponen__area__rencana=rencana).values_list(
            "pk", "komponen_id", "urutan"
        )
    }

    def step_key(row: dict[str, Any]) -> tuple[int, int]:
        return (indikator_id[(k_id(row), row["indikator_urutan"])], row["urutan"])

    # Steps, their bukti fisik and months: thousands of rows, written with plain
    # parameterised statements (executemany; the ORM's bulk_update builds a CASE per row
    # and took seconds), names quoted from the models.
    steps: dict[tuple[int, int], tuple[int | None, str, int]] = {
        (i, u): (pk, teks, tim)
        for pk, i, u, teks, tim in LangkahAksi.objects.of_plan(rencana).values_list(
            "pk", "indikator_id", "urutan", "teks", "tim_id"
        )
    }
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for row in rows:
        key = step_key(row)
        have = steps.get(key)
        if have is None:
            inserts.append((key[0], key[1], row["teks"], row["tim"].pk))
            steps[key] = (None, row["teks"], row["tim"].pk)
        elif have[0] is not None and (have[1], have[2]) != (row["teks"], row["tim"].pk):
            updates.append((row["teks"], row["tim"].pk, have[0]))
    _insert(LangkahAksi, ["indikator", "urutan", "teks", "tim"], inserts)
    _update(LangkahAksi, ["teks", "tim"], updates)
    step_id = {
        (i, u): pk
        for pk, i, u in LangkahAksi.objects.of_plan(rencana).values_list(
            "pk", "indikator_id", "urutan"
        )
    }
    ids = [step_id[step_key(row)] for row in rows]

    # Bukti fisik: replaced for the steps whose list differs.
    current: dict[int, list[str]] = {}
    for langkah_id, teks in (
        BuktiFisik.objects.filter(langkah_aksi_id__in=ids)
        .order_by("langkah_aksi_id", "urutan")
        .values_list("langkah_aksi_id", "teks")
    ):
        current.setdefault(langkah_id, []).append(teks)
    redo = {pk: row["bukti"] for pk, row in zip(ids, rows, strict=True)}
    redo = {pk: items for pk, items in redo.items() if current.get(pk, []) != items}
    stale = [pk for pk in redo if pk in current]
    if stale:
        # Nothing refers to a bukti fisik row: a plain delete, no per-row signals.
        BuktiFisik.objects.filter(langkah_aksi_id__in=stale)._raw_delete(BuktiFisik.objects.db)
    _insert(
        BuktiFisik,
        ["langkah_aksi", "urutan", "teks"],
        [(pk, n, teks) for pk, items in redo.items() for n, teks in enumerate(items, start=1)],
    )

    # Months: the slots of months no longer listed go (evidence on them is protected,
    # and the import refuses such rows before), new months get a slot.
    slots: dict[int, dict[int, int]] = {}
    for slot_pk, langkah_id, bulan in Slot.objects.filter(langkah_aksi_id__in=ids).values_list(
        "pk", "langkah_aksi_id", "bulan"
    ):
        slots.setdefault(langkah_id, {})[bulan] = slot_pk
    gone: list[int] = []
    added: list[tuple[int, int]] = []
    for pk, row in zip(ids, rows, strict=True):
        have_months = slots.get(pk, {})
        wanted = set(row["bulan"])
        gone.extend(slot_pk for bulan, slot_pk in have_months.items() if bulan not in wanted)
        added.extend((pk, b) for b in sorted(wanted - set(have_months)))
    if gone:
        Slot.objects.filter(pk__in=gone).delete()
    _insert(Slot, ["langkah_aksi", "bulan"], added)
    return ids


def _sql_names(model: type[Model], names: list[str]) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    meta = model._meta
    columns = []
    for name in names:
        field = meta.get_field(name)
        assert isinstance(field, Field)  # concrete fields only
        columns.append(quote(str(field.column)))
    return quote(meta.db_table), columns


def _insert(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    table, columns = _sql_names(model, names)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            rows,
        )


def _update(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """``rows`` are the new values of ``names`` followed by the row's primary key."""
    if not rows:
        return
    table, columns = _sql_names(model, names)
    assert model._meta.pk is not None
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    assignments = ", ".join(f"{column} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
            rows,
        )
