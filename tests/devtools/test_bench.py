"""``manage.py bench`` runs against a real (small) data set and reports real numbers,
leaving the data and the evidence store as it found them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from actionplan.models import RencanaAksi, Slot
from evidence.models import BerkasBukti, Bukti

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# Every row of the report, in the order the command measures them: the pages measured
# in turn beside the floor, then the ones measured alone, then the uploads.
PAGES = [
    "floor",
    "dasbor unit",
    "rekap provinsi",
    "rekap nasional",
    "rekap nasional, terburuk",
    "tugas saya",
    "antrean review",
    "halaman langkah",
    "LKE unit",
    "rekap LKE nasional",
    "PortalRB unit-wbk",
    "PortalRB jawaban unit",
    "lampiran PDF (cache)",
    "ekspor XLSX",
    "dasbor unit, setelah perubahan",
    "dasbor unit, tanpa cache",
    "rekap nasional, tanpa cache",
    "LKE unit, tanpa cache",
    "rekap LKE, tanpa cache",
    "lampiran PDF (render)",
]
UPLOADS = {"unggah 2 MB": 2_000_000, "unggah 20 MB": 20_000_000}


def test_bench_measures_every_page_beside_the_floor(settings, tmp_path):
    settings.DEBUG = True
    call_command("generate_demo_data", units=2, years=1, stdout=StringIO())
    before = (Bukti.objects.count(), BerkasBukti.objects.count(), _files(settings.MEDIA_ROOT))
    plans, slots = RencanaAksi.objects.count(), Slot.objects.count()
    out = tmp_path / "bench.json"
    call_command("bench", units=2, runs=3, json=str(out), stdout=StringIO())
    [report] = json.loads(out.read_text())
    # The data set was already there: counted, not generated again.
    assert report["database"] == {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    assert (report["units"], report["generated_s"], report["runs"]) == (2, None, 3)
    assert (report["plans"], report["slots"]) == (plans, slots)
    assert [r["name"] for r in report["results"]] == PAGES + list(UPLOADS)
    results = {r["name"]: r for r in report["results"]}
    floor = results["floor"]["median_ms"]
    assert floor > 0
    for r in report["results"]:
        upload = r["name"] in UPLOADS
        # Pages answer 200; an upload redirects to the step's page.
        assert r["status"] == (302 if upload else 200), r
        assert r["runs"] == 3, r
        assert isinstance(r["queries"], int) and r["queries"] > 0, r
        assert isinstance(r["bytes"], int) and r["bytes"] > 0, r
        assert 0 < r["median_ms"] <= r["p95_ms"], r
        assert r["ratio"] == round(r["median_ms"] / floor, 2), r
        assert ("peak_alloc_mb" in r["extra"]) is upload, r
    assert results["floor"]["ratio"] == 1.0
    assert results["floor"]["url"] == "/__bench__/floor/"
    # The floor is a login-protected view: session and user, nothing else.
    assert results["floor"]["queries"] == 2
    assert results["floor"]["bytes"] == len(b"ok")
    # A cached dashboard: session, user, plan, access.
    assert results["dasbor unit"]["queries"] == 4
    assert results["lampiran PDF (render)"]["bytes"] > 10_000
    # The LKE pages by their URL names: the unit's assessment of the year and the
    # national roll-up of that year.
    assert results["LKE unit"]["url"] == f"/lke/gen-kab-001/{timezone.localdate().year}/"
    assert results["rekap LKE nasional"]["url"] == f"/lke/rekap/{timezone.localdate().year}/"
    # PortalRB's API with a token: every unit below the national office proposed.
    assert results["PortalRB unit-wbk"]["url"] == "/api/portalrb/pengusulan/unit-wbk"
    assert results["PortalRB jawaban unit"]["url"].startswith("/api/portalrb/lke/jawaban-unit/")
    # The daily reminder run over every unit, rolled back.
    reminders = report["reminders"]
    assert reminders["name"] == "pengingat harian (semua unit)"
    assert reminders["median_ms"] > 0 and reminders["queries"] > 0
    # The cached PDF is the rendered one, byte for byte the same length.
    assert results["lampiran PDF (cache)"]["bytes"] == results["lampiran PDF (render)"]["bytes"]
    for name, size in UPLOADS.items():
        upload = results[name]
        assert upload["bytes"] == size
        assert upload["url"].endswith("/unggah/")
        assert upload["extra"]["max_rss_mb"] > 0
        # Streamed to disk: the app's peak allocation is far below the file's size.
        assert 0 < upload["extra"]["peak_alloc_mb"] < 10
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
