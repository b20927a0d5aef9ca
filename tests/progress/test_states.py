"""Progress numbers against hand-computed expectations.

The plan (2024, a past year) and its evidence, every timestamp chosen by hand:

    S1 area I, team A, months 1 2 3
       Jan: uploaded 15 Jan, approved 20 Jan
       Feb: v1 uploaded 10 Feb, returned 12 Feb; v2 uploaded 5 Mar (late), approved 6 Mar
       Mar: nothing
    S2 area I, team B, months 2 4
       Feb: uploaded 28 Feb, never reviewed
       Apr: uploaded 3 May (late), never reviewed
    S3 area II, team A, no months at all
    S4 area II, team B, month 1
       Jan: uploaded 31 Jan 17:30 UTC = 1 Feb 00:30 in Jakarta (so: February, late),
            approved 2 Feb
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

import pytest

from actionplan.progress.dashboard import plan_grid, plan_progress, slot_list
from actionplan.progress.moment import Moment
from actionplan.progress.states import State, count_aggregates, slots_with_state
from evidence.enums import StatusBukti
from evidence.services import is_late
from tests.factories import (
    AreaPerubahanFactory,
    BuktiFactory,
    IndikatorFactory,
    KomponenFactory,
    LangkahAksiFactory,
    RencanaAksiFactory,
    TimKerjaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2024, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def plan():
    rencana = RencanaAksiFactory(tahun=2024)
    unit = rencana.satuan_kerja
    tim_a = TimKerjaFactory(satuan_kerja=unit, nama="TIM A", urutan=1)
    tim_b = TimKerjaFactory(satuan_kerja=unit, nama="TIM B", urutan=2)
    area_1 = AreaPerubahanFactory(rencana=rencana, nomor=1, nama_singkat="Satu")
    area_2 = AreaPerubahanFactory(rencana=rencana, nomor=2, nama_singkat="Dua")
    k1 = KomponenFactory(area=area_1, nomor=1)
    k2 = KomponenFactory(area=area_2, nomor=1)

    def step(komponen, urutan, tim, bulan):
        return LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=urutan),
            urutan=1,
            tim=tim,
            bulan=bulan,
        )

    s1 = step(k1, 1, tim_a, [1, 2, 3])
    s2 = step(k1, 2, tim_b, [2, 4])
    s3 = step(k2, 1, tim_a, [])
    s4 = step(k2, 2, tim_b, [1])
    member, reviewer = UserFactory(), UserFactory()

    def bukti(langkah, bulan, versi, status, uploaded, reviewed=None):
        return BuktiFactory(
            slot=langkah.jadwal.get(bulan=bulan),
            versi=versi,
            status=status,
            diunggah_oleh=member,
            diunggah_pada=uploaded,
            diperiksa_oleh=reviewer if reviewed else None,
            diperiksa_pada=reviewed,
        )

    bukti(s1, 1, 1, StatusBukti.DISETUJUI, at(1, 15), at(1, 20))
    bukti(s1, 2, 1, StatusBukti.DIKEMBALIKAN, at(2, 10), at(2, 12))
    bukti(s1, 2, 2, StatusBukti.DISETUJUI, at(3, 5), at(3, 6))
    bukti(s2, 2, 1, StatusBukti.DIAJUKAN, at(2, 28))
    bukti(s2, 4, 1, StatusBukti.DIAJUKAN, at(5, 3))
    bukti(s4, 1, 1, StatusBukti.DISETUJUI, at(1, 31, 17, 30), at(2, 2))
    return {
        "rencana": rencana,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "tim_a": tim_a,
        "tim_b": tim_b,
    }


def _totals(progress):
    t = progress.total
    return (t.due, t.submitted, t.approved, t.returned, t.overdue)


def test_past_year_whole_year(plan):
    progress = plan_progress(plan["rencana"], Moment.of(plan["rencana"], 12))
    assert _totals(progress) == (6, 5, 3, 0, 3)
    assert (progress.total.approved_pct, progress.total.submitted_pct) == (50.0, 83.3)
    per_area = [
        (nomor, nama, (c.due, c.submitted, c.approved, c.returned, c.overdue))
        for nomor, nama, c in progress.per_area
    ]
    assert per_area == [(1, "Satu", (5, 4, 2, 0, 3)), (2, "Dua", (1, 1, 1, 0, 0))]
    per_team = [
        (nama, (c.due, c.submitted, c.approved, c.returned, c.overdue))
        for _pk, nama, c in progress.per_team
    ]
    assert per_team == [("TIM A", (3, 2, 2, 0, 1)), ("TIM B", (3, 3, 1, 0, 2))]


def test_march_as_it_stood_at_the_end_of_march(plan):
    progress = plan_progress(plan["rencana"], Moment.of(plan["rencana"], 3))
    assert _totals(progress) == (5, 4, 3, 0, 2)
    assert (progress.total.approved_pct, progress.total.submitted_pct) == (60.0, 80.0)


def test_february_shows_the_return_that_was_later_fixed(plan):
    progress = plan_progress(plan["rencana"], Moment.of(plan["rencana"], 2))
    assert _totals(progress) == (4, 4, 2, 1, 2)


def test_month_boundary_is_jakarta_time(plan):
    """S4's upload at 31 Jan 17:30 UTC is 1 Feb in Jakarta: January ends without it."""
    progress = plan_progress(plan["rencana"], Moment.of(plan["rencana"], 1))
    assert _totals(progress) == (2, 1, 1, 0, 1)
    slot = plan["s4"].jadwal.get(bulan=1)
    assert is_late(slot, at(1, 31, 17, 30)) is True
    assert is_late(slot, at(1, 31, 16, 59)) is False


def test_trend_month_by_month(plan):
    progress = plan_progress(plan["rencana"], Moment.of(plan["rencana"], 12))
    assert progress.trend == [
        (1, 50.0, 50.0),
        (2, 50.0, 100.0),
        (3, 60.0, 80.0),
        (4, 50.0, 66.7),
        *[(m, 50.0, 83.3) for m in range(5, 13)],
    ]


def test_grid_states_and_the_step_without_months(plan):
    grid = plan_grid(plan["rencana"], Moment.of(plan["rencana"], 12))
    cells = {row["langkah"].pk: dict(row["cells"]) for row in grid}
    s1, s2, s3, s4 = (plan[k].pk for k in ("s1", "s2", "s3", "s4"))
    assert [cells[s1][m] for m in (1, 2, 3)] == [State.APPROVED, State.APPROVED, State.OVERDUE]
    assert [cells[s2][m] for m in (2, 4)] == [State.SUBMITTED, State.SUBMITTED]
    assert set(cells[s3].values()) == {None}
    assert cells[s4][1] == State.APPROVED
    assert cells[s1][4] is None
    grid_feb = plan_grid(plan["rencana"], Moment.of(plan["rencana"], 2))
    feb = {row["langkah"].pk: dict(row["cells"]) for row in grid_feb}
    assert feb[s1][2] == State.RETURNED
    assert feb[s1][3] == State.NOT_DUE
    assert feb[s2][4] == State.NOT_DUE


def test_current_month_is_due_but_not_yet_overdue():
    rencana = RencanaAksiFactory(tahun=2025)
    langkah = LangkahAksiFactory(
        indikator=IndikatorFactory(
            komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=rencana, nomor=1))
        ),
        bulan=[2, 3],
    )
    now = datetime.datetime(2025, 3, 15, 5, 0, tzinfo=UTC)
    moment = Moment.of(rencana, 3, now=now)
    assert (moment.at, moment.months_ended) == (now, 2)
    progress = plan_progress(rencana, moment)
    assert _totals(progress) == (2, 0, 0, 0, 1)
    grid = {m: s for m, s in plan_grid(rencana, moment)[0]["cells"] if s}
    assert grid == {2: State.OVERDUE, 3: State.DUE_NOW}
    # A month after the one still running is not yet due at all.
    later = plan_grid(rencana, Moment.of(rencana, 4, now=now))[0]["cells"]
    assert [s for _, s in later if s] == [State.OVERDUE, State.DUE_NOW]
    assert langkah.bulan == [2, 3]


def test_lists_behind_the_numbers_match_the_numbers(plan):
    rencana = plan["rencana"]
    moment = Moment.of(rencana, 12)
    progress = plan_progress(rencana, moment)
    for metric in ("due", "submitted", "approved", "returned", "overdue"):
        assert slot_list(rencana, moment, metric=metric).count() == getattr(progress.total, metric)
    overdue = slot_list(rencana, moment, metric="overdue", tim=plan["tim_b"].pk)
    assert [(s.langkah_aksi_id, s.bulan) for s in overdue] == [
        (plan["s2"].pk, 2),
        (plan["s2"].pk, 4),
    ]
    assert slot_list(rencana, moment, metric="due", area=2).count() == 1


@pytest.mark.parametrize("bulan", range(1, 13))
def test_numbers_summed_in_python_equal_the_counts_in_sql(plan, bulan):
    """plan_progress sums the states with counts_of; the lists behind the numbers filter
    with metric_filters: the same numbers at every month, in total, per area, per team."""
    rencana = plan["rencana"]
    moment = Moment.of(rencana, bulan)
    progress = plan_progress(rencana, moment)
    slots = slots_with_state(rencana, moment)
    assert asdict(progress.total) == slots.aggregate(**count_aggregates(moment))
    for nomor, _, counts in progress.per_area:
        assert asdict(counts) == slots.in_area(nomor).aggregate(**count_aggregates(moment))
    for tim_id, _, counts in progress.per_team:
        in_team = slots.filter(langkah_aksi__tim_id=tim_id)
        assert asdict(counts) == in_team.aggregate(**count_aggregates(moment))
    assert [nama for _, nama, _ in progress.per_team] == ["TIM A", "TIM B"]


def test_empty_plan_has_no_percentages():
    rencana = RencanaAksiFactory(tahun=2024)
    progress = plan_progress(rencana, Moment.of(rencana, 12))
    assert _totals(progress) == (0, 0, 0, 0, 0)
    assert progress.total.approved_pct is None
    assert progress.trend == [(m, None, None) for m in range(1, 13)]
