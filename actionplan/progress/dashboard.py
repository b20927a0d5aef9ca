"""What the leadership dashboard, the lists behind its numbers and a member's tasks
show, each a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db.models import Count, Exists, Prefetch, Q, QuerySet
from django.utils import timezone

from actionplan.enums import BULAN_CHOICES
from actionplan.models import (
    DOCUMENT_ORDER,
    LangkahAksi,
    LangkahAksiQuerySet,
    RencanaAksi,
    Slot,
)
from actionplan.progress.charts import TrendPoint, trend_chart
from actionplan.progress.moment import CACHE_SECONDS, SETTLED_AFTER, Moment, month_end
from actionplan.progress.states import (
    Counts,
    State,
    approved_at,
    counts_of,
    live_versions,
    metric_filters,
    slots_with_state,
)
from actionplan.selectors import lampiran_rows
from evidence.enums import StatusBukti
from evidence.models import Bukti


@dataclass
class Progress:
    rencana: RencanaAksi
    moment: Moment
    total: Counts
    per_area: list[tuple[int, str, Counts]] = field(default_factory=list)
    per_team: list[tuple[int, str, Counts]] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)


def plan_progress(
    rencana: RencanaAksi, moment: Moment, *, is_settled: bool | None = None
) -> Progress:
    """Totals, per area, per team and the month-by-month trend: the slots' states (one
    query) summed over the plan's steps (cached) and the trend (its ended months
    usually cached, see ``plan_trend``)."""
    states = slot_states(rencana, moment, is_settled=is_settled)
    return progress_from_states(rencana, moment, states, dashboard_steps(rencana))


def progress_from_states(
    rencana: RencanaAksi,
    moment: Moment,
    states: dict[tuple[int, int], str],
    steps: list[GridStep],
) -> Progress:
    """The numbers summed in Python from each slot's state (``slot_states``), by area
    and team of its step: no query beyond the trend's. Summing here costs ~1 ms at 150
    slots; the same numbers as seven filtered counts in SQL took ~60 ms to compile and
    run under load (the state expression copied into every count)."""
    # (area, team, month, state) -> slots; the keys are small tuples, cheap to hash.
    tally: Counter[tuple[tuple[int, str], tuple[int, str, int], int, str]] = Counter()
    for step in steps:
        area, team = (step.area_nomor, step.area_nama), (step.tim_urutan, step.tim, step.tim_id)
        for bulan in range(1, 13):
            state = states.get((step.pk, bulan))
            if state is not None:
                tally[(area, team, bulan, state)] += 1
    total = Counts()
    areas: dict[tuple[int, str], Counts] = {}
    teams: dict[tuple[int, str, int], Counts] = {}
    for (area, team, bulan, state), n in tally.items():
        numbers = counts_of(bulan, state, n, moment)
        total.add(numbers)
        areas.setdefault(area, Counts()).add(numbers)
        teams.setdefault(team, Counts()).add(numbers)
    per_area = [(nomor, nama, c) for (nomor, nama), c in sorted(areas.items())]
    per_team = [(tim_id, nama, c) for (_, nama, tim_id), c in sorted(teams.items())]
    return Progress(
        rencana=rencana,
        moment=moment,
        total=total,
        per_area=per_area,
        per_team=per_team,
        trend=plan_trend(rencana, moment, total),
    )


def trend_months(rencana: RencanaAksi, moment: Moment) -> range:
    """The trend's months: 1 up to the moment's month, leaving out months that have not
    begun by the moment (no line into the future)."""
    local = timezone.localtime(moment.at)
    last = moment.bulan if local.year > rencana.tahun else min(moment.bulan, local.month)
    return range(1, last + 1) if local.year >= rencana.tahun else range(0)


def plan_trend(
    rencana: RencanaAksi, moment: Moment, total: Counts | None = None
) -> list[TrendPoint]:
    """For each month 1-12 up to the dashboard's month: (month, % approved, % submitted)
    of the slots due by then, as it stood at the end of that month.

    The moment's own month is the dashboard's totals (``total``, the same counts at the
    same cutoff). A month that ended before now is history: it changes only with the
    plan's rows or with evidence entered afterwards with a past time, both of which raise
    ``revisi_rencana``, so it is cached under that revision and a new upload recomputes
    nothing of it. The rest is one query."""
    months = trend_months(rencana, moment)
    now = timezone.now()
    cache = caches["default"]
    points: dict[int, TrendPoint] = {}
    if total is not None and months and months[-1] == moment.bulan:
        points[moment.bulan] = (moment.bulan, total.approved_pct, total.submitted_pct)
    history = {
        m: f"tren:{rencana.pk}:{rencana.revisi_rencana}:{m}"
        for m in months
        if m not in points and month_end(rencana.tahun, m) < min(now - SETTLED_AFTER, moment.cutoff)
    }
    found = cache.get_many(list(history.values()))
    points.update({m: found[key] for m, key in history.items() if key in found})
    todo = [m for m in months if m not in points]
    if todo:
        computed = _trend_points(rencana, moment, todo)
        cache.set_many(
            {history[m]: computed[m] for m in todo if m in history}, timeout=TREND_SECONDS
        )
        points.update(computed)
    return [points[m] for m in months]


TREND_SECONDS = 7 * 24 * 3600


def _trend_points(rencana: RencanaAksi, moment: Moment, months: list[int]) -> dict[int, TrendPoint]:
    """The trend's points of these months, counted from the versions: one query."""
    slots = Slot.objects.of_plan(rencana).alias(approved_at=approved_at())
    aggregates = {}
    for m in months:
        end = min(month_end(rencana.tahun, m), moment.cutoff)
        due = Q(bulan__lte=m)
        aggregates[f"due_{m}"] = Count("pk", filter=due)
        aggregates[f"approved_{m}"] = Count("pk", filter=due & Q(approved_at__lte=end))
        slots = slots.alias(**{f"live_{m}": Exists(live_versions(end))})
        aggregates[f"submitted_{m}"] = Count(
            "pk", filter=due & (Q(approved_at__lte=end) | Q(**{f"live_{m}": True}))
        )
    row = slots.aggregate(**aggregates)
    points = {}
    for m in months:
        due = row[f"due_{m}"]
        points[m] = (
            m,
            round(100 * row[f"approved_{m}"] / due, 1) if due else None,
            round(100 * row[f"submitted_{m}"] / due, 1) if due else None,
        )
    return points


def slot_states(
    rencana: RencanaAksi, moment: Moment, *, is_settled: bool | None = None
) -> dict[tuple[int, int], str]:
    """Each slot's state by (step, month): one query."""
    return {
        (langkah_id, bulan): state
        # "state" is an annotation of with_state(), which the stubs cannot follow.
        for langkah_id, bulan, state in slots_with_state(
            rencana, moment, is_settled=is_settled
        ).values_list(  # type: ignore[misc]
            "langkah_aksi_id", "bulan", "state"
        )
    }


def plan_grid(
    rencana: RencanaAksi,
    moment: Moment,
    *,
    is_settled: bool | None = None,
    steps: Iterable[LangkahAksi] | None = None,
    states: dict[tuple[int, int], str] | None = None,
) -> list[dict]:
    """Lampiran-shaped rows, each step with its 12 cells: None where the step is not
    scheduled, else the slot's state. Four queries with every step's months and bukti
    fisik loaded (what the printed report shows); two with ``steps=grid_steps(...)``;
    one less with ``states`` already read (``slot_states``)."""
    if states is None:
        states = slot_states(rencana, moment, is_settled=is_settled)
    rows = lampiran_rows(rencana, steps)
    for row in rows:
        langkah = row["langkah"]
        row["cells"] = [(bulan, states.get((langkah.pk, bulan))) for bulan in range(1, 13)]
    return rows


def grid_steps(rencana: RencanaAksi) -> LangkahAksiQuerySet:
    """The steps as the pages' grids show them: text, team and place, in document order
    (one query; their months come from the states, their bukti fisik are not shown)."""
    return (
        LangkahAksi.objects.of_plan(rencana)
        .select_related("indikator__komponen__area", "tim")
        .order_by(*DOCUMENT_ORDER)
    )


def slot_list(
    rencana: RencanaAksi,
    moment: Moment,
    *,
    metric: str,
    area: int | None = None,
    tim: int | None = None,
    is_settled: bool | None = None,
) -> QuerySet[Slot]:
    """The slots behind a number of the dashboard, in document order."""
    qs = slots_with_state(rencana, moment, is_settled=is_settled).filter(
        metric_filters(moment)[metric]
    )
    if area:
        qs = qs.in_area(area)
    if tim:
        qs = qs.filter(langkah_aksi__tim_id=tim)
    return qs.with_step().in_document_order()


def my_tasks(rencana: RencanaAksi, moment: Moment, *, team_ids: set[int]) -> dict[str, list]:
    """A member's work in the plan: slots of their teams' steps due in the moment's month
    with nothing sent yet, overdue ones with nothing sent, and returned ones; each
    returned one with its returned version (``slot.dikembalikan``: the reviewer, the time,
    the note, the files). Three queries."""
    returned = (
        Bukti.objects.filter(status=StatusBukti.DIKEMBALIKAN)
        .select_related("diperiksa_oleh")
        .prefetch_related("berkas")
        .order_by("-versi")
    )
    slots = (
        slots_with_state(rencana, moment)
        .filter(langkah_aksi__tim_id__in=team_ids)
        .filter(Q(state=State.DUE_NOW) | Q(state__in=[State.OVERDUE, State.RETURNED]))
        .with_step()
        .prefetch_related(Prefetch("bukti", queryset=returned, to_attr="versi_dikembalikan"))
        .order_by(
            "bulan",
            "langkah_aksi__indikator__komponen__area__nomor",
            "langkah_aksi__indikator__komponen__nomor",
            "langkah_aksi__indikator__urutan",
        )
    )
    tasks: dict[str, list] = {"bulan_ini": [], "terlambat": [], "dikembalikan": []}
    for slot in slots:
        # An annotation of with_state(), which the stubs cannot follow through the helper.
        state = slot.state  # type: ignore[attr-defined]
        if state == State.RETURNED:
            slot.dikembalikan = slot.versi_dikembalikan[0]  # type: ignore[attr-defined]
            tasks["dikembalikan"].append(slot)
        elif state == State.OVERDUE:
            tasks["terlambat"].append(slot)
        else:
            tasks["bulan_ini"].append(slot)
    return tasks


@dataclass(frozen=True)
class GridStep:
    """A step as the dashboard's matrix and its list of missing months show it."""

    pk: int
    kode: str  # "II.3": the area and komponen
    komponen: int
    teks: str
    tim: str
    area: tuple[str, str] | None  # (romawi, name) on the first step of its area
    # What the numbers per area and per team are summed by.
    area_nomor: int
    area_nama: str  # the short name where the plan has one
    tim_id: int
    tim_urutan: int


def dashboard_steps(rencana: RencanaAksi) -> list[GridStep]:
    """The plan's steps in document order as the dashboard shows them, cached under the
    plan's ``revisi_rencana`` (its rows and teams): an upload does not read them again."""
    key = f"langkah-dasbor:v2:{rencana.pk}:{rencana.revisi_rencana}"
    steps: list[GridStep] | None = caches["default"].get(key)
    if steps is None:
        steps = []
        last_area = None
        for langkah in grid_steps(rencana):
            komponen = langkah.indikator.komponen
            area = komponen.area
            steps.append(
                GridStep(
                    pk=langkah.pk,
                    kode=f"{area.romawi}.{komponen.nomor}",
                    komponen=komponen.nomor,
                    teks=langkah.teks,
                    tim=langkah.tim.nama,
                    area=(area.romawi, area.nama) if area.pk != last_area else None,
                    area_nomor=area.nomor,
                    area_nama=area.nama_singkat or area.nama,
                    tim_id=langkah.tim_id,
                    tim_urutan=langkah.tim.urutan,
                )
            )
            last_area = area.pk
        caches["default"].set(key, steps, CACHE_SECONDS)
    return steps


def dashboard(rencana: RencanaAksi, moment: Moment) -> dict:
    """Everything the dashboard's body shows: the numbers, per area and team, the trend
    chart, the steps whose month passed with nothing sent, and the matrix, all from one
    read of the slots' states: three queries (whether the slots are settled, the states,
    the trend's ended months unless cached) and the plan's steps unless cached."""
    states = slot_states(rencana, moment)
    steps = dashboard_steps(rencana)
    progress = progress_from_states(rencana, moment, states, steps)
    grid, missing = [], []
    for step in steps:
        cells = [(bulan, states.get((step.pk, bulan))) for bulan in range(1, 13)]
        grid.append({"step": step, "cells": cells})
        # Nothing sent and the month over: the "missing" number's slots (metric_filters).
        late = [bulan for bulan, state in cells if state == State.OVERDUE]
        if late:
            missing.append({"step": step, "bulan": late})
    return {
        "rencana": rencana,
        "moment": moment,
        "progress": progress,
        "chart": trend_chart(progress.trend),
        "grid": grid,
        "missing_steps": missing,
        "states": State.choices,
        "months": BULAN_CHOICES,
    }


def team_progress(rencana: RencanaAksi, moment: Moment, *, team_ids: set[int]) -> dict:
    """What a member sees of the plan: the unit's overall numbers, their teams' rows and
    their teams' steps with each month's state, from one read of the states."""
    states = slot_states(rencana, moment)
    progress = progress_from_states(rencana, moment, states, dashboard_steps(rencana))
    grid = plan_grid(rencana, moment, states=states, steps=grid_steps(rencana))
    rows = [row for row in grid if row["langkah"].tim_id in team_ids]
    return {
        "rencana": rencana,
        "moment": moment,
        "total": progress.total,
        "teams": [row for row in progress.per_team if row[0] in team_ids],
        "steps": rows,
    }
