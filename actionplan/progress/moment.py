"""The moment a picture of progress is taken.

- A slot (a step's scheduled month) is **due** at month M when its month is ≤ M.
- The **reference moment** of a dashboard for (year, M) is the end of month M, or now if
  that is still in the future. Evidence counts only if it happened by then, so a past
  month shows the picture as it stood at its end.
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


def chosen_month(raw: str, rencana: RencanaAksi) -> int:
    """The month asked for in a page's ``?bulan=`` (1-12), else the plan's default."""
    if re.fullmatch(r"[0-9]{1,2}", raw) and 1 <= int(raw) <= 12:
        return int(raw)
    return default_month(rencana)
