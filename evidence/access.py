"""Access to evidence, decided by ``actionplan.access.Akses`` (see there for the roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplan.access import Akses, unit_of_langkah
from evidence.models import BerkasBukti, Bukti

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

AksiBukti = Literal["lihat", "review", "tarik"]


def bukti_for_user(user: User | AnonymousUser, pk: int, *, aksi: AksiBukti = "lihat") -> Bukti:
    """A submission the user may see (else 404), and may review or withdraw when asked
    (else 403)."""
    bukti = Bukti.objects.with_plan().filter(pk=pk).first()
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
    berkas = BerkasBukti.objects.select_related("bukti").filter(pk=pk).first()
    if berkas is None:
        raise Http404("Berkas tidak ditemukan.")
    berkas.bukti = bukti_for_user(user, berkas.bukti_id)
    return berkas
