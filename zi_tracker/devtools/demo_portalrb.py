"""The demo agency's proposal: KPU Kabupaten Banyumas (a top unit in the demo) proposes
itself for WBK in the current year, so PortalRB's API answers at once with the demo's
TPI-evaluated LKE. Development installations only; once made it is left alone."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from actionplan.models import SatuanKerja
from actionplan.portalrb import services
from actionplan.portalrb.enums import Kategori
from actionplan.portalrb.models import Usulan
from zi_tracker.devtools.demo import DEMO_UNIT


def demo_usulan_create() -> Usulan | None:
    """The current year's proposal with the demo unit for WBK; None if one exists."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Usulan demo hanya untuk instalasi pengembangan.")
    unit = SatuanKerja.objects.filter(slug=DEMO_UNIT, induk__isnull=True).first()
    tahun = timezone.localdate().year
    if unit is None or Usulan.objects.filter(instansi=unit, tahun=tahun).exists():
        return None
    usulan = services.usulan_get_or_create(instansi=unit, tahun=tahun)
    services.unit_usulkan(usulan=usulan, satuan_kerja=unit, kategori=Kategori.WBK, by=None)
    return usulan
