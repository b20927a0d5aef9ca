"""The roll-up: many units' numbers for one month, for provincial and national leaders."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet

from actionplan.models import RencanaAksi, Slot
from actionplan.progress.moment import CACHE_SECONDS, Moment, revision_key
from actionplan.progress.states import Counts, counts_of, with_state


@dataclass
class UnitProgress:
    """One row of the roll-up: a plan, its unit and parent unit by name, its counts."""

    rencana_id: int
    unit: str
    induk: str | None
    counts: Counts


def rollup(
    plans: QuerySet[RencanaAksi], moment: Moment, *, urut: str = "nama"
) -> list[UnitProgress]:
    """Counts per plan for many units of one year, by name or worst first: the plans in
    one query, then each plan's counts from the cache (keyed on its revision and the
    moment), the missing ones computed together in one more query."""
    # Plain rows of only what the rows show and their keys need: a national roll-up reads
    # 500 plans, and building model instances for them was a third of its time.
    plan_rows = list(
        plans.values_list(
            "pk", "revisi", "revisi_rencana", "satuan_kerja__nama", "satuan_kerja__induk__nama"
        )
    )
    history, moment_key = moment.is_history(), moment.key
    keys = {
        pk: f"rekap:{pk}:{revision_key(history, revisi, rencana)}:{moment_key}"
        for pk, revisi, rencana, _, _ in plan_rows
    }
    cached = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        computed = {pk: Counts() for pk in missing}
        # Slots counted per plan, month and state, summed here (``counts_of``): the state
        # expression is compiled once, not once per number (seven times, 15 KB of SQL).
        rows = (
            # "rencana_id" is an annotation of with_plan_id(), which the stubs cannot follow.
            with_state(  # type: ignore[misc]
                Slot.objects.of_plans(missing).filter(bulan__lte=moment.bulan), moment
            )
            .with_plan_id()
            .values_list("rencana_id", "bulan", "state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for plan_id, bulan, state, n in rows:
            computed[plan_id].add(counts_of(bulan, state, n, moment))
        fresh = {keys[pk]: value for pk, value in computed.items()}
        cache.set_many(fresh, timeout=CACHE_SECONDS)
        cached.update(fresh)
    result = [
        UnitProgress(pk, unit, induk, cached[keys[pk]]) for pk, _, _, unit, induk in plan_rows
    ]
    if urut == "terburuk":
        result.sort(key=lambda r: (r.counts.approved_pct is None, r.counts.approved_pct or 0))
    else:
        result.sort(key=lambda r: r.unit)
    return result


@dataclass(frozen=True)
class YearDigest:
    """One aggregate row over the plans: what the roll-up page's cache key needs and the
    range of years for its year choice."""

    plans: int  # plans of the year: changes when one comes or goes
    revisions: int  # sum of their revisions: grows with any change to any of them
    first_year: int | None
    last_year: int | None


def year_digest(tahun: int) -> YearDigest:
    """Every change of a plan raises its revision by at least one (actionplan.revisions),
    so the sum moves with any change; microsecond revisions sum within a 64-bit integer
    up to some 5,000 plans a year (KPU has 552 units).

    Written in SQL because every roll-up page runs it, cached or not: the same aggregate
    through the ORM took 1.2 ms per call against 0.3 ms for this text (SQLite, national
    data set of ``generate_demo_data --units 514``)."""
    q = connection.ops.quote_name
    year, revisi = q("tahun"), q("revisi")
    sql = (
        f"SELECT COUNT(CASE WHEN {year} = %s THEN 1 END), "
        f"COALESCE(SUM(CASE WHEN {year} = %s THEN {revisi} END), 0), "
        f"MIN({year}), MAX({year}) FROM {q(RencanaAksi._meta.db_table)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tahun, tahun])
        plans, revisions, first_year, last_year = cursor.fetchone()
    return YearDigest(int(plans), int(revisions), first_year, last_year)
