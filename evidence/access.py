"""Access to evidence, decided by ``actionplan.access.Akses`` (see there for the roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplan.access import Akses, by_pk, langkah_for_user, unit_of_langkah
from actionplan.models import Slot
from evidence.models import BerkasBukti, Bukti

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

AksiBukti = Literal["lihat", "review", "tarik"]


def bukti_for_user(user: User | AnonymousUser, pk: int, *, aksi: AksiBukti = "lihat") -> Bukti:
    """A submission the user may see (else 404), and may review or withdraw when asked
    (else 403)."""
    bukti = by_pk(Bukti.objects.with_plan(), pk)
    akses = Akses.of(user)
    if bukti is None:
        raise Http404("Bukti tidak ditemukan.")
    langkah = bukti.slot.langkah_aksi
    unit_id = unit_of_langkah(langkah)
    if not akses.can_read_unit(unit_id):
        raise Http404("Bukti tidak ditemukan.")
    if aksi == "review" and not akses.can_review(unit_id):
        raise PermissionDenied("Hanya reviewer (TPI) dan admin yang dapat mereview bukti.")
    if aksi == "tarik" and not akses.can_upload(langkah, unit_id):
        raise PermissionDenied("Hanya anggota tim penanggung jawab yang dapat menarik bukti ini.")
    return bukti


def berkas_for_user(user: User | AnonymousUser, pk: int) -> BerkasBukti:
    berkas = by_pk(BerkasBukti.objects.select_related("bukti"), pk)
    if berkas is None:
        raise Http404("Berkas tidak ditemukan.")
    berkas.bukti = bukti_for_user(user, berkas.bukti_id)
    return berkas


def slot_for_message(user: User | AnonymousUser, langkah_pk: int, bulan: int) -> Slot:
    """A month of a step whose thread the user may write in: the owning team's members
    and the unit's admin (who upload) and reviewers (who review). Others who may read
    the step get 403; the rest 404."""
    langkah = langkah_for_user(user, langkah_pk)
    slot = Slot.objects.filter(langkah_aksi=langkah, bulan=bulan).first()
    if slot is None:
        raise Http404("Bulan ini tidak termasuk jadwal langkah aksi.")
    slot.langkah_aksi = langkah
    akses = Akses.of(user)
    unit_id = unit_of_langkah(langkah)
    if not (akses.can_upload(langkah, unit_id) or akses.can_review(unit_id)):
        raise PermissionDenied(
            "Percakapan bulan ini untuk tim penanggung jawab dan reviewer (TPI)."
        )
    return slot
