"""Progress of a plan at a chosen month, computed in the database.

Definitions (the dashboard's legend says the same in Indonesian):
- A slot (a step's scheduled month) is **due** at month M when its month is ≤ M.
- The **reference moment** of a dashboard for (year, M) is the end of month M, or now if
  that is still in the future. Evidence counts only if it happened by then, so a past
  month shows the picture as it stood at its end.
- A slot's **state** at the reference moment, first match wins:
  approved (a version approved by then) · returned (the newest version uploaded by then
  had been returned by then) · submitted (some version uploaded by then, not withdrawn) ·
  overdue (its month has ended and nothing of the above) · not yet due.
- **Overdue** in the counts: due, its month has ended, and not approved (whether or not
  something was submitted), as leadership asks "what is late".
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.utils import timezone

from actionplan.models import RencanaAksi, Slot
from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import Bukti, PeristiwaBukti

# Cached results carry the plan's revision in their key, so they are never stale; the
# timeout only bounds how long unused ones stay in memory.
CACHE_SECONDS = 24 * 3600


class State:
    APPROVED = "disetujui"
    RETURNED = "dikembalikan"
    SUBMITTED = "diajukan"
    OVERDUE = "terlambat"
    NOT_DUE = "belum"

    LABELS = {
        APPROVED: "Disetujui",
        SUBMITTED: "Menunggu review",
        RETURNED: "Dikembalikan",
        OVERDUE: "Terlambat",
        NOT_DUE: "Belum jatuh tempo",
    }
    ORDER = [APPROVED, SUBMITTED, RETURNED, OVERDUE, NOT_DUE]


def month_end(year: int, month: int) -> datetime.datetime:
    """The last moment of a month in the current time zone (Asia/Jakarta)."""
    last_day = calendar.monthrange(year, month)[1]
    return timezone.make_aware(datetime.datetime(year, month, last_day, 23, 59, 59, 999999))


def default_month(rencana: RencanaAksi, today: datetime.date | None = None) -> int:
    """The current month for this year's plan, December for a past year, January for a
    future one."""
    today = today or timezone.localdate()
    if rencana.tahun < today.year:
        return 12
    if rencana.tahun > today.year:
        return 1
    return today.month


@dataclass(frozen=True)
class Moment:
    """The reference moment of a dashboard and how many months had ended by then."""

    tahun: int
    bulan: int
    at: datetime.datetime
    months_ended: int

    @property
    def label(self) -> str:
        """When the picture was taken, in words: the end of the month, or today."""
        from actionplan.enums import nama_bulan

        local = timezone.localtime(self.at)
        if self.at >= month_end(self.tahun, self.bulan):
            return f"akhir {nama_bulan(self.bulan)} {self.tahun}"
        return f"{local.day} {nama_bulan(local.month)} {local.year}"

    @property
    def cutoff(self) -> datetime.datetime:
        """What the queries count up to: the end of the month. For a month still running
        this is in the future, which counts the same events as "now" (none lie ahead)
        but also those committed a moment after this Moment was taken, so a result
        cached under a revision read later can never miss that revision's change."""
        return month_end(self.tahun, self.bulan)

    @property
    def key(self) -> str:
        """Identifies the picture for caches: a month's end is fixed; "now" changes what
        it shows only when a month ends (``months_ended``) or, for its label, a day."""
        if self.at >= month_end(self.tahun, self.bulan):
            return f"{self.tahun}-{self.bulan}-akhir"
        return f"{self.tahun}-{self.bulan}-{self.months_ended}-{timezone.localdate(self.at)}"

    @classmethod
    def of(cls, rencana: RencanaAksi, bulan: int, now: datetime.datetime | None = None) -> Moment:
        now = now or timezone.now()
        end = month_end(rencana.tahun, bulan)
        at = min(end, now)
        local = timezone.localtime(at)
        if local.year > rencana.tahun:
            ended = 12
        elif local.year < rencana.tahun:
            ended = 0
        else:
            # The month of the moment itself has ended only at its very last instant.
            ended = local.month if at == end else local.month - 1
        return cls(tahun=rencana.tahun, bulan=bulan, at=at, months_ended=min(ended, bulan))


def slots_with_state(rencana: RencanaAksi, moment: Moment) -> QuerySet[Slot]:
    """Every slot of the plan annotated with ``state`` (see the module docstring), using
    four correlated subqueries: one query whatever the plan's size."""
    return with_state(
        Slot.objects.filter(langkah_aksi__indikator__komponen__area__rencana=rencana), moment
    )


def _live(at: datetime.datetime) -> QuerySet[Bukti]:
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


def with_state(slots: QuerySet[Slot], moment: Moment) -> QuerySet[Slot]:
    """Annotate any set of slots (of plans of the moment's year) with their ``state``."""
    live = _live(moment.cutoff)
    return slots.annotate(
        approved_at=Subquery(
            Bukti.objects.filter(slot=OuterRef("pk"), status=StatusBukti.DISETUJUI).values(
                "diperiksa_pada"
            )[:1],
            output_field=DateTimeField(),
        ),
        live_exists=Exists(live),
        # The newest version that counted then; its status now tells what became of it
        # (reviewed after the moment, it was still waiting then).
        latest_status=Subquery(live.values("status")[:1], output_field=CharField()),
        latest_reviewed_at=Subquery(
            live.values("diperiksa_pada")[:1], output_field=DateTimeField()
        ),
    ).annotate(
        state=Case(
            When(approved_at__lte=moment.cutoff, then=Value(State.APPROVED)),
            When(
                latest_status=StatusBukti.DIKEMBALIKAN,
                latest_reviewed_at__lte=moment.cutoff,
                then=Value(State.RETURNED),
            ),
            When(live_exists=True, then=Value(State.SUBMITTED)),
            When(bulan__lte=moment.months_ended, then=Value(State.OVERDUE)),
            default=Value(State.NOT_DUE),
            output_field=CharField(),
        )
    )


METRICS = {
    "due": "Jatuh tempo",
    "submitted": "Sudah mengirim bukti",
    "approved": "Disetujui",
    "returned": "Dikembalikan",
    "overdue": "Terlambat",
}


def metric_filters(moment: Moment) -> dict[str, Q]:
    """Which slots each number counts; the lists behind the numbers use the same ones."""
    due = Q(bulan__lte=moment.bulan)
    return {
        "due": due,
        "submitted": due & Q(state__in=[State.SUBMITTED, State.RETURNED, State.APPROVED]),
        "approved": due & Q(state=State.APPROVED),
        "returned": due & Q(state=State.RETURNED),
        "overdue": due & Q(bulan__lte=moment.months_ended) & ~Q(state=State.APPROVED),
    }


def _counts(moment: Moment) -> dict[str, Count]:
    return {name: Count("pk", filter=q) for name, q in metric_filters(moment).items()}


@dataclass
class Counts:
    due: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    overdue: int = 0

    @property
    def approved_pct(self) -> float | None:
        return round(100 * self.approved / self.due, 1) if self.due else None

    @property
    def submitted_pct(self) -> float | None:
        return round(100 * self.submitted / self.due, 1) if self.due else None


TrendPoint = tuple[int, float | None, float | None]


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
    counts = _counts(moment)
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


def plan_trend(
    rencana: RencanaAksi, moment: Moment
) -> list[tuple[int, float | None, float | None]]:
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
        slots = slots.annotate(**{f"live_{m}": Exists(_live(end))})
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
    from actionplan.selectors import lampiran_rows

    states = {
        (langkah_id, bulan): state
        for langkah_id, bulan, state in slots_with_state(rencana, moment).values_list(
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
        qs = qs.filter(langkah_aksi__indikator__komponen__area__nomor=area)
    if tim:
        qs = qs.filter(langkah_aksi__tim_id=tim)
    return qs.select_related(
        "langkah_aksi__indikator__komponen__area", "langkah_aksi__tim"
    ).order_by(
        "langkah_aksi__indikator__komponen__area__nomor",
        "langkah_aksi__indikator__komponen__nomor",
        "langkah_aksi__indikator__urutan",
        "langkah_aksi__urutan",
        "bulan",
    )


def my_tasks(rencana: RencanaAksi, moment: Moment, *, team_ids: set[int]) -> dict[str, list]:
    """A member's work in the plan: slots of their teams' steps due in the moment's month
    with nothing sent yet, overdue ones with nothing sent, and returned ones. One query."""
    slots = (
        slots_with_state(rencana, moment)
        .filter(langkah_aksi__tim_id__in=team_ids)
        .filter(
            Q(bulan=moment.bulan, state=State.NOT_DUE)
            | Q(state__in=[State.OVERDUE, State.RETURNED])
        )
        .select_related("langkah_aksi__indikator__komponen__area", "langkah_aksi__tim")
        .order_by(
            "bulan",
            "langkah_aksi__indikator__komponen__area__nomor",
            "langkah_aksi__indikator__komponen__nomor",
            "langkah_aksi__indikator__urutan",
        )
    )
    tasks: dict[str, list] = {"bulan_ini": [], "terlambat": [], "dikembalikan": []}
    for slot in slots:
        if slot.state == State.RETURNED:
            tasks["dikembalikan"].append(slot)
        elif slot.state == State.OVERDUE:
            tasks["terlambat"].append(slot)
        else:
            tasks["bulan_ini"].append(slot)
    return tasks


@dataclass
class UnitProgress:
    rencana: RencanaAksi
    counts: Counts


def rollup(plans: QuerySet[RencanaAksi], moment: Moment) -> list[UnitProgress]:
    """Counts per plan for many units of one year: the plans in one query, then each
    plan's counts from the cache (keyed on its revision and the moment), the missing
    ones computed together in one more query."""
    plan_list = list(plans.select_related("satuan_kerja__induk"))
    keys = {plan.pk: f"rekap:{plan.pk}:{plan.revisi}:{moment.key}" for plan in plan_list}
    cached = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        counts = _counts(moment)
        slots = with_state(
            Slot.objects.filter(langkah_aksi__indikator__komponen__area__rencana__in=missing),
            moment,
        )
        computed = {pk: Counts() for pk in missing}
        for row in (
            slots.values(rencana_id=F("langkah_aksi__indikator__komponen__area__rencana"))
            .annotate(**counts)
            .order_by()
        ):
            plan_id = row.pop("rencana_id")
            computed[plan_id] = Counts(**row)
        fresh = {keys[pk]: value for pk, value in computed.items()}
        cache.set_many(fresh, timeout=CACHE_SECONDS)
        cached.update(fresh)
    return [UnitProgress(plan, cached[keys[plan.pk]]) for plan in plan_list]


def group_by_step(slots: list) -> list[dict]:
    """Slots (already in document order) grouped under their step."""
    groups: dict[int, dict] = {}
    for slot in slots:
        group = groups.setdefault(slot.langkah_aksi_id, {"langkah": slot.langkah_aksi, "bulan": []})
        group["bulan"].append(slot.bulan)
    return list(groups.values())


class Dasbor:
    """Everything the leadership dashboard shows, each part computed on first use, so a
    page served from the fragment cache (keyed on the plan's revision and the moment)
    runs none of these queries."""

    CACHE_SECONDS = CACHE_SECONDS

    def __init__(self, rencana: RencanaAksi, moment: Moment) -> None:
        self.rencana, self.moment = rencana, moment

    @property
    def cache_key(self) -> list:
        return [self.rencana.pk, self.rencana.revisi, self.moment.key]

    @cached_property
    def progress(self) -> Progress:
        return plan_progress(self.rencana, self.moment)

    @cached_property
    def grid(self) -> list[dict]:
        return plan_grid(self.rencana, self.moment)

    @cached_property
    def overdue_steps(self) -> list[dict]:
        return group_by_step(list(slot_list(self.rencana, self.moment, metric="overdue")))

    @cached_property
    def chart(self):  # type: ignore[no-untyped-def]
        from actionplan.charts import trend_chart

        return trend_chart(self.progress.trend)


class Rekap:
    """The roll-up of many units for a month, sorted by name or worst first. Its rows are
    computed on first use, so a page served from the fragment cache reads one aggregate
    row and nothing per unit.

    ``plans`` are the listed plans: those of ``tahun`` in the units that ``scope`` names
    (a string that changes whenever the set of watched units can, e.g. the viewer's role
    units) matching the search. The cache key aggregates every plan of the year: the
    count and the sum of the ids change when a plan comes or goes, the newest revision
    with any change (a revision is set to at least the current time in microseconds),
    the sum of the revisions modulo a prime with any change even if the clock went back;
    a unit moved or renamed raises its plans' revisions. So one change anywhere in the
    year recomputes the page, but only the changed plan's counts (rollup's own cache)."""

    CACHE_SECONDS = CACHE_SECONDS

    def __init__(
        self,
        plans: Callable[[], QuerySet[RencanaAksi]],
        moment: Moment,
        *,
        urut: str,
        scope: str,
        searching: bool = False,
    ) -> None:
        # ``plans`` builds the queryset only when the rows are needed: building its
        # filters alone took a third of a cached page's time.
        self._plans, self.moment, self.urut, self.scope = plans, moment, urut, scope
        self.searching = searching

    @property
    def cache_seconds(self) -> int:
        """Searches are not cached (0): free text would let one viewer fill the memory
        with pages; each plan's counts are still taken from the cache."""
        return 0 if self.searching else CACHE_SECONDS

    @cached_property
    def _digest(self) -> dict:
        """One row over the plans table, in SQL (the ORM took longer to compile these
        conditional aggregates than the database took to run them)."""
        q = connection.ops.quote_name
        table = q(RencanaAksi._meta.db_table)
        year, pk, revisi = q("tahun"), q("id"), q("revisi")
        sql = (
            f"SELECT COUNT(CASE WHEN {year} = %s THEN 1 END), "
            f"SUM(CASE WHEN {year} = %s THEN {pk} END), "
            f"MAX(CASE WHEN {year} = %s THEN {revisi} END), "
            f"SUM(CASE WHEN {year} = %s THEN {revisi} %% 1000000007 END), "
            f"MIN({year}), MAX({year}) FROM {table}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.moment.tahun] * 4)
            row = cursor.fetchone()
        return dict(
            zip(("n", "ids", "newest", "total", "first_year", "last_year"), row, strict=True)
        )

    @property
    def years(self) -> list[int]:
        """From the first to the last year that has plans (and this one), newest first, for
        the year choice."""
        d = self._digest
        years = {timezone.localdate().year, self.moment.tahun}
        if d["first_year"] is not None:
            years |= set(range(d["first_year"], d["last_year"] + 1))
        return sorted(years, reverse=True)

    @property
    def cache_key(self) -> str:
        d = self._digest
        parts = (d["n"], d["ids"], d["newest"], d["total"], self.moment.key, self.urut)
        return f"{self.scope}:{':'.join(map(str, parts))}"

    @cached_property
    def rows(self) -> list[UnitProgress]:
        rows = rollup(self._plans(), self.moment)
        if self.urut == "terburuk":
            rows.sort(key=lambda r: (r.counts.approved_pct is None, r.counts.approved_pct or 0))
        else:
            rows.sort(key=lambda r: r.rencana.satuan_kerja.nama)
        return rows
