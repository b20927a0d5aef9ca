"""What the leadership dashboard, the lists behind its numbers and a member's tasks
show, each a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, Prefetch, Q, QuerySet, TextField, When
from django.utils import timezone

from actionplan.enums import BULAN_CHOICES
from actionplan.models import RencanaAksi, Slot
from actionplan.progress.charts import TrendPoint, trend_chart
from actionplan.progress.moment import Moment, month_end
from actionplan.progress.states import (
    Counts,
    State,
    count_aggregates,
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


def plan_progress(rencana: RencanaAksi, moment: Moment) -> Progress:
    """Totals, per area, per team and the month-by-month trend: four queries."""
    slots = slots_with_state(rencana, moment)
    counts = count_aggregates(moment)
    total = Counts(**slots.aggregate(**counts))
    area_key = "langkah_aksi__indikator__komponen__area"
    per_area = [
        (row["nomor"], row["nama"], Counts(**{k: row[k] for k in counts}))
        for row in slots.values(
            nomor=F(f"{area_key}__nomor"),
            # The short name where the plan has one, else the name as printed.
            nama=Case(
                When(**{f"{area_key}__nama_singkat": ""}, then=F(f"{area_key}__nama")),
                default=F(f"{area_key}__nama_singkat"),
                output_field=TextField(),
            ),
        )
        .annotate(**counts)
        .order_by("nomor")
    ]
    per_team = [
        (row["tim_id"], row["tim"], Counts(**{k: row[k] for k in counts}))
        for row in slots.values(tim_id=F("langkah_aksi__tim_id"), tim=F("langkah_aksi__tim__nama"))
        .annotate(**counts)
        .order_by("langkah_aksi__tim__urutan", "tim")
    ]
    return Progress(
        rencana=rencana,
        moment=moment,
        total=total,
        per_area=per_area,
        per_team=per_team,
        trend=plan_trend(rencana, moment),
    )


def plan_trend(rencana: RencanaAksi, moment: Moment) -> list[TrendPoint]:
    """For each month 1-12 up to the dashboard's month: (month, % approved, % submitted)
    of the slots due by then, as it stood at the end of that month. One query."""
    slots = slots_with_state(rencana, moment)
    aggregates = {}
    # Months that have not begun by the moment are left out: no line into the future.
    local = timezone.localtime(moment.at)
    last = moment.bulan if local.year > rencana.tahun else min(moment.bulan, local.month)
    months = range(1, last + 1) if local.year >= rencana.tahun else range(0)
    for m in months:
        end = min(month_end(rencana.tahun, m), moment.cutoff)
        due = Q(bulan__lte=m)
        aggregates[f"due_{m}"] = Count("pk", filter=due)
        aggregates[f"approved_{m}"] = Count("pk", filter=due & Q(approved_at__lte=end))
        slots = slots.annotate(**{f"live_{m}": Exists(live_versions(end))})
        aggregates[f"submitted_{m}"] = Count(
            "pk", filter=due & (Q(approved_at__lte=end) | Q(**{f"live_{m}": True}))
        )
    row = slots.aggregate(**aggregates)
    trend = []
    for m in months:
        due = row[f"due_{m}"]
        trend.append(
            (
                m,
                round(100 * row[f"approved_{m}"] / due, 1) if due else None,
                round(100 * row[f"submitted_{m}"] / due, 1) if due else None,
            )
        )
    return trend


def plan_grid(rencana: RencanaAksi, moment: Moment) -> list[dict]:
    """Lampiran-shaped rows, each step with its 12 cells: None where the step is not
    scheduled, else the slot's state. Four queries."""
    states = {
        (langkah_id, bulan): state
        # "state" is an annotation of with_state(), which the stubs cannot follow.
        for langkah_id, bulan, state in slots_with_state(rencana, moment).values_list(  # type: ignore[misc]
            "langkah_aksi_id", "bulan", "state"
        )
    }
    rows = lampiran_rows(rencana)
    for row in rows:
        langkah = row["langkah"]
        row["cells"] = [(bulan, states.get((langkah.pk, bulan))) for bulan in range(1, 13)]
    return rows


def slot_list(
    rencana: RencanaAksi,
    moment: Moment,
    *,
    metric: str,
    area: int | None = None,
    tim: int | None = None,
) -> QuerySet[Slot]:
    """The slots behind a number of the dashboard, in document order."""
    qs = slots_with_state(rencana, moment).filter(metric_filters(moment)[metric])
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


def group_by_step(slots: list[Slot]) -> list[dict]:
    """Slots (already in document order) grouped under their step."""
    groups: dict[int, dict] = {}
    for slot in slots:
        group = groups.setdefault(slot.langkah_aksi_id, {"langkah": slot.langkah_aksi, "bulan": []})
        group["bulan"].append(slot.bulan)
    return list(groups.values())


def dashboard(rencana: RencanaAksi, moment: Moment) -> dict:
    """Everything the dashboard's body shows: the numbers, per area and team, the trend
    chart, the steps whose month passed with nothing sent, and the matrix (ten queries)."""
    progress = plan_progress(rencana, moment)
    return {
        "rencana": rencana,
        "moment": moment,
        "progress": progress,
        "chart": trend_chart(progress.trend),
        "grid": plan_grid(rencana, moment),
        "missing_steps": group_by_step(list(slot_list(rencana, moment, metric="missing"))),
        "states": State.choices,
        "months": BULAN_CHOICES,
    }


def team_progress(rencana: RencanaAksi, moment: Moment, *, team_ids: set[int]) -> dict:
    """What a member sees of the plan: the unit's overall numbers, their teams' rows and
    their teams' steps with each month's state (eight queries)."""
    progress = plan_progress(rencana, moment)
    rows = [row for row in plan_grid(rencana, moment) if row["langkah"].tim_id in team_ids]
    return {
        "rencana": rencana,
        "moment": moment,
        "total": progress.total,
        "teams": [row for row in progress.per_team if row[0] in team_ids],
        "steps": rows,
    }
