"""Who sees which notification and message: one helper per object (404 to someone who
may not see it, 403 to someone who may see the page but not act)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplan.access import Akses
from actionplan.enums import Peran
from actionplan.notifications.models import Kiriman, KirimanQuerySet, Notifikasi

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def notifikasi_for_user(user: User | AnonymousUser, pk: int) -> Notifikasi:
    """A notification: only its recipient sees it."""
    notif = Notifikasi.objects.filter(pk=pk, penerima_id=user.pk).first()
    if notif is None:
        raise Http404("Notifikasi tidak ditemukan.")
    return notif


def kiriman_visible(user: User | AnonymousUser) -> KirimanQuerySet:
    """The messages a user may oversee: their units' as admin, all for a superuser.
    ``PermissionDenied`` for someone who administers no unit."""
    units = Akses.of(user).units_with(Peran.ADMIN)
    if units is None:
        return Kiriman.objects.all()
    if not units:
        raise PermissionDenied("Daftar kiriman pemberitahuan hanya untuk admin satuan kerja.")
    return Kiriman.objects.filter(satuan_kerja_id__in=units)


def kiriman_for_user(user: User | AnonymousUser, pk: int) -> Kiriman:
    units = Akses.of(user).units_with(Peran.ADMIN)
    kiriman = Kiriman.objects.filter(pk=pk).first()
    if kiriman is None or (units is not None and kiriman.satuan_kerja_id not in units):
        raise Http404("Kiriman tidak ditemukan.")
    return kiriman
