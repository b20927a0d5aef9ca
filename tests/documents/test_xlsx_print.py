"""The Lampiran sheet prints cleanly: every row is tall enough for its wrapped text, so
a printout (here LibreOffice's PDF) shows each long step whole."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from actionplan.documents.xlsx import DEFAULT_ROW_PT, WIDTHS, workbook_bytes, wrapped_lines
from actionplan.models import LangkahAksi


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_wrapped_lines_estimate():
    assert wrapped_lines("", 30) == 1
    assert wrapped_lines("pendek", 30) == 1
    assert wrapped_lines("kata " * 40, 30) >= 6
    assert wrapped_lines("satu\ndua\ntiga", 30) == 3
    # Capitals take more room than small letters.
    assert wrapped_lines("ABCDEFGHKM " * 8, 22) > wrapped_lines("abcdefghik " * 8, 22)
    # A word longer than a line runs over several.
    assert wrapped_lines("x" * 100, 10) >= 10


def _long_steps(rencana, n: int = 6) -> list[LangkahAksi]:
    steps = list(LangkahAksi.objects.of_plan(rencana).in_document_order())
    return sorted(steps, key=lambda s: len(s.teks), reverse=True)[:n]


def test_rows_with_long_text_are_taller_than_the_default(banyumas):
    sheet = load_workbook(io.BytesIO(workbook_bytes(banyumas)))["Lampiran"]
    by_text = {sheet.cell(row=r, column=4).value: r for r in range(12, sheet.max_row + 1)}
    for langkah in _long_steps(banyumas):
        row = by_text[langkah.teks]
        height = sheet.row_dimensions[row].height
        assert height is not None and height > DEFAULT_ROW_PT, langkah.teks
        assert sheet.cell(row=row, column=4).alignment.wrap_text
        assert sheet.cell(row=row, column=3).alignment.wrap_text
        # The estimate is at least the step's own lines.
        assert height >= wrapped_lines(langkah.teks, WIDTHS[3]) * 13
    # The heading's long title and the table title wrap too.
    assert sheet.row_dimensions[5].height > DEFAULT_ROW_PT
    assert sheet["L5"].alignment.wrap_text and sheet["A7"].alignment.wrap_text


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (LibreOffice) is missing; CI must have it (.ci/run installs it).")
        pytest.skip(
            "soffice (LibreOffice) is not installed: apt-get install libreoffice-calc-nogui "
            "to run this test (CI installs it)."
        )
    return found


@pytest.mark.slow
def test_lampiran_sheet_prints_every_long_step_whole(banyumas, tmp_path: Path):
    soffice = _soffice()
    source = tmp_path / "rencana.xlsx"
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    # Print the Lampiran sheet only.
    for name in book.sheetnames[1:]:
        del book[name]
    book.save(source)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(tmp_path / "rencana.pdf")
    text = _squash(" ".join(page.extract_text() for page in reader.pages))
    for langkah in _long_steps(banyumas):
        assert _squash(langkah.teks) in text, langkah.teks
        assert _squash(langkah.indikator.teks) in text, langkah.indikator.teks
    assert _squash(banyumas.judul) in text
