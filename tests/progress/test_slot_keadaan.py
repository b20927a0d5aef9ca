"""The state each slot keeps (``keadaan``, ``keadaan_pada``, written by evidence's
services in the transaction of each change) gives, for every moment, the same state as
reading the slot's versions, and the dashboard's trend from cache equals the trend
counted afresh. Histories are random (seeded) sequences of uploads, reviews and
withdrawals spread over the year on the pinned clock."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplan.enums import KeadaanSlot
from actionplan.models import Slot
from actionplan.progress.dashboard import _trend_points, plan_progress, plan_trend, trend_months
from actionplan.progress.moment import Moment
from actionplan.progress.states import settled, slots_with_state, with_state
from evidence.enums import StatusBukti
from evidence.models import Bukti
from evidence.services import bukti_review, bukti_submit, bukti_withdraw, slot_states_refresh
from tests import files

pytestmark = pytest.mark.django_db


def _history(world, clock, seed: int) -> None:
    """Random evidence for the plan's slots between January and the pinned June day."""
    rng = random.Random(seed)
    slots = list(Slot.objects.of_plan(world.rencana).order_by("pk"))
    year = world.today.year
    moments = sorted(
        datetime.datetime(year, 1, 1, 8, tzinfo=datetime.UTC)
        + datetime.timedelta(hours=rng.randint(0, 24 * 160))
        for _ in range(40)
    )
    for at in moments:
        clock.move_to(at)
        slot = rng.choice(slots)
        waiting = Bukti.objects.filter(slot=slot, status=StatusBukti.DIAJUKAN).first()
        roll = rng.random()
        try:
            if waiting is not None and roll < 0.35:
                bukti_review(
                    bukti=waiting,
                    oleh=world.users["reviewer"],
                    keputusan=rng.choice([StatusBukti.DISETUJUI, StatusBukti.DIKEMBALIKAN]),
                    catatan="Lengkapi.",
                )
            elif waiting is not None and roll < 0.5:
                bukti_withdraw(bukti=waiting, oleh=world.users["anggota"])
            else:
                member = "anggota" if slot.langkah_aksi.tim_id == world.tim_a.pk else "anggota_lain"
                bukti_submit(
                    slot=slot, files=[files.pdf()], tautan="", catatan="", oleh=world.users[member]
                )
        except ValidationError as exc:  # an approved slot refuses a new upload
            assert "sudah disetujui" in str(exc), exc
    clock.move_to(datetime.datetime(year, 6, 15, 3, tzinfo=datetime.UTC))


def _states(moment: Moment, world) -> dict[int, str]:
    return dict(
        with_state(Slot.objects.of_plan(world.rencana), moment).values_list("pk", "state")  # type: ignore[misc]
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kept_state_gives_the_state_the_versions_give_at_every_moment(world, clock, seed):
    _history(world, clock, seed)
    slots = Slot.objects.of_plan(world.rencana)
    kept = dict(slots.values_list("pk", "keadaan"))
    # The time of each touched slot's last change, as the services kept it.
    kept_at = dict(slots.filter(bukti__isnull=False).distinct().values_list("pk", "keadaan_pada"))
    assert set(kept.values()) - {KeadaanSlot.KOSONG}, "the history wrote some evidence"
    moments = [Moment.of(world.rencana, m) for m in range(1, 13)] + [Moment.now(world.rencana)]
    # With the kept state (each slot takes it for moments after its last change)…
    mixed = {moment.key: _states(moment, world) for moment in moments}
    # …and the same moments read from the versions alone.
    slots.update(keadaan_pada=None)
    from_versions = {moment.key: _states(moment, world) for moment in moments}
    assert mixed == from_versions
    # Recomputed in bulk, the kept state is what the services had kept.
    slot_states_refresh(slots)
    assert dict(slots.values_list("pk", "keadaan")) == kept
    assert (
        kept_at and dict(slots.filter(pk__in=kept_at).values_list("pk", "keadaan_pada")) == kept_at
    )
    # The current state needs no version at all, and agrees.
    now = Moment.now(world.rencana)
    assert settled(slots, now)
    fast = dict(slots_with_state(world.rencana, now).values_list("pk", "state"))  # type: ignore[misc]
    assert fast == from_versions[now.key]


def test_a_slot_never_refreshed_is_read_from_its_versions(world):
    world.submit()
    Slot.objects.filter(pk=world.slot.pk).update(keadaan=KeadaanSlot.KOSONG, keadaan_pada=None)
    moment = Moment.now(world.rencana)
    assert not settled(Slot.objects.of_plan(world.rencana), moment)
    states = dict(slots_with_state(world.rencana, moment).values_list("pk", "state"))  # type: ignore[misc]
    assert states[world.slot.pk] == "diajukan"


@pytest.mark.parametrize("seed", [5, 6])
def test_the_trend_from_cache_and_totals_equals_the_trend_counted_afresh(world, clock, seed):
    _history(world, clock, seed)
    for moment in (Moment.now(world.rencana), Moment.of(world.rencana, 4)):
        months = list(trend_months(world.rencana, moment))
        fresh = _trend_points(world.rencana, moment, months)
        caches["default"].clear()
        total = plan_progress(world.rencana, moment).total
        first = plan_trend(world.rencana, moment, total)  # fills the cache
        again = plan_trend(world.rencana, moment, total)  # ended months from the cache
        assert first == again == [fresh[m] for m in months]


def test_evidence_entered_with_a_past_time_refreshes_the_cached_trend(world, clock):
    world.rencana.refresh_from_db()
    moment = Moment.now(world.rencana)
    before = plan_trend(world.rencana, moment)
    slot = world.langkah.jadwal.get(bulan=2)
    past = timezone.now() - datetime.timedelta(days=120)  # in February
    bukti_submit(
        slot=slot,
        files=[files.pdf()],
        tautan="",
        catatan="",
        oleh=world.users["anggota"],
        pada=past,
    )
    world.rencana.refresh_from_db()
    after = plan_trend(world.rencana, moment)
    assert after != before
    months = list(trend_months(world.rencana, moment))
    assert after == list(_trend_points(world.rencana, moment, months).values())


@pytest.mark.parametrize("seed", [7, 8])
def test_the_dashboards_missing_months_are_the_missing_numbers_slots(world, clock, seed):
    from actionplan.progress.dashboard import dashboard, slot_list

    _history(world, clock, seed)
    for moment in (Moment.now(world.rencana), Moment.of(world.rencana, 3)):
        body = dashboard(world.rencana, moment)
        shown = [(item["step"].pk, b) for item in body["missing_steps"] for b in item["bulan"]]
        listed = [
            (s.langkah_aksi_id, s.bulan) for s in slot_list(world.rencana, moment, metric="missing")
        ]
        assert shown == listed
        assert len(shown) == body["progress"].total.missing
