"""``lke_import --unit SLUG --year YEAR FILE.xlsx``: all or nothing, exit status 1 with
the reasons on a bad file."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actionplan.documents.lke_xlsx import workbook_bytes
from actionplan.lke.models import JawabanLke, PenilaianLke, RiwayatJawaban
from tests.documents.test_lke_xlsx import counts, edited, make_penilaian

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def blank(world, lke_master, tmp_path) -> bytes:
    """An empty assessment's workbook (made on another unit, so world's has none)."""
    penilaian = make_penilaian(world)
    data = workbook_bytes(penilaian)
    penilaian.delete()
    return data


def _run(path: Path, slug: str, year: int = 2026) -> str:
    out = io.StringIO()
    call_command("lke_import", "--unit", slug, "--year", str(year), str(path), stdout=out)
    return out.getvalue()


def test_import_creates_the_assessment_and_fills_both_sides(world, blank, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(edited(blank, K6="Ya", L6="SK ada", N6="Tidak", Q6="SK belum diteken"))
    output = _run(path, world.unit.slug)
    assert output.strip() == (
        f"LKE {world.unit.nama} 2026 diimpor dari lke.xlsx: 1 soal berubah (unit), "
        "1 soal berubah (TPI)."
    )
    j = JawabanLke.objects.get(penilaian__satuan_kerja=world.unit, soal__soal_id=1)
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi) == (
        "Ya", "SK ada", "Tidak", "SK belum diteken",
    )  # fmt: skip
    assert RiwayatJawaban.objects.filter(jawaban=j, aktor=None).count() == 4


def test_a_bad_file_changes_nothing_and_names_every_reason(world, blank, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(edited(blank, K6="Mungkin", K126=2.5))
    before = counts()
    with pytest.raises(CommandError) as caught:
        _run(path, world.unit.slug)
    lines = str(caught.value).splitlines()
    assert lines[0] == "lke.xlsx tidak diimpor (tidak ada yang diubah):"
    assert lines[1].startswith("Baris 6 (soal 1), kolom K (jawaban unit): Jawaban 'Mungkin'")
    assert lines[2].startswith("Baris 126 (soal 88), kolom K (jawaban unit): Jumlah harus")
    assert counts() == before
    assert not PenilaianLke.objects.filter(satuan_kerja=world.unit).exists()


def test_unknown_unit_and_missing_file(world, lke_master, tmp_path):
    with pytest.raises(CommandError, match="Satuan kerja 'tidak-ada' tidak ditemukan"):
        _run(tmp_path / "x.xlsx", "tidak-ada")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        _run(tmp_path / "x.xlsx", world.unit.slug)


def test_command_line_exit_status_and_nothing_written(blank, tmp_path):
    """As a user runs it, on a fresh database: exit 1, the reasons on stderr, no rows."""
    db = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], capture_output=True, text=True, cwd=ROOT, env=env
        )

    assert manage("migrate", "-v0").returncode == 0
    unit = (
        "from actionplan.models import SatuanKerja; "
        "SatuanKerja.objects.create(nama='KPU Uji', slug='kpu-uji')"
    )
    assert manage("shell", "-c", unit).returncode == 0
    assert manage("lke_load_master", "-v0").returncode == 0
    bad = tmp_path / "buruk.xlsx"
    bad.write_bytes(edited(blank, K7="D"))
    result = manage("lke_import", "--unit", "kpu-uji", "--year", "2026", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "CommandError: buruk.xlsx tidak diimpor (tidak ada yang diubah):" in result.stderr
    assert "Baris 7 (soal 2), kolom K (jawaban unit): Jawaban 'D' tidak dikenal" in result.stderr
    with sqlite3.connect(db) as conn:
        for table in ("lke_penilaianlke", "lke_jawabanlke", "lke_riwayatjawaban"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
        assert conn.execute(
            "SELECT COUNT(*) FROM actionplan_catatanaudit WHERE aksi = 'lke_impor'"
        ).fetchone() == (0,)

    good = tmp_path / "baik.xlsx"
    good.write_bytes(edited(blank, K7="A"))
    result = manage("lke_import", "--unit", "kpu-uji", "--year", "2026", str(good))
    assert result.returncode == 0, result.stderr
    assert "1 soal berubah (unit), 0 soal berubah (TPI)" in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT jawaban_unit FROM lke_jawabanlke").fetchall() == [("A",)]


def test_the_operator_imports_into_an_evaluated_assessment_and_its_state_stays(
    world, blank, tmp_path, capsys
):
    """The command is the server operator's: an assessment already evaluated (the demo's)
    is written too; the state stays and the event says so."""
    from actionplan.lke import services
    from actionplan.lke.enums import Pihak, StatusPenilaian
    from actionplan.lke.models import PeristiwaPenilaian

    admin, tpi = world.users["admin"], world.users["reviewer"]
    penilaian = services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=admin)
    services.jawaban_simpan(
        penilaian=penilaian, soal=penilaian.master.soal.get(soal_id=2), pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="A"), by=admin,
    )  # fmt: skip
    services.penilaian_pindah(penilaian=penilaian, ke=StatusPenilaian.DIAJUKAN, by=admin)
    services.penilaian_pindah(penilaian=penilaian, ke=StatusPenilaian.DIEVALUASI, by=tpi)
    path = tmp_path / "lke.xlsx"
    path.write_bytes(edited(blank, K6="Ya", M6="SK Kepala KPU nomor 5 tahun 2026", N6="Ya"))
    _run(path, world.unit.slug)
    assert "tidak diubah" in capsys.readouterr().err
    penilaian.refresh_from_db()
    assert penilaian.status == StatusPenilaian.DIEVALUASI
    answers = {
        j.soal.soal_id: (j.jawaban_unit, j.tautan, j.jawaban_tpi)
        for j in JawabanLke.objects.filter(penilaian=penilaian).select_related("soal")
    }
    # The workbook is the whole assessment: soal 2 had no answer in it.
    assert answers == {1: ("Ya", "SK Kepala KPU nomor 5 tahun 2026", "Ya"), 2: ("", "", "")}
    event = PeristiwaPenilaian.objects.filter(penilaian=penilaian, aksi="diimpor").get()
    assert "operator" in event.catatan
