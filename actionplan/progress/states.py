"""Each slot's state at a moment, and the numbers counted from the states, computed in
the database.

A slot's **state** at the reference moment (see ``moment``), first match wins:
approved (a version approved by then) · returned (the newest version uploaded by then
had been returned by then) · submitted (some version uploaded by then, not withdrawn) ·
overdue (its month has ended and nothing of the above) · not yet due.

The numbers say whose move it is: **belum dikirim** (its month has ended and nothing was
sent: the team's move), **dikembalikan** (the team's move), **menunggu review** (sent and
waiting: the reviewer's move). **Overdue** (``?ukuran=overdue``) is all three together:
due, its month has ended, and not approved. Lateness of a version (sent after its month)
is a mark of the version (``Bukti.terlambat``), never a state.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from actionplan.enums import KeadaanSlot
from actionplan.models import RencanaAksi, Slot, SlotQuerySet
from actionplan.progress.moment import Moment
from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import Bukti, PeristiwaBukti


class State(models.TextChoices):
    """A slot's state, in the order the legends list them."""

    APPROVED = "disetujui", "Disetujui"
    SUBMITTED = "diajukan", "Menunggu review"
    RETURNED = "dikembalikan", "Dikembalikan"
    OVERDUE = "terlambat", "Belum dikirim"  # its month has ended with nothing sent
    DUE_NOW = "berjalan", "Belum dikirim, bulan berjalan"  # the month still running
    NOT_DUE = "belum", "Belum jatuh tempo"


def slots_with_state(
    rencana: RencanaAksi, moment: Moment, *, is_settled: bool | None = None
) -> SlotQuerySet:
    """Every slot of the plan annotated with ``state``: one query whatever the plan's
    size. When no slot of the plan changed after the moment (the usual case: the
    current state, or a month since which nothing happened) the state is read from the
    slots' own ``keadaan`` alone, a query without subqueries; else see ``with_state``.
    ``is_settled``: ``settled()`` of the plan's slots, if the caller asked already."""
    slots = Slot.objects.of_plan(rencana)
    if is_settled is None:
        is_settled = settled(slots, moment)
    if is_settled:
        return slots.annotate(state=_current_state(moment))
    return with_state(slots, moment)


def settled(slots: SlotQuerySet, moment: Moment) -> bool:
    """Whether every one of the slots has a known current state, unchanged since the
    moment's cutoff (one small query)."""
    return not slots.filter(
        Q(keadaan_pada__isnull=True) | Q(keadaan_pada__gt=moment.cutoff)
    ).exists()


def live_versions(at: datetime.datetime) -> QuerySet[Bukti]:
    """The slot's versions that counted at ``at``: uploaded by then and not yet withdrawn
    or replaced by then (the DITARIK / DIGANTIKAN event says when), newest first."""
    ended = PeristiwaBukti.objects.filter(
        bukti=OuterRef("pk"),
        jenis__in=[JenisPeristiwa.DITARIK, JenisPeristiwa.DIGANTIKAN],
        pada__lte=at,
    )
    return (
        Bukti.objects.filter(slot=OuterRef("pk"), diunggah_pada__lte=at)
        .exclude(Exists(ended))
        .order_by("-versi")
    )


def approved_at() -> Subquery:
    """When the slot's version was approved (None if none was)."""
    return Subquery(
        Bukti.objects.filter(slot=OuterRef("pk"), status=StatusBukti.DISETUJUI).values(
            "diperiksa_pada"
        )[:1],
        output_field=DateTimeField(),
    )


def _by_time(moment: Moment) -> Case:
    """The state of a slot with nothing sent that counted: by its month alone."""
    return Case(
        When(bulan__lte=moment.months_ended, then=Value(State.OVERDUE)),
        When(bulan=moment.running_month or 0, then=Value(State.DUE_NOW)),
        default=Value(State.NOT_DUE),
        output_field=CharField(),
    )


def _current_state(moment: Moment) -> Case:
    """The state from the slot's own ``keadaan``: exact for a moment after its last
    change (``keadaan_pada`` at or before the cutoff)."""
    return Case(
        When(keadaan=KeadaanSlot.DISETUJUI, then=Value(State.APPROVED)),
        When(keadaan=KeadaanSlot.DIKEMBALIKAN, then=Value(State.RETURNED)),
        When(keadaan=KeadaanSlot.DIAJUKAN, then=Value(State.SUBMITTED)),
        default=_by_time(moment),
        output_field=CharField(),
    )


def with_state(slots: SlotQuerySet, moment: Moment) -> SlotQuerySet:
    """Annotate any set of slots (of plans of the moment's year) with their ``state``.
    A slot unchanged since the cutoff takes its current ``keadaan``; only the others
    look at their versions as they stood then (four correlated subqueries, which the
    database evaluates for those rows alone)."""
    live = live_versions(moment.cutoff)
    return slots.alias(
        approved_at=approved_at(),
        live_exists=Exists(live),
        # The newest version that counted then; its status now tells what became of it
        # (reviewed after the moment, it was still waiting then).
        latest_status=Subquery(live.values("status")[:1], output_field=CharField()),
        latest_reviewed_at=Subquery(
            live.values("diperiksa_pada")[:1], output_field=DateTimeField()
        ),
    ).annotate(
        state=Case(
            When(keadaan_pada__lte=moment.cutoff, then=_current_state(moment)),
            When(approved_at__lte=moment.cutoff, then=Value(State.APPROVED)),
            When(
                latest_status=StatusBukti.DIKEMBALIKAN,
                latest_reviewed_at__lte=moment.cutoff,
                then=Value(State.RETURNED),
            ),
            When(live_exists=True, then=Value(State.SUBMITTED)),
            default=_by_time(moment),
            output_field=CharField(),
        )
    )


def with_review_times(slots: SlotQuerySet, moment: Moment) -> SlotQuerySet:
    """Also annotate when each slot's version was approved (``approved_at``) and when
    the newest version that counted at the moment was reviewed (``latest_reviewed_at``)."""
    live = live_versions(moment.cutoff)
    return slots.annotate(
        approved_at=approved_at(),
        latest_reviewed_at=Subquery(
            live.values("diperiksa_pada")[:1], output_field=DateTimeField()
        ),
    )


METRICS = {
    "due": "Jatuh tempo",
    "submitted": "Sudah mengirim bukti",
    "approved": "Disetujui",
    "returned": "Dikembalikan",
    "missing": "Belum dikirim, bulannya sudah lewat",
    "waiting": "Menunggu review",
    "overdue": "Terlambat (belum disetujui, bulannya sudah lewat)",
}
# The columns of the tables per area, per team and per unit, with their short headings:
# whose move it is.
TABLE_METRICS = {
    "due": "Jatuh tempo",
    "submitted": "Dikirim",
    "approved": "Disetujui",
    "returned": "Dikembalikan",
    "missing": "Belum dikirim",
    "waiting": "Menunggu review",
}


def metric_filters(moment: Moment) -> dict[str, Q]:
    """Which slots each number counts; the lists behind the numbers use the same ones."""
    due = Q(bulan__lte=moment.bulan)
    return {
        "due": due,
        "submitted": due & Q(state__in=[State.SUBMITTED, State.RETURNED, State.APPROVED]),
        "approved": due & Q(state=State.APPROVED),
        "returned": due & Q(state=State.RETURNED),
        "missing": due & Q(state=State.OVERDUE),
        "waiting": due & Q(state=State.SUBMITTED),
        "overdue": due & Q(bulan__lte=moment.months_ended) & ~Q(state=State.APPROVED),
    }


SENT = frozenset({State.SUBMITTED, State.RETURNED, State.APPROVED})


def counts_of(bulan: int, state: str, n: int, moment: Moment) -> Counts:
    """What ``n`` slots of month ``bulan`` in ``state`` add to each number: the
    ``metric_filters`` above, in Python, for numbers summed from the states already read
    (tests/progress/test_states.py holds the two equal)."""
    if bulan > moment.bulan:
        return Counts()
    return Counts(
        due=n,
        submitted=n if state in SENT else 0,
        approved=n if state == State.APPROVED else 0,
        returned=n if state == State.RETURNED else 0,
        missing=n if state == State.OVERDUE else 0,
        waiting=n if state == State.SUBMITTED else 0,
        overdue=n if bulan <= moment.months_ended and state != State.APPROVED else 0,
    )


def count_aggregates(moment: Moment) -> dict[str, Count]:
    """One ``Count`` per number, for ``aggregate`` or ``values().annotate``."""
    return {name: Count("pk", filter=q) for name, q in metric_filters(moment).items()}


@dataclass
class Counts:
    due: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    missing: int = 0
    waiting: int = 0
    overdue: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def approved_pct(self) -> float | None:
        return round(100 * self.approved / self.due, 1) if self.due else None

    @property
    def submitted_pct(self) -> float | None:
        return round(100 * self.submitted / self.due, 1) if self.due else None

    def cells(self) -> list[tuple[str, str, int]]:
        """(metric, heading, value) in the tables' column order."""
        return [(name, label, getattr(self, name)) for name, label in TABLE_METRICS.items()]
