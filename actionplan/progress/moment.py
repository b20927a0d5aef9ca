"""The moment a picture of progress is taken.

- A slot (a step's scheduled month) is **due** at month M when its month is ≤ M.
- By default a dashboard shows the **current state** ("keadaan saat ini"): every month of
  the plan up to now, and all evidence sent, returned and approved up to now, also for a
  past year's plan (December's evidence is reviewed in January).
- For the monev meeting it can show the picture **as it stood at the end of month M**:
  evidence counts only if it happened by then (or now, if that end is still ahead).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from actionplan.enums import nama_bulan
from actionplan.models import RencanaAksi

# Cached results carry the plan's revision in their key, so they are never stale; the
# timeout only bounds how long unused ones stay in the cache.
CACHE_SECONDS = 24 * 3600
# How long after a month's end its picture is taken to be final: an upload begun before
# the end (its time stamped then) may still be committing just after it.
SETTLED_AFTER = datetime.timedelta(minutes=10)


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
    current: bool = False  # the current state, not the end of a chosen month

    @property
    def label(self) -> str:
        """When the picture was taken, in words: the end of the month, or today."""
        local = timezone.localtime(self.at)
        if self.at >= month_end(self.tahun, self.bulan):
            return f"akhir {nama_bulan(self.bulan)} {self.tahun}"
        return f"{local.day} {nama_bulan(local.month)} {local.year}"

    @property
    def cutoff(self) -> datetime.datetime:
        """What the queries count up to: the end of the month. For a month still running
        this is in the future, which counts the same events as "now" (none lie ahead)
        but also those committed a moment after this Moment was taken, so a result
        cached under a revision read later can never miss that revision's change. For the
        current state: the end of the present month."""
        if self.current:
            local = timezone.localtime(self.at)
            return month_end(local.year, local.month)
        return month_end(self.tahun, self.bulan)

    def is_history(self, now: datetime.datetime | None = None) -> bool:
        """Whether this is the end of a month that lies behind us (by ``SETTLED_AFTER``):
        its picture changes only with the plan's rows or with evidence entered
        afterwards with a past time, both of which raise ``revisi_rencana``; an upload,
        review or withdrawal today is stamped after the cutoff and counts nowhere in it."""
        return not self.current and self.cutoff <= (now or timezone.now()) - SETTLED_AFTER

    @property
    def running_month(self) -> int | None:
        """The plan's month still running at this moment, if it is one of the months
        the picture counts (a slot of it with nothing sent is due, not yet late)."""
        local = timezone.localtime(self.at)
        running = self.months_ended + 1
        if local.year != self.tahun or running > self.bulan:
            return None
        return running

    @property
    def query(self) -> str:
        """The query string that asks for this picture again ("" for the current state)."""
        return "" if self.current else f"bulan={self.bulan}"

    @property
    def key(self) -> str:
        """Identifies the picture for caches: a month's end is fixed; "now" changes what
        it shows only when a month ends (``months_ended``) or, for its label, a day."""
        if self.current:
            return f"{self.tahun}-kini-{self.months_ended}-{timezone.localdate(self.at)}"
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

    @classmethod
    def now(cls, rencana: RencanaAksi, now: datetime.datetime | None = None) -> Moment:
        """The current state of the plan: every month due so far (all twelve for a past
        year), every event up to now."""
        now = now or timezone.now()
        local = timezone.localtime(now)
        if rencana.tahun < local.year:
            bulan, ended = 12, 12
        elif rencana.tahun > local.year:
            bulan, ended = 1, 0
        else:
            bulan, ended = local.month, local.month - 1
        return cls(tahun=rencana.tahun, bulan=bulan, at=now, months_ended=ended, current=True)


def asked_month(raw: str) -> int | None:
    """The month asked for in a page's ``?bulan=`` (1-12), or None."""
    if re.fullmatch(r"[0-9]{1,2}", raw) and 1 <= int(raw) <= 12:
        return int(raw)
    return None


def chosen_month(raw: str, rencana: RencanaAksi) -> int:
    """The month asked for in a page's ``?bulan=`` (1-12), else the plan's default."""
    return asked_month(raw) or default_month(rencana)


def chosen_moment(raw: str, rencana: RencanaAksi) -> Moment:
    """The end of the month asked for in ``?bulan=``, else the current state."""
    bulan = asked_month(raw)
    return Moment.now(rencana) if bulan is None else Moment.of(rencana, bulan)


def picture_revision(rencana: RencanaAksi, moment: Moment) -> str:
    """What a picture of the plan at ``moment`` is cached under: the plan's
    ``revisi_rencana`` for a month's end behind us (``Moment.is_history``: today's
    uploads leave it cached), else its ``revisi`` (every change of its evidence)."""
    return revision_key(moment.is_history(), rencana.revisi, rencana.revisi_rencana)


def revision_key(history: bool, revisi: int, revisi_rencana: int) -> str:
    """``picture_revision`` from a plan's two revisions, for callers that read many plans
    as plain rows and ask ``is_history`` once (the roll-up)."""
    return f"h{revisi_rencana}" if history else f"r{revisi}"
