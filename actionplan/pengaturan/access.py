"""Access to the set-up's own objects, on top of ``actionplan.access`` (which decides
who administers a unit): an account of a unit, a unit below, an import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from actionplan.access import Akses, can_manage_below
from actionplan.models import SatuanKerja
from actionplan.pengaturan.models import ImporAkun

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def of_unit(unit: SatuanKerja) -> Q:
    """Accounts of the unit: made for it, holding a role in it, or in one of its teams."""
    return (
        Q(pegawai__satuan_kerja=unit)
        | Q(peran_satker__satuan_kerja=unit)
        | Q(tim_kerja__satuan_kerja=unit)
    )


def akun_for_admin(unit: SatuanKerja, pk: int) -> User:
    """An account of ``unit`` (already checked with ``unit_admin_for_user``): 404 for
    any other account; 403 for an operator's (superuser or staff) account."""
    user = get_user_model().objects.filter(of_unit(unit), pk=pk).distinct().first()
    if user is None:
        raise Http404("Akun tidak ditemukan di satuan kerja ini.")
    if user.is_superuser or user.is_staff:
        raise PermissionDenied("Akun operator aplikasi hanya diatur lewat halaman Administrasi.")
    return user


def impor_for_admin(unit: SatuanKerja, pk: int) -> ImporAkun:
    impor = ImporAkun.objects.filter(pk=pk, satuan_kerja=unit).first()
    if impor is None:
        raise Http404("Impor tidak ditemukan.")
    return impor


def unit_below_for_admin(user: User | AnonymousUser, induk: SatuanKerja, slug: str) -> SatuanKerja:
    """A unit directly below ``induk`` (active or not), whose parent the user manages."""
    unit = SatuanKerja.objects.filter(induk=induk, slug=slug).select_related("induk").first()
    if unit is None:
        raise Http404("Satuan kerja tidak ditemukan.")
    if not can_manage_below(Akses.of(user), induk.pk):
        raise PermissionDenied("Hanya admin satuan kerja di atasnya yang dapat mengaturnya.")
    return unit
