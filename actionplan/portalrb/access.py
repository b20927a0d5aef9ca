"""Who may do what with an agency's proposals (on ``actionplan.access.Akses``): the
agency is a top unit; its admin keeps the proposal, the tokens and reads the fetch
history; PortalRB itself is a Bearer token of the agency (``api.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplan.access import Akses
from actionplan.models import SatuanKerja

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def instansi_for_user(user: User | AnonymousUser, slug: str) -> SatuanKerja:
    """An agency (a top unit) the user administers: 404 to someone who may not read
    it, 403 to someone who reads it but is not its admin."""
    unit = SatuanKerja.objects.filter(slug=slug, induk__isnull=True).first()
    akses = Akses.of(user)
    if unit is None or not akses.can_read_unit(unit.pk):
        raise Http404("Instansi tidak ditemukan.")
    if not akses.is_admin(unit.pk):
        raise PermissionDenied("Hanya admin instansi yang mengelola usulan ke PortalRB.")
    return unit


def instansi_of_user(user: User | AnonymousUser) -> list[SatuanKerja]:
    """The agencies (top units) the user administers."""
    units = Akses.of(user).units_with("admin")
    rows = SatuanKerja.objects.filter(induk__isnull=True).order_by("nama")
    return list(rows if units is None else rows.filter(pk__in=units))
