"""Writes to the plan. Every change of a step's schedule goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from actionplan.models import LangkahAksi, Slot


@transaction.atomic
def langkah_aksi_set_bulan(*, langkah: LangkahAksi, bulan: Iterable[int]) -> list[int]:
    """Make the step's schedule exactly ``bulan`` (months 1-12), adding and removing
    slots as needed; months already scheduled keep their slot (and what hangs on it)."""
    wanted = set(bulan)
    invalid = sorted(b for b in wanted if not 1 <= b <= 12)
    if invalid:
        raise ValidationError(
            f"Bulan pelaksanaan harus 1 sampai 12; tidak valid: {', '.join(map(str, invalid))}."
        )
    current = set(langkah.jadwal.values_list("bulan", flat=True))
    if removed := current - wanted:
        langkah.jadwal.filter(bulan__in=removed).delete()
    Slot.objects.bulk_create(
        [Slot(langkah_aksi=langkah, bulan=b) for b in sorted(wanted - current)]
    )
    return sorted(wanted)
