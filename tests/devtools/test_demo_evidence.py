from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evidence.models import BerkasBukti, Bukti


@pytest.fixture
def demo(banyumas, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    return banyumas


def test_demo_evidence_is_a_realistic_mix(demo, _media_root):
    out = StringIO()
    call_command("seed_demo_evidence", stdout=out)
    statuses = set(Bukti.objects.values_list("status", flat=True))
    assert statuses == {"disetujui", "dikembalikan", "diajukan"}
    assert "belum dikirim" in out.getvalue()
    slots_with_evidence = Bukti.objects.values("slot").distinct().count()
    assert 0 < slots_with_evidence < 118  # some months are left missing on purpose
    assert Bukti.objects.filter(versi=2).exists()  # returned, then fixed
    assert Bukti.objects.filter(terlambat=True).exists()
    for berkas in BerkasBukti.objects.all():
        data = (Path(_media_root) / berkas.lokasi).read_bytes()
        assert hashlib.sha256(data).hexdigest() == berkas.sha256
        assert berkas.nama_asli.startswith("DEMO")
    pdf = BerkasBukti.objects.filter(jenis="pdf").first()
    assert b"CONTOH DATA DEMO" in (Path(_media_root) / pdf.lokasi).read_bytes()


def test_demo_evidence_runs_once(demo):
    call_command("seed_demo_evidence", stdout=StringIO())
    count = Bukti.objects.count()
    out = StringIO()
    call_command("seed_demo_evidence", stdout=out)
    assert Bukti.objects.count() == count
    assert "sudah berisi bukti" in out.getvalue()


def test_demo_evidence_refused_in_production(demo, settings, _media_root):
    settings.DEBUG = False
    with pytest.raises(CommandError) as exc:
        call_command("seed_demo_evidence")
    assert "DJANGO_DEBUG=true" in str(exc.value)
    assert Bukti.objects.count() == 0
    assert not (Path(_media_root) / "bukti").exists()


def test_demo_evidence_needs_the_demo_accounts(banyumas, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError) as exc:
        call_command("seed_demo_evidence")
    assert "create_demo_accounts" in str(exc.value)
