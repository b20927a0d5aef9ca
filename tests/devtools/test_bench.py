"""``manage.py bench`` runs against a real (small) data set and reports real numbers,
leaving the data and the evidence store as it found them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evidence.models import BerkasBukti, Bukti

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_bench_measures_every_page_beside_the_floor(settings, tmp_path):
    settings.DEBUG = True
    call_command("generate_demo_data", units=2, years=1, stdout=StringIO())
    before = (Bukti.objects.count(), BerkasBukti.objects.count(), _files(settings.MEDIA_ROOT))
    out = tmp_path / "bench.json"
    call_command("bench", units=2, runs=3, json=str(out), stdout=StringIO())
    report = json.loads(out.read_text())[0]
    results = {r["name"]: r for r in report["results"]}
    assert report["units"] == 2
    assert next(iter(results)) == "floor"
    for name in (
        "dasbor unit",
        "rekap nasional",
        "tugas saya",
        "antrean review",
        "halaman langkah",
        "lampiran PDF (render)",
        "ekspor XLSX",
        "unggah 20 MB",
    ):
        assert name in results
    floor = results["floor"]["median_ms"]
    for r in results.values():
        assert r["status"] in (200, 302), r
        assert r["median_ms"] > 0 and r["p95_ms"] >= r["median_ms"]
        assert r["ratio"] == round(r["median_ms"] / floor, 2)
    # The floor is a login-protected view: session and user, nothing else.
    assert results["floor"]["queries"] == 2
    # A cached dashboard: session, user, plan, access.
    assert results["dasbor unit"]["queries"] == 4
    assert results["lampiran PDF (render)"]["bytes"] > 10_000
    upload = results["unggah 20 MB"]
    assert upload["bytes"] == 20_000_000
    # Streamed to disk: the app's peak allocation is far below the file's size.
    assert upload["extra"]["peak_alloc_mb"] < 10
    after = (Bukti.objects.count(), BerkasBukti.objects.count(), _files(settings.MEDIA_ROOT))
    assert after == before


def test_bench_refuses_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="mode pengembangan"):
        call_command("bench", units=2, runs=3)


def test_bench_refuses_too_few_runs(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--runs minimal 3"):
        call_command("bench", units=2, runs=2)
