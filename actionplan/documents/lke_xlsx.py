"""The LKE as a workbook in PortalRB's layout, and back.

Sheet ``Jawaban``: one row per question at the master's ``excel_baris``; PortalRB reads
columns K (the unit's answer), L (the unit's note), M (the unit's evidence: links to
ZI Tracker's approved evidence and outside links, one per line), N (the TPI's answer)
and Q (the TPI's note), each question's own ``kolom_*``. Columns A-J are for people:
the question's number (PortalRB's ``soal_id``), its part, area and sub-area, the
question, the criteria, the answer type and the options. A second sheet ``Nilai`` has
both sides' scores and the verdict; it is never read back.

Import: the workbook is the whole assessment. Every question's five cells are read (a
blank cell clears that field), checked here row by row (a formula, an unknown option,
a count that is not a whole number, an index outside 0-4, a date), and only then given
to ``lke.services.penilaian_isi``, which writes everything or nothing and keeps the
history and the audit row. Files are checked before openpyxl parses them: the upload's
size, that it is a zip, and the uncompressed size of its sheets (from the zip's central
directory, which ``zipfile`` enforces while reading).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from actionplan.lke import scoring, selectors, services
from actionplan.lke.enums import Bagian, JenisJawaban, Pihak
from actionplan.lke.links import bukti_url, pisah_sel_bukti
from actionplan.lke.models import JawabanLke, NodeLke, PenilaianLke, SoalLke
from evidence.models import Bukti

SHEET = "Jawaban"
NILAI_SHEET = "Nilai"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The uncompressed size of one sheet (or of the shared strings) and of all parts: the
# real template is some 200 kB; a zip bomb is refused before it is parsed.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_JAWABAN = 20  # JawabanLke.jawaban_* max_length
HEADER_ROW = 4
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Columns A-J (for people), then PortalRB's K-Q.
KOLOM_INFO = [
    ("A", "No. soal", 8),
    ("B", "Komponen", 11),
    ("C", "Area perubahan", 22),
    ("D", "Sub-area", 26),
    ("E", "Pertanyaan", 48),
    ("F", "Kriteria penilaian", 40),
    ("G", "Jenis jawaban", 11),
    ("H", "Pilihan jawaban", 30),
    ("I", "Nilai unit (0-1)", 9),
    ("J", "Nilai TPI (0-1)", 9),
]
KOLOM_PORTAL = [
    ("K", "Jawaban unit", 12),
    ("L", "Catatan unit", 36),
    ("M", "Bukti dukung unit", 44),
    ("N", "Jawaban TPI", 12),
    ("O", "", 4),
    ("P", "", 4),
    ("Q", "Catatan TPI", 36),
]
BAGIAN_LABEL: dict[str, str] = {
    Bagian.PEMENUHAN: "Pemenuhan",
    Bagian.REFORM: "Reform",
    Bagian.HASIL: "Hasil",
}

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
PORTAL_FILL = PatternFill("solid", fgColor="FFF8E1")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


# --- export -----------------------------------------------------------------------------


def _safe(cell: Cell, value: object) -> None:
    """Write text as text: control characters Excel cannot hold are dropped, and a text
    starting with '=' gets a leading space, so it is never a formula (the import refuses
    '=' and strips notes, so it reads back the same)."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = " " + text if text.startswith("=") else text
    cell.value = value


def jawaban_sel(soal: SoalLke, teks: str) -> object:
    """An answer as PortalRB wants it in a cell: counts and indices as numbers, option
    keys ('A', 'Ya') as text; '' -> None."""
    if not teks:
        return None
    if soal.jenis == JenisJawaban.JUMLAH:
        return int(teks)
    if soal.jenis == JenisJawaban.INDEKS:
        angka = Decimal(teks)
        return int(angka) if angka == angka.to_integral_value() else float(angka)
    return teks


def sel_bukti(jawaban: JawabanLke) -> str:
    """The unit's evidence cell: ZI Tracker's evidence links, then the outside links.
    ``jawaban.bukti`` prefetched with the slot."""
    links = [bukti_url(b) for b in sorted(jawaban.bukti.all(), key=lambda b: b.pk)]
    return "\n".join([*links, *jawaban.tautan_list])


def _jawaban_rows(penilaian: PenilaianLke) -> dict[int, JawabanLke]:
    """soal pk -> answer, with the evidence and its slot (two queries)."""
    return {
        j.soal_id: j
        for j in JawabanLke.objects.filter(penilaian=penilaian).prefetch_related(
            Prefetch("bukti", queryset=Bukti.objects.select_related("slot"))
        )
    }


def _opsi_teks(soal: SoalLke) -> str:
    if soal.jenis == JenisJawaban.JUMLAH:
        return "Bilangan bulat 0 atau lebih"
    if soal.jenis == JenisJawaban.INDEKS:
        return "Angka 0 sampai 4 (mis. 3,62)"
    return "\n".join(f"{o['key']}: {o.get('label') or o['key']}" for o in soal.opsi)


def _nilai_sel(soal: SoalLke, teks: str) -> float | None:
    value = scoring.nilai_soal(scoring.SoalInfo.of(soal), teks)
    return None if value is None else round(float(value), 4)


def workbook(penilaian: PenilaianLke) -> Workbook:
    """``penilaian`` with its unit and master loaded (``PenilaianLke.objects.with_unit``)."""
    nodes = {n.pk: n for n in NodeLke.objects.filter(master_id=penilaian.master_id)}
    soals = list(SoalLke.objects.filter(master_id=penilaian.master_id).in_order())
    answers = _jawaban_rows(penilaian)

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _safe(
        sheet["A1"],
        f"LEMBAR KERJA EVALUASI ZONA INTEGRITAS {penilaian.tahun} "
        f"(format PortalRB, master {penilaian.master.tahun})",
    )
    sheet["A1"].font = TITLE
    _safe(
        sheet["A2"],
        f"{penilaian.satuan_kerja.nama} · status: {penilaian.get_status_display()} · "
        f"revisi {penilaian.revisi}",
    )
    _safe(
        sheet["A3"],
        "PortalRB membaca kolom K (jawaban unit), L (catatan unit), M (bukti dukung unit), "
        "N (jawaban TPI) dan Q (catatan TPI). Sel kosong = tidak dijawab. Jangan memakai rumus.",
    )
    for kolom, judul, lebar in [*KOLOM_INFO, *KOLOM_PORTAL]:
        cell = sheet[f"{kolom}{HEADER_ROW}"]
        _safe(cell, judul or None)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = WRAP
        sheet.column_dimensions[kolom].width = lebar
    used = {s.excel_baris for s in soals}
    seen_nodes: set[int] = set()
    for soal in soals:
        node = nodes[soal.node_id]
        area_node = _area_node(node, nodes)
        # The sub-area's name on the free row above its first question, as the template.
        if node.pk not in seen_nodes:
            seen_nodes.add(node.pk)
            above = soal.excel_baris - 1
            if above > HEADER_ROW and above not in used:
                _safe(sheet[f"C{above}"], area_node.nama if area_node else None)
                _safe(sheet[f"D{above}"], node.nama)
                sheet[f"C{above}"].font = BOLD
                sheet[f"D{above}"].font = BOLD
        j = answers.get(soal.pk)
        row = soal.excel_baris
        jawaban_unit = j.jawaban_unit if j else ""
        jawaban_tpi = j.jawaban_tpi if j else ""
        info = [
            soal.soal_id,
            BAGIAN_LABEL.get(node.bagian, node.bagian),
            area_node.nama if area_node else node.nama,
            node.nama,
            soal.teks,
            soal.kriteria,
            soal.get_jenis_display(),
            _opsi_teks(soal),
            _nilai_sel(soal, jawaban_unit),
            _nilai_sel(soal, jawaban_tpi),
        ]
        for (kolom, _, _), value in zip(KOLOM_INFO, info, strict=True):
            cell = sheet[f"{kolom}{row}"]
            _safe(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
        portal = {
            soal.kolom_jawaban_unit: jawaban_sel(soal, jawaban_unit),
            soal.kolom_catatan_unit: (j.catatan_unit if j else "") or None,
            soal.kolom_bukti_unit: (sel_bukti(j) if j else "") or None,
            soal.kolom_jawaban_tpi: jawaban_sel(soal, jawaban_tpi),
            soal.kolom_catatan_tpi: (j.catatan_tpi if j else "") or None,
        }
        for kolom, value in portal.items():
            cell = sheet[f"{kolom}{row}"]
            _safe(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
            cell.fill = PORTAL_FILL
    sheet.freeze_panes = f"F{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _nilai_sheet(book.create_sheet(NILAI_SHEET), penilaian, nodes)
    return book


def _area_node(node: NodeLke, nodes: Mapping[int, NodeLke]) -> NodeLke | None:
    current: NodeLke | None = node
    while current is not None and current.level != "area_perubahan":
        current = nodes.get(current.induk_id) if current.induk_id else None
    return current


def _nilai_sheet(sheet: Worksheet, penilaian: PenilaianLke, nodes: Mapping[int, NodeLke]) -> None:
    """Both sides' scores per sub-area and area, the totals and the verdict (for people;
    never read back). Numbers full precision, shown with two decimals."""
    unit = selectors.nilai(penilaian, Pihak.UNIT)
    tpi = selectors.nilai(penilaian, Pihak.TPI)
    rows: list[list[object]] = [
        [f"Nilai LKE {penilaian.tahun}: {penilaian.satuan_kerja.nama}"],
        [],
        ["Bagian", "Nilai unit", "Nilai TPI"],
    ]
    for label, attr in [
        ("Nilai total (dari 100)", "total"),
        ("Komponen pengungkit (dari 60)", "pengungkit"),
        ("Pemenuhan (dari 30)", "pemenuhan"),
        ("Reform (dari 30)", "reform"),
        ("Hasil (dari 40)", "hasil"),
    ]:
        rows.append([label, float(getattr(unit.skor, attr)), float(getattr(tpi.skor, attr))])
    rows += [[], ["Area", "Pemenuhan unit", "Reform unit", "Pemenuhan TPI", "Reform TPI"]]
    for nomor in range(1, 7):
        a_u, a_t = unit.skor.area[nomor], tpi.skor.area[nomor]
        rows.append(
            [
                f"{nomor}. {scoring.NAMA_AREA[nomor]}",
                float(a_u["pemenuhan"]),
                float(a_u["reform"]),
                float(a_t["pemenuhan"]),
                float(a_t["reform"]),
            ]
        )
    rows += [[], ["Sub-area", "Bagian", "Bobot", "Nilai unit", "Nilai TPI"]]
    for node_id, value in unit.skor.sub_area.items():
        node = nodes[node_id]
        rows.append(
            [
                node.nama,
                BAGIAN_LABEL.get(node.bagian, node.bagian),
                float(node.bobot),
                float(value),
                float(tpi.skor.sub_area.get(node_id, 0)),
            ]
        )
    rows += [[], ["Predikat", "Kriteria", "Batas", "Nilai unit", "Memenuhi (unit)"]]
    rows[-1] += ["Nilai TPI", "Memenuhi (TPI)"]
    for predikat, putusan in unit.putusan.items():
        tpi_kriteria = {k.kunci: k for k in tpi.putusan[predikat].kriteria}
        for k in putusan.kriteria:
            t = tpi_kriteria.get(k.kunci)
            rows.append(
                [
                    predikat,
                    k.nama,
                    float(k.batas),
                    float(k.nilai),
                    "Ya" if k.memenuhi else "Tidak",
                    float(t.nilai) if t else None,
                    ("Ya" if t.memenuhi else "Tidak") if t else None,
                ]
            )
        rows.append(
            [
                predikat,
                "Memenuhi semua kriteria",
                None,
                None,
                "Ya" if putusan.memenuhi else "Tidak",
                None,
                "Ya" if tpi.putusan[predikat].memenuhi else "Tidak",
            ]
        )
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet["A1"].font = TITLE
    for kolom, lebar in zip("ABCDEFG", [58, 40, 12, 14, 14, 14, 14], strict=True):
        sheet.column_dimensions[kolom].width = lebar


def workbook_bytes(penilaian: PenilaianLke) -> bytes:
    out = io.BytesIO()
    workbook(penilaian).save(out)
    return out.getvalue()


def nama_berkas(penilaian: PenilaianLke, ext: str) -> str:
    return f"lke-{penilaian.satuan_kerja.slug}-{penilaian.tahun}.{ext}"


# --- import -----------------------------------------------------------------------------

_SHEET_PART = re.compile(r"^xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)$", re.IGNORECASE)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def periksa_berkas(content: bytes) -> None:
    """Refuse what is not a reasonable .xlsx before parsing it: too large, not a zip,
    or a sheet whose XML unpacks beyond the limit (sizes from the central directory;
    ``zipfile`` never reads past a part's declared size)."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"Berkas terlalu besar: paling besar {_mb(MAX_UPLOAD_BYTES)}.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError("Berkas bukan workbook Excel (.xlsx).") from None
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names:
        raise ValidationError("Berkas bukan workbook Excel (.xlsx).")
    total = sum(p.file_size for p in parts)
    for part in parts:
        if _SHEET_PART.match(part.filename) and part.file_size > MAX_PART_BYTES:
            raise ValidationError(
                f"Isi workbook terlalu besar ({part.filename}: {_mb(part.file_size)} setelah "
                f"diekstrak; paling besar {_mb(MAX_PART_BYTES)})."
            )
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(
            f"Isi workbook terlalu besar ({_mb(total)} setelah diekstrak; paling besar "
            f"{_mb(MAX_TOTAL_BYTES)})."
        )


class _SelTidakSah(ValueError):
    pass


def _teks_sel(cell: object) -> str:
    """A cell's value as text, as it was typed; refuses formulas, dates and booleans.
    Numbers: 12.0 -> '12', 3.6 -> '3.6'."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    ):
        raise _SelTidakSah("berisi rumus; tuliskan nilainya saja")
    if isinstance(value, bool):
        raise _SelTidakSah("berisi nilai TRUE/FALSE, bukan jawaban")
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise _SelTidakSah("berisi tanggal atau waktu, bukan jawaban")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")):
            raise _SelTidakSah("berisi angka yang tidak sah")
        if value == int(value):
            return str(int(value))
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value.strip()
    raise _SelTidakSah("berisi nilai yang tidak dapat dibaca")


@dataclass(frozen=True)
class _Kolom:
    nama: str  # which field, for the message
    kolom: str


def _kolom_soal(soal: SoalLke) -> dict[str, _Kolom]:
    return {
        "jawaban_unit": _Kolom("jawaban unit", soal.kolom_jawaban_unit),
        "catatan_unit": _Kolom("catatan unit", soal.kolom_catatan_unit),
        "bukti_unit": _Kolom("bukti dukung unit", soal.kolom_bukti_unit),
        "jawaban_tpi": _Kolom("jawaban TPI", soal.kolom_jawaban_tpi),
        "catatan_tpi": _Kolom("catatan TPI", soal.kolom_catatan_tpi),
    }


def _read_rows(content: bytes, soals: Sequence[SoalLke]) -> dict[int, dict[int, object]]:
    """row number -> column index -> cell, for the questions' rows (one pass over the
    sheet, read-only, formulas kept as formulas)."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise ValidationError("Berkas bukan workbook Excel (.xlsx) yang dapat dibaca.") from None
    try:
        if SHEET not in book.sheetnames:
            raise ValidationError(
                f"Workbook tidak memiliki lembar '{SHEET}' (format PortalRB). "
                f"Lembar yang ada: {', '.join(book.sheetnames)[:200]}."
            )
        wanted = {s.excel_baris for s in soals}
        max_col = max(
            column_index_from_string(k.kolom) for s in soals for k in _kolom_soal(s).values()
        )
        rows: dict[int, dict[int, object]] = {}
        try:
            for row in book[SHEET].iter_rows(
                min_row=min(wanted), max_row=max(wanted), max_col=max_col
            ):
                cells = [c for c in row if getattr(c, "row", None) is not None]
                if not cells:
                    continue
                nomor = cells[0].row
                if nomor in wanted:
                    rows[nomor] = {c.column: c for c in cells}
        except ValidationError:
            raise
        except Exception:
            raise ValidationError(
                f"Lembar '{SHEET}' tidak dapat dibaca; simpan ulang sebagai .xlsx."
            ) from None
        return rows
    finally:
        book.close()


def baca_workbook(penilaian: PenilaianLke, content: bytes) -> dict[int, services.BarisIsi]:
    """The workbook's rows for every question of the assessment's master, checked; raises
    ``ValidationError`` with one Indonesian message per bad cell (nothing is written)."""
    periksa_berkas(content)
    soals = list(SoalLke.objects.filter(master_id=penilaian.master_id).in_order())
    rows = _read_rows(content, soals)
    errors: list[str] = []
    out: dict[int, services.BarisIsi] = {}
    for soal in soals:
        cells = rows.get(soal.excel_baris, {})
        values: dict[str, str] = {}
        where = f"Baris {soal.excel_baris} (soal {soal.soal_id})"
        for field, kolom in _kolom_soal(soal).items():
            cell = cells.get(column_index_from_string(kolom.kolom))
            try:
                values[field] = _teks_sel(cell)
            except _SelTidakSah as e:
                errors.append(f"{where}, sel {kolom.kolom}{soal.excel_baris} ({kolom.nama}): {e}.")
                values[field] = ""
        info = scoring.SoalInfo.of(soal)
        for field in ("jawaban_unit", "jawaban_tpi"):
            kolom = _kolom_soal(soal)[field]
            try:
                values[field] = scoring.normalise(info, values[field])
            except scoring.JawabanTidakSah as e:
                errors.append(f"{where}, kolom {kolom.kolom} ({kolom.nama}): {e}")
                values[field] = ""
                continue
            if len(values[field]) > MAX_JAWABAN:
                errors.append(
                    f"{where}, kolom {kolom.kolom} ({kolom.nama}): jawaban terlalu panjang "
                    f"(paling banyak {MAX_JAWABAN} karakter)."
                )
        bukti_ids, tautan = pisah_sel_bukti(values["bukti_unit"])
        try:
            tautan = services.clean_tautan(tautan)
        except ValidationError as e:
            kolom = _kolom_soal(soal)["bukti_unit"]
            errors.append(f"{where}, kolom {kolom.kolom} ({kolom.nama}): {e.messages[0]}")
        out[soal.soal_id] = services.BarisIsi(
            soal_id=soal.soal_id,
            jawaban_unit=values["jawaban_unit"],
            catatan_unit=values["catatan_unit"],
            tautan=tautan,
            bukti_ids=bukti_ids,
            jawaban_tpi=values["jawaban_tpi"],
            catatan_tpi=values["catatan_tpi"],
        )
    if errors:
        raise ValidationError(errors)
    return out


def impor_workbook(
    *,
    penilaian: PenilaianLke,
    content: bytes,
    by: User | None,
    sumber: str,
    boleh_unit: bool,
    boleh_tpi: bool,
    abaikan_kunci: bool = False,
) -> dict[str, int]:
    """Read the workbook into the assessment, all or nothing (audited by the service);
    returns the number of questions changed per side."""
    baris = baca_workbook(penilaian, content)
    return services.penilaian_isi(
        penilaian=penilaian,
        baris=baris,
        by=by,
        sumber=sumber,
        boleh_unit=boleh_unit,
        boleh_tpi=boleh_tpi,
        abaikan_kunci=abaikan_kunci,
    )
