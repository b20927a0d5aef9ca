from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import build_plan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_export_plan_writes_json_file(banyumas, tmp_path: Path):
    target = tmp_path / "rencana.json"
    err = StringIO()
    call_command(
        "export_plan",
        "--unit",
        "kpu-banyumas",
        "--year",
        "2024",
        "--format",
        "json",
        "-o",
        str(target),
        stderr=err,
    )
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert len(rows) == 52
    assert rows[0]["area"] == "I"
    assert f"Tersimpan: {target}" in err.getvalue()


def test_export_plan_joins_several_bukti_fisik_in_plan_order():
    rencana = build_plan(areas=1, komponen=1, indikator=1)
    langkah = rencana.area.get().komponen.get().indikator.get().langkah_aksi.get()
    langkah.bukti_fisik.create(urutan=2, teks="Daftar hadir")
    out = StringIO()
    call_command(
        "export_plan", unit=rencana.satuan_kerja.slug, year=2024, format="json", stdout=out
    )
    [row] = json.loads(out.getvalue())
    assert row["bukti_fisik"] == "1) Bukti 1.1 2) Daftar hadir"
    assert row["months"] == [1, 7]


def test_export_plan_unknown_unit(db):
    with pytest.raises(CommandError) as exc:
        call_command("export_plan", unit="tidak-ada", year=2024, format="json")
    assert str(exc.value) == "Satuan kerja 'tidak-ada' tidak ditemukan."


def test_export_plan_unknown_year(banyumas):
    with pytest.raises(CommandError) as exc:
        call_command("export_plan", unit="kpu-banyumas", year=2023, format="json")
    assert str(exc.value) == "Rencana aksi kpu-banyumas tahun 2023 tidak ditemukan."


@pytest.mark.parametrize(
    "argv",
    [
        ["--unit", "kpu-banyumas", "--year", "2024", "--format", "csv"],
        ["--unit", "kpu-banyumas", "--year", "dua-ribu", "--format", "json"],
        ["--year", "2024", "--format", "json"],
    ],
)
def test_export_plan_bad_arguments(banyumas, argv):
    with pytest.raises(CommandError):
        call_command("export_plan", *argv)


def test_export_plan_missing_output_folder(banyumas, tmp_path: Path):
    target = tmp_path / "tidak-ada" / "x.json"
    with pytest.raises(CommandError) as exc:
        call_command(
            "export_plan", unit="kpu-banyumas", year=2024, format="json", output=str(target)
        )
    assert "tidak ada" in str(exc.value)
    assert not target.exists()


def test_export_plan_command_line_exit_code(tmp_path):
    """As a user runs it: a one-line error on stderr and a non-zero exit."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3"}

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], capture_output=True, text=True, cwd=ROOT, env=env
        )

    assert manage("migrate", "-v0").returncode == 0
    result = manage("export_plan", "--unit", "tidak-ada", "--year", "2024", "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "CommandError: Satuan kerja 'tidak-ada' tidak ditemukan."
