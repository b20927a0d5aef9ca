"""The workbook: out to Excel and back, and every way an edited workbook can be wrong."""

from __future__ import annotations

import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from actionplan.documents.xlsx import DATA_SHEET, import_workbook, workbook_bytes
from actionplan.models import LangkahAksi, RencanaAksi, TimKerja
from actionplan.selectors import plan_rows
from tests.factories import RencanaAksiFactory, SatuanKerjaFactory


def _json_rows(rencana: RencanaAksi) -> list[dict]:
    out = StringIO()
    call_command(
        "export_plan", unit=rencana.satuan_kerja.slug, year=rencana.tahun, format="json", stdout=out
    )
    return json.loads(out.getvalue())


def _empty_twin(banyumas):
    """An empty plan of another unit that has teams of the same names."""
    unit = SatuanKerjaFactory(slug="kpu-kembar")
    for tim in TimKerja.objects.filter(satuan_kerja=banyumas.satuan_kerja):
        TimKerja.objects.create(satuan_kerja=unit, nama=tim.nama, urutan=tim.urutan)
    return RencanaAksiFactory(satuan_kerja=unit, tahun=2024)


def _edited(content: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(content))
    edit(book[DATA_SHEET])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbook_read_back_equals_the_json_export(banyumas):
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    assert book.sheetnames == ["Lampiran", "Data", "Kemajuan"]
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    rows = []
    for values in sheet.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, values, strict=True))
        items = (record["bukti_fisik"] or "").split("\n")
        rows.append(
            {
                "area": record["area"],
                "area_name": record["area_nama"],
                "komponen_no": record["komponen_no"],
                "komponen": record["komponen"] or "",
                "indikator": record["indikator"],
                "langkah_aksi": record["langkah_aksi"],
                "bukti_fisik": items[0]
                if len(items) == 1
                else " ".join(f"{n}) {t}" for n, t in enumerate(items, 1)),
                "months": [int(m) for m in (record["bulan"] or "").split(",") if m.strip()],
                "tim": record["tim"],
            }
        )
    assert rows == _json_rows(banyumas)


def test_lampiran_sheet_is_laid_out_like_the_decree(banyumas):
    sheet = load_workbook(io.BytesIO(workbook_bytes(banyumas)))["Lampiran"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "LAMPIRAN" in values and "PELAKSANAAN (BULAN)" in values
    assert banyumas.judul_tabel in values
    assert values.count("✓") == 118
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$9:$11"
    assert "A7:R7" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(row=11, column=c).value for c in range(1, 19)] == list(range(1, 19))


def test_round_trip_into_an_empty_plan(banyumas):
    twin = _empty_twin(banyumas)
    result = import_workbook(twin, workbook_bytes(banyumas))
    assert not result.has_errors() and not result.has_validation_errors()
    expected = [{**row} for row in plan_rows(banyumas)]
    assert plan_rows(twin) == expected

    # The Data sheets are equal cell for cell (items and kode included).
    def data(content: bytes) -> list[tuple]:
        return list(load_workbook(io.BytesIO(content))[DATA_SHEET].iter_rows(values_only=True))

    assert data(workbook_bytes(twin)) == data(workbook_bytes(banyumas))
    # and once more: the twin's own export imports back into itself unchanged
    again = import_workbook(twin, workbook_bytes(twin))
    assert not again.has_validation_errors()
    assert plan_rows(twin) == expected


@pytest.mark.parametrize(
    ("edit", "column", "reason"),
    [
        (lambda s: setattr(s["B3"], "value", "VII"), "area", "area 'VII' tidak dikenal"),
        (lambda s: setattr(s["I3"], "value", "1, 13"), "bulan", "bulan '13' tidak sah"),
        (lambda s: setattr(s["F3"], "value", ""), "indikator", "wajib diisi"),
        (lambda s: setattr(s["A3"], "value", "I.1.1.1"), "kode", "penomoran ganda"),
        (lambda s: setattr(s["J3"], "value", "TIM HANTU"), "tim", "tim 'TIM HANTU' tidak ada"),
        (lambda s: setattr(s["G3"], "value", "=1+1"), "langkah_aksi", "rumus tidak diizinkan"),
        (lambda s: setattr(s["A3"], "value", "sembarang"), "kode", "tidak sah"),
    ],
)
def test_bad_row_is_reported_with_its_number_and_nothing_is_written(banyumas, edit, column, reason):
    twin = _empty_twin(banyumas)
    content = _edited(workbook_bytes(banyumas), edit)
    result = import_workbook(twin, content)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2  # the data row under the header, i.e. sheet row 3
    messages = " ".join(invalid.error_dict[column])
    assert reason in messages
    assert "(baris 3 lembar Data)" in messages
    assert LangkahAksi.objects.of_plan(twin).count() == 0
    assert twin.area.count() == 0


def test_bad_rows_in_an_existing_plan_change_nothing(banyumas):
    before = plan_rows(banyumas)

    def edit(sheet):
        sheet["G2"].value = "Diubah tetapi tidak boleh tersimpan"
        sheet["I40"].value = "0"

    result = import_workbook(banyumas, _edited(workbook_bytes(banyumas), edit))
    assert result.has_validation_errors()
    assert plan_rows(banyumas) == before


def test_broken_or_huge_workbooks_are_refused(banyumas):
    with pytest.raises(ValueError, match="bukan buku kerja Excel"):
        import_workbook(banyumas, b"PK\x03\x04 rusak")

    def huge(sheet):
        for row in range(60, 2100):
            sheet.cell(row=row, column=1, value=f"I.1.1.{row}")

    with pytest.raises(ValueError, match="lebih dari 2000 baris"):
        import_workbook(banyumas, _edited(workbook_bytes(banyumas), huge))


def test_text_that_looks_like_a_formula_is_exported_as_text(banyumas):
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    langkah.teks = '=HYPERLINK("http://contoh")'
    langkah.save()
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    cells = [c for row in book[DATA_SHEET].iter_rows() for c in row if c.value == langkah.teks]
    assert cells and all(c.data_type == "s" for c in cells)
