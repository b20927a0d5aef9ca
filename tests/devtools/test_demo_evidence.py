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
    # Through the services: every version and review is in the audit trail, on its date.
    from actionplan.models import CatatanAudit

    uploads = CatatanAudit.objects.filter(aksi__in=["bukti_diajukan", "bukti_versi_baru"])
    assert uploads.count() == Bukti.objects.count()
    reviews = CatatanAudit.objects.filter(aksi__in=["bukti_disetujui", "bukti_dikembalikan"])
    assert reviews.count() == Bukti.objects.exclude(status="diajukan").count()
    assert {w.year for w in uploads.values_list("waktu", flat=True)} <= {2024, 2025}


def test_setup_demo_adds_this_years_plan_with_evidence_up_to_last_month(
    empty_db, settings, _media_root
):
    from actionplan.models import CatatanAudit, RencanaAksi

    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    # Pinned clock: 15 June 2026.
    this_year = RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2026)
    assert "kpu-banyumas 2026 disalin dari 2024" in out.getvalue()
    assert this_year.tanggal_penetapan.year == 2026
    assert "2026" in this_year.judul and "2024" not in this_year.judul
    months = set(Bukti.objects.of_plan(this_year).values_list("slot__bulan", flat=True))
    assert months and max(months) <= 5  # up to last month (May)
    assert CatatanAudit.objects.filter(objek__startswith="bukti:").exists()
    # The 2024 decree stays as the seed states it.
    decree = RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)
    assert decree.nomor_keputusan == "12" and decree.tanggal_penetapan.isoformat() == "2024-01-10"
    again = StringIO()
    call_command("setup_demo", stdout=again)
    assert "disalin" not in again.getvalue()
    assert RencanaAksi.objects.filter(satuan_kerja__slug="kpu-banyumas").count() == 2


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
