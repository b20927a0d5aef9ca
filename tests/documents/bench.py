"""A large workbook in ZI Tracker's export layout ("Lampiran" heading sheet and the
"Data" sheet the import reads), for the import's bounds and its speed."""

from __future__ import annotations

import io
import itertools

from openpyxl import Workbook

from actionplan.documents.xlsx import DATA_SHEET
from actionplan.enums import ROMAWI
from actionplan.models import RencanaAksi, TimKerja

HEADERS = [
    "kode", "area", "area_nama", "komponen_no", "komponen", "indikator",
    "langkah_aksi", "bukti_fisik", "bulan", "tim",
]  # fmt: skip


def rows(rencana: RencanaAksi, count: int, *, tag: str = "") -> list[list[object]]:
    """``count`` valid rows over the six areas (8 komponen, 8 indikator, 8 steps each,
    as many as needed), teams of the plan's unit in turn."""
    teams = list(
        TimKerja.objects.filter(satuan_kerja_id=rencana.satuan_kerja_id).values_list(
            "nama", flat=True
        )
    )
    out: list[list[object]] = []
    numbers = itertools.product(range(1, 7), range(1, 9), range(1, 9), range(1, 9))
    for n, (area, komponen, indikator, langkah) in enumerate(itertools.islice(numbers, count)):
        romawi = ROMAWI[area - 1]
        out.append(
            [
                f"{romawi}.{komponen}.{indikator}.{langkah}",
                romawi,
                f"Area {romawi}",
                komponen,
                f"Komponen {romawi}.{komponen}",
                f"Indikator {romawi}.{komponen}.{indikator}",
                f"Langkah aksi nomor {n + 1}{tag}",
                f"Bukti {n + 1}a\nBukti {n + 1}b",
                ", ".join(str(m) for m in ((n % 12) + 1, ((n + 5) % 12) + 1)),
                teams[n % len(teams)],
            ]
        )
    return out


def workbook(data: list[list[object]], *, dimension: str | None = None) -> bytes:
    book = Workbook()
    lampiran = book.active
    lampiran.title = "Lampiran"
    lampiran["A1"] = "LAMPIRAN"
    sheet = book.create_sheet(DATA_SHEET)
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    if dimension is not None:
        content = with_dimension(content, dimension)
    return content


def with_dimension(content: bytes, ref: str) -> bytes:
    """The same workbook whose Data sheet's <dimension> claims ``ref`` (a lie)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            dst.writestr(info, data)
    return out.getvalue()
