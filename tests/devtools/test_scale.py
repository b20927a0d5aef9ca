"""generate_demo_data: national scale data, built with bulk inserts."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actionplan.models import RencanaAksi, SatuanKerja
from actionplan.progress.dashboard import plan_progress
from actionplan.progress.moment import Moment
from evidence.models import BerkasBukti, Bukti

pytestmark = pytest.mark.django_db


def test_generate_demo_data_builds_a_hierarchy_with_plans_and_evidence(settings, _media_root):
    settings.DEBUG = True
    out = StringIO()
    call_command("generate_demo_data", "--units", "5", "--years", "2", stdout=out)
    national = SatuanKerja.objects.get(slug="gen-kpu-ri")
    provinces = SatuanKerja.objects.filter(induk=national)
    kab = SatuanKerja.objects.filter(induk__in=provinces)
    assert (provinces.count(), kab.count()) == (1, 5)
    plans = RencanaAksi.objects.filter(satuan_kerja__in=kab)
    assert plans.count() == 10
    assert "Data uji dibuat" in out.getvalue()
    # Every plan has steps (a little varied) and past plans have evidence with history.
    last_year = plans.order_by("tahun").first()
    progress = plan_progress(last_year, Moment.of(last_year, 12))
    assert progress.total.due > 40
    assert 0.5 < progress.total.approved / progress.total.due < 1
    assert Bukti.objects.filter(versi=2).exists()
    for berkas in BerkasBukti.objects.all()[:50]:
        data = (Path(_media_root) / berkas.lokasi).read_bytes()
        assert hashlib.sha256(data).hexdigest() == berkas.sha256
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("generate_demo_data", "--units", "1")


def test_generate_demo_data_refuses_production_and_bad_sizes(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("generate_demo_data", "--units", "1")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--units"):
        call_command("generate_demo_data", "--units", "0")
    assert SatuanKerja.objects.filter(slug__startswith="gen-").count() == 0
