"""Who gets what through which channel: a user's address, number and choices, read
for many users at once (two queries whatever their number)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from actionplan.notifications.enums import BAWAAN, Kanal
from actionplan.notifications.models import Preferensi


@dataclass(frozen=True)
class Penerima:
    id: int
    nama: str
    email: str
    telepon: str
    pilihan: frozenset[tuple[str, str]]  # (jenis, kanal) switched on

    def mau(self, jenis: str, kanal: str) -> bool:
        """Whether this person gets ``jenis`` through ``kanal`` (and can: an address, a
        number and a configured gateway)."""
        if kanal == Kanal.EMAIL and not self.email:
            return False
        if kanal == Kanal.WA and not (self.telepon and settings.ZI_WA_PROVIDER):
            return False
        return (jenis, kanal) in self.pilihan


def pilihan_of(rows: Iterable[tuple[str, str, bool]]) -> frozenset[tuple[str, str]]:
    """The defaults overridden by the user's own rows (jenis, kanal, aktif)."""
    chosen = {(jenis, kanal) for jenis, kanals in BAWAAN.items() for kanal in kanals}
    for jenis, kanal, aktif in rows:
        if aktif:
            chosen.add((jenis, kanal))
        else:
            chosen.discard((jenis, kanal))
    return frozenset(chosen)


def penerima_map(user_ids: Iterable[int]) -> dict[int, Penerima]:
    """Active users among ``user_ids`` with their address, number and choices."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    for user_id, jenis, kanal, aktif in Preferensi.objects.filter(user_id__in=ids).values_list(
        "user_id", "jenis", "kanal", "aktif"
    ):
        rows[user_id].append((jenis, kanal, aktif))
    users = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list(
            "pk", "first_name", "last_name", "username", "email", "profil_notifikasi__telepon"
        )
    )
    return {
        pk: Penerima(
            id=pk,
            nama=f"{first} {last}".strip() or username,
            email=email,
            telepon=telepon or "",
            pilihan=pilihan_of(rows.get(pk, [])),
        )
        for pk, first, last, username, email, telepon in users
    }
