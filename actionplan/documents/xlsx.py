"""The plan as an Excel workbook, and back.

Export (openpyxl): a "Lampiran" sheet laid out like the decree (merged heading, the same
columns, ✓ marks, wrapped text, column widths, landscape F4 print set-up with the header
rows repeated), a "Data" sheet with one row per step for re-import, written by the
django-import-export resource below, and a "Kemajuan" sheet with each slot's state now
(one row per step and month, for filtering; never read back).

Import (django-import-export, in the admin with its preview-then-confirm): the "Data"
sheet into a chosen plan. Every bad row is reported with its number and reason and, as
the import runs in one transaction, nothing is written unless every row is right.
Formulas are never executed (cells are read as written) and refused; text that looks
like a formula is written as text on export.

Bounds, checked before the work they guard: the workbook's size (``IMPORT_MAX_BYTES``),
the ZIP's central directory (total and per-part sizes, ratios: no bomb is unpacked) and
the sheets' uncompressed XML (``SHEET_XML_MAX``) before parsing; rows are counted while
streaming and reading stops at ``MAX_ROWS`` + 1 (the sheet's ``<dimension>`` is not
trusted: a workbook claiming A1:A1 is read to its last row). The preview only validates;
the confirm validates again and writes every row at once (``documents.impor``).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, DateTimeField, Subquery
from django.utils import timezone
from import_export import fields, resources
from import_export.formats.base_formats import XLSX
from import_export.results import Result
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actionplan.enums import ROMAWI, nama_bulan, nomor_dari_romawi
from actionplan.models import (
    LangkahAksi,
    LangkahAksiQuerySet,
    RencanaAksi,
    Slot,
    TimKerja,
)
from actionplan.progress.moment import Moment
from actionplan.progress.states import (
    State,
    live_versions,
    slots_with_state,
    with_review_times,
)

DATA_SHEET = "Data"
MAX_ROWS = 2000
IMPORT_MAX_BYTES = 10 * 1024 * 1024
SHEET_XML_MAX = 40 * 1024 * 1024
MAX_COLUMNS = 30


class ImporDitolak(ValueError):
    """The workbook is refused before any row is read; the message is for the admin."""


KODE = re.compile(r"^(I|II|III|IV|V|VI)\.([1-9][0-9]{0,2})\.([1-9][0-9]{0,2})\.([1-9][0-9]{0,2})$")


class FormulaCell(str):
    """A cell that held a formula in the uploaded workbook (kept as its text)."""


def kode_of(langkah: LangkahAksi) -> str:
    """The step's stable id within its plan: area.komponen.indikator.langkah."""
    indikator = langkah.indikator
    komponen = indikator.komponen
    return f"{komponen.area.romawi}.{komponen.nomor}.{indikator.urutan}.{langkah.urutan}"


class LangkahAksiResource(resources.ModelResource):
    """One row per langkah aksi of a plan (the "Data" sheet)."""

    kode = fields.Field(column_name="kode")
    area = fields.Field(column_name="area")
    area_nama = fields.Field(column_name="area_nama")
    komponen_no = fields.Field(column_name="komponen_no")
    komponen = fields.Field(column_name="komponen")
    indikator = fields.Field(column_name="indikator")
    langkah_aksi = fields.Field(column_name="langkah_aksi")
    bukti_fisik = fields.Field(column_name="bukti_fisik")
    bulan = fields.Field(column_name="bulan")
    tim = fields.Field(column_name="tim")

    class Meta:
        model = LangkahAksi
        fields = (
            "kode", "area", "area_nama", "komponen_no", "komponen", "indikator",
            "langkah_aksi", "bukti_fisik", "bulan", "tim",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ()
        skip_diff = True
        clean_model_instances = False
        use_transactions = True

    def __init__(self, rencana: RencanaAksi | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.rencana = rencana
        self._seen: dict[str, int] = {}
        self._teams: dict[str, TimKerja] = {}
        # The text each area / komponen / indikator number got first, and on which row:
        # a later row giving the same number another text is an error, not a silent win.
        self._texts: dict[tuple, tuple[str, int]] = {}
        self._existing: dict[str, int] = {}
        self._with_evidence: dict[str, set[int]] = {}
        self._pending: list[tuple[LangkahAksi, dict[str, Any]]] = []

    # --- export -----------------------------------------------------------------------

    def get_queryset(self) -> LangkahAksiQuerySet:
        assert self.rencana is not None  # exported for a plan (workbook_bytes)
        return LangkahAksi.objects.of_plan(self.rencana).in_document_order()

    def dehydrate_kode(self, obj: LangkahAksi) -> str:
        return kode_of(obj)

    def dehydrate_area(self, obj: LangkahAksi) -> str:
        return obj.indikator.komponen.area.romawi

    def dehydrate_area_nama(self, obj: LangkahAksi) -> str:
        return obj.indikator.komponen.area.nama

    def dehydrate_komponen_no(self, obj: LangkahAksi) -> int:
        return obj.indikator.komponen.nomor

    def dehydrate_komponen(self, obj: LangkahAksi) -> str:
        return obj.indikator.komponen.nama

    def dehydrate_indikator(self, obj: LangkahAksi) -> str:
        return obj.indikator.teks

    def dehydrate_langkah_aksi(self, obj: LangkahAksi) -> str:
        return obj.teks

    def dehydrate_bukti_fisik(self, obj: LangkahAksi) -> str:
        # One item per line, so a step's several items come back as several items (an
        # item's own line breaks, if any, become spaces).
        return "\n".join(" ".join(b.teks.split()) for b in obj.bukti_fisik.all())

    def dehydrate_bulan(self, obj: LangkahAksi) -> str:
        return ", ".join(str(b) for b in obj.bulan)

    def dehydrate_tim(self, obj: LangkahAksi) -> str:
        return obj.tim.nama

    # --- import -----------------------------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs: object) -> None:
        if self.rencana is None:
            raise ValueError("Pilih rencana aksi tujuan impor.")
        missing = [c for c in self._meta.fields if c not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                f"Lembar '{DATA_SHEET}' tidak memiliki kolom: {', '.join(missing)}. "
                "Gunakan berkas hasil ekspor ZI Tracker."
            )
        if len(dataset) > MAX_ROWS:
            raise ValueError(f"Terlalu banyak baris ({len(dataset)}); paling banyak {MAX_ROWS}.")
        self._teams = {
            t.nama: t for t in TimKerja.objects.filter(satuan_kerja_id=self.rencana.satuan_kerja_id)
        }
        # The plan's steps by kode, so a row for an existing step counts as an update.
        self._existing = {
            f"{ROMAWI[area - 1]}.{komponen}.{indikator}.{urutan}": pk
            for pk, area, komponen, indikator, urutan in LangkahAksi.objects.of_plan(
                self.rencana
            ).values_list(
                "pk",
                "indikator__komponen__area__nomor",
                "indikator__komponen__nomor",
                "indikator__urutan",
                "urutan",
            )
        }
        self._pending = []
        # Months with evidence cannot leave a step's schedule (their slot is protected):
        # said in the preview, not found at the confirm.
        kode_of_pk = {pk: kode for kode, pk in self._existing.items()}
        self._with_evidence = {}
        for langkah_id, bulan in (
            Slot.objects.filter(langkah_aksi_id__in=kode_of_pk, bukti__isnull=False)
            .values_list("langkah_aksi_id", "bulan")
            .distinct()
        ):
            self._with_evidence.setdefault(kode_of_pk[langkah_id], set()).add(bulan)

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        assert self.rencana is not None  # before_import refused the import without one
        from actionplan.documents.impor import tulis_baris

        # Every row at once, under the plan's lock taken here, late (the rows were read
        # and checked before it, outside any transaction: see import_data), with the
        # audit record in the same transaction.
        with transaction.atomic():
            ids = tulis_baris(self.rencana, [data for _, data in self._pending])
            for (instance, _), pk in zip(self._pending, ids, strict=True):
                instance.pk = pk
            self._audit(dataset, kwargs)

    def _audit(self, dataset: tablib.Dataset, kwargs: dict[str, Any]) -> None:
        assert self.rencana is not None
        from actionplan.audit import audit_record
        from actionplan.enums import AksiAudit

        audit_record(
            aksi=AksiAudit.RENCANA_DIUBAH,
            objek=self.rencana,
            ringkasan=f"Impor Excel: {len(dataset)} baris langkah aksi dari "
            f"{kwargs.get('file_name') or 'berkas'}",
            aktor=kwargs.get("aktor"),
            satuan_kerja_id=self.rencana.satuan_kerja_id,
        )

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        """Rows are read and checked with no transaction open: nothing is written until
        ``after_import`` writes them all in its own short transaction. (A transaction
        around the reading would, on SQLite's BEGIN IMMEDIATE, hold the database's write
        lock for the whole preview or confirm, and members' uploads would wait.)"""
        return self.import_data_inner(
            dataset, dry_run, raise_errors, False, collect_failed_rows, **kwargs
        )

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[LangkahAksi, bool]:
        """An existing step of the plan (by its kode): the row updates it."""
        kode = row.get("kode")
        pk = self._existing.get(kode.strip()) if isinstance(kode, str) else None
        if pk is not None:
            return LangkahAksi(pk=pk), False
        return LangkahAksi(), True

    def import_instance(self, instance: LangkahAksi, row: dict, **kwargs: Any) -> None:
        assert self.rencana is not None  # before_import refused the import without one
        errors: dict[str, list[str]] = {}

        def text(column: str, *, required: bool) -> str:
            value = row.get(column)
            if isinstance(value, FormulaCell):
                errors.setdefault(column, []).append("berisi rumus; rumus tidak diizinkan.")
                return ""
            value = "" if value is None else str(value).strip()
            if required and not value:
                errors.setdefault(column, []).append("wajib diisi.")
            return value

        kode = text("kode", required=True)
        area = text("area", required=True)
        area_nama = text("area_nama", required=True)
        komponen_no = text("komponen_no", required=True)
        komponen = text("komponen", required=False)
        indikator = text("indikator", required=True)
        langkah = text("langkah_aksi", required=True)
        bukti = [line.strip() for line in text("bukti_fisik", required=False).splitlines()]
        bulan_text = text("bulan", required=False)
        tim = text("tim", required=True)

        parsed_area = None
        if area:
            try:
                parsed_area = nomor_dari_romawi(area)
            except ValueError:
                errors.setdefault("area", []).append(
                    f"area '{area}' tidak dikenal; gunakan {', '.join(ROMAWI)}."
                )
        match = KODE.match(kode) if kode else None
        if kode and not match:
            errors.setdefault("kode", []).append(
                f"kode '{kode}' tidak sah; bentuknya AREA.KOMPONEN.INDIKATOR.LANGKAH, mis. I.4.2.1."
            )
        if match and parsed_area and (match[1] != area or match[2] != komponen_no):
            errors.setdefault("kode", []).append(
                f"kode '{kode}' tidak cocok dengan area {area} dan komponen {komponen_no}."
            )
        if match and kode in self._seen:
            errors.setdefault("kode", []).append(
                f"kode '{kode}' sudah dipakai di baris {self._seen[kode]}: penomoran ganda."
            )
        bulan: list[int] = []
        for part in filter(None, (p.strip() for p in bulan_text.split(","))):
            if not re.fullmatch(r"[0-9]{1,2}", part) or not 1 <= int(part) <= 12:
                errors.setdefault("bulan", []).append(
                    f"bulan '{part}' tidak sah; bulan pelaksanaan hanya 1 sampai 12."
                )
            else:
                bulan.append(int(part))
        if kept := sorted(self._with_evidence.get(kode, set()) - set(bulan)):
            errors.setdefault("bulan", []).append(
                f"bulan {', '.join(map(str, kept))} sudah memiliki bukti dukung, sehingga tidak "
                "dapat dihapus dari jadwal langkah aksi ini."
            )
        if tim and tim not in self._teams:
            errors.setdefault("tim", []).append(
                f"tim '{tim}' tidak ada di {self.rencana.satuan_kerja}."
            )
        # import-export numbers data rows from 1; in Excel that row is one lower, below the
        # header. Say both, so the coordinator finds the row either way.
        excel_row = int(kwargs.get("row_number") or 0) + 1
        if match and parsed_area and not errors:
            for key, column, value in (
                (("area", match[1]), "area_nama", area_nama),
                (("komponen", match[1], match[2]), "komponen", komponen),
                (("indikator", match[1], match[2], match[3]), "indikator", indikator),
            ):
                first = self._texts.setdefault(key, (value, excel_row))
                if first[0] != value:
                    errors.setdefault(column, []).append(
                        f"berbeda dari baris {first[1]} untuk nomor yang sama ('{first[0][:60]}')."
                    )
        if errors:
            raise ValidationError(
                {
                    column: [
                        f"{message} (baris {excel_row} lembar {DATA_SHEET})" for message in messages
                    ]
                    for column, messages in errors.items()
                }
            )
        assert match is not None  # a missing or malformed kode raised above
        self._seen[kode] = excel_row
        instance.teks = langkah  # what the preview's table shows for the row
        # Handed to save_instance on the instance; the model does not declare it.
        instance._zi_row = {  # type: ignore[attr-defined]
            "area": parsed_area, "area_nama": area_nama, "komponen_no": int(match[2]),
            "komponen": komponen, "indikator_urutan": int(match[3]), "indikator": indikator,
            "urutan": int(match[4]), "teks": langkah, "bukti": [b for b in bukti if b],
            "bulan": sorted(set(bulan)), "tim": self._teams[tim],
        }  # fmt: skip

    def save_instance(
        self, instance: LangkahAksi, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        """Nothing is written per row: the preview only validates, and a confirmed import
        writes all rows at once in ``after_import``."""
        if not kwargs.get("dry_run"):
            self._pending.append((instance, instance._zi_row))  # type: ignore[attr-defined]


class DataSheetXLSX(XLSX):
    """Reads the "Data" sheet of a ZI Tracker workbook (or the only sheet), keeping
    formulas as text so they are refused, never evaluated."""

    def get_title(self) -> str:
        return "xlsx (ZI Tracker)"

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        content = bytes(in_stream)
        _check_workbook(content)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.active
            # The stored <dimension> may lie (A1:A1 for 50 rows): read to the last row.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS)
            header = [getattr(cell, "value", None) for cell in next(rows, ())]
            while header and header[-1] in (None, ""):
                header.pop()
            dataset = tablib.Dataset()
            dataset.headers = header
            width = len(header)
            count = 0
            for row in rows:
                values = [
                    FormulaCell(cell.value)
                    if getattr(cell, "data_type", None) == "f"
                    else getattr(cell, "value", None)
                    for cell in row
                ]
                if any(value not in (None, "") for value in values):
                    count += 1
                    if count > MAX_ROWS:
                        raise ImporDitolak(
                            f"Lembar '{sheet.title}' berisi lebih dari {MAX_ROWS} baris data; "
                            f"paling banyak {MAX_ROWS} baris per impor."
                        )
                    dataset.append((values + [None] * width)[:width])
        finally:
            book.close()
        return dataset


def _check_workbook(content: bytes) -> None:
    """The workbook's bounds before it is parsed: its size, its ZIP's central directory
    (no bomb is unpacked), and the uncompressed size of each sheet's XML."""
    import zipfile

    from evidence.active_content import Ditolak, check_archive

    mb = 1024 * 1024
    if len(content) > IMPORT_MAX_BYTES:
        ukuran = f"{len(content) / mb:.1f}".replace(".", ",")
        raise ImporDitolak(
            f"Berkas berukuran {ukuran} MB, melebihi batas {IMPORT_MAX_BYTES // mb} MB untuk impor."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImporDitolak("Berkas bukan buku kerja Excel (.xlsx) yang utuh.") from None
    with archive:
        for info in archive.infolist():
            name = info.filename.lower()
            if (name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml") and (
                info.file_size > SHEET_XML_MAX
            ):
                raise ImporDitolak(
                    f"Bagian {info.filename} berukuran {info.file_size // mb} MB jika dibuka, "
                    f"melebihi batas {SHEET_XML_MAX // mb} MB untuk impor."
                )
        try:
            infos = check_archive(archive)
        except Ditolak as refused:
            raise ImporDitolak(f"Berkas ditolak: {refused}.") from None
        if "xl/workbook.xml" not in {info.filename for info in infos}:
            raise ImporDitolak("Berkas bukan buku kerja Excel (.xlsx) yang utuh.")


# --- export -----------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
WIDTHS = [5, 22, 28, 32, 28] + [3.6] * 12 + [20]
FOLIO_PAPER = 14  # Excel's "Folio" 8.5 x 13 in (216 x 330 mm): the Indonesian F4


# Row heights: Excel does not grow a row to its wrapped text when it opens a file, so the
# export sets each height from an estimate. Text is Arial 9 pt (Liberation Sans on Linux,
# the same metrics); a column width unit (one "0" of Calibri 11) holds about 1.1
# characters of it, fewer for capitals. A line is ~13 pt tall with the cell's padding.
BODY_FONT = Font(name="Arial", size=9)
BOLD_FONT = Font(name="Arial", size=9, bold=True)
CHARS_PER_WIDTH = 1.1
LINE_PT = 13
PADDING_PT = 4
DEFAULT_ROW_PT = 15
WIDE = frozenset("ABCDEFGHKMNOPQRSTUVWXYZmw@%")


def _text_width(word: str) -> float:
    """A word's width in narrow characters: capitals and m/w count as 1.3."""
    return sum(1.3 if ch in WIDE else 1.0 for ch in word)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped by words in a column ``width`` units wide
    (a greedy wrap per paragraph, as Excel and LibreOffice do; a word longer than a line
    is broken)."""
    per_line = max(1.0, (width - 0.8) * CHARS_PER_WIDTH)  # less the cell's margins
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split():
            size = _text_width(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                count += 1
            # A word wider than the line runs over several lines.
            extra = int(size // per_line) if size > per_line else 0
            count += extra
            used = size - extra * per_line
        lines += count
    return lines


def fit_row(sheet: Worksheet, row: int, cells: list[tuple[object, float]]) -> None:
    """Give ``row`` the height its tallest wrapped text needs: ``cells`` are (value,
    width in units) of the row's cells (a merged cell's width is its columns' sum)."""
    lines = max(
        (wrapped_lines(str(value), width) for value, width in cells if value not in (None, "")),
        default=1,
    )
    height = lines * LINE_PT + PADDING_PT
    if height > DEFAULT_ROW_PT:
        sheet.row_dimensions[row].height = min(height, 409)  # Excel's largest row


def _safe(cell: Cell, value: object) -> None:
    """Write text as text: a value starting with = is never turned into a formula, and
    control characters Excel cannot hold (pasted from Word) are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def workbook_bytes(rencana: RencanaAksi) -> bytes:
    from actionplan.selectors import lampiran_rows

    book = Workbook()
    sheet = book.active
    sheet.title = "Lampiran"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    heading = [
        "LAMPIRAN",
        f"KEPUTUSAN {rencana.instansi_penetap}",
        rencana.nomor_lengkap,
        "TENTANG",
        rencana.judul,
    ]
    heading_width = sum(WIDTHS[11:18])
    for offset, text in enumerate(heading):
        row = 1 + offset
        sheet.merge_cells(start_row=row, start_column=12, end_row=row, end_column=18)
        _safe(sheet.cell(row=row, column=12), text)
        sheet.cell(row=row, column=12).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=12).font = BODY_FONT
        fit_row(sheet, row, [(text, heading_width)])
    sheet.merge_cells("A7:R7")
    _safe(sheet["A7"], rencana.judul_tabel)
    sheet["A7"].font = Font(name="Arial", size=10, bold=True)
    sheet["A7"].alignment = CENTER
    # Bold 10 pt capitals: count the width a little narrower.
    fit_row(sheet, 7, [(rencana.judul_tabel, sum(WIDTHS) * 0.85)])

    head = 9
    for column, title in enumerate(
        ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK"], start=1
    ):
        sheet.merge_cells(start_row=head, start_column=column, end_row=head + 1, end_column=column)
        sheet.cell(row=head, column=column, value=title)
    sheet.merge_cells(start_row=head, start_column=6, end_row=head, end_column=17)
    sheet.cell(row=head, column=6, value="PELAKSANAAN (BULAN)")
    sheet.merge_cells(start_row=head, start_column=18, end_row=head + 1, end_column=18)
    sheet.cell(row=head, column=18, value="PENANGGUNG JAWAB")
    for month in range(1, 13):
        sheet.cell(row=head + 1, column=5 + month, value=month)
    for column in range(1, 19):
        sheet.cell(row=head + 2, column=column, value=column)
        for row in (head, head + 1, head + 2):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(name="Arial", bold=row != head + 2, size=9 if row != head + 2 else 7)
            cell.alignment = CENTER
            cell.fill = HEADER_FILL
            cell.border = BORDER

    row = head + 3
    for item in lampiran_rows(rencana):
        langkah = item["langkah"]
        if item["area"]:
            sheet.cell(row=row, column=1, value=item["area"].romawi).font = BOLD_FONT
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=18)
            _safe(sheet.cell(row=row, column=2), item["area"].nama)
            sheet.cell(row=row, column=2).font = BOLD_FONT
            sheet.cell(row=row, column=2).alignment = WRAP
            for column in range(1, 19):
                sheet.cell(row=row, column=column).border = BORDER
            fit_row(sheet, row, [(item["area"].nama, sum(WIDTHS[1:]))])
            row += 1
        values = [
            item["komponen"].nomor if item["komponen"] else None,
            item["komponen"].nama if item["komponen"] else None,
            langkah.indikator.teks,
            langkah.teks,
            langkah.bukti_fisik_teks,
            *["✓" if month in langkah.bulan else None for month in range(1, 13)],
            item["tim"].nama if item["tim"] else None,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            _safe(cell, value)
            cell.border = BORDER
            cell.alignment = CENTER if 6 <= column <= 17 else WRAP
            if not 6 <= column <= 17:
                cell.font = BODY_FONT
        fit_row(sheet, row, list(zip(values, WIDTHS, strict=True)))
        row += 1

    row += 1
    for offset, text in enumerate(
        [f"{rencana.jabatan_penandatangan},", "Ttd.", "", rencana.nama_penandatangan]
    ):
        _safe(sheet.cell(row=row + offset, column=12), text)
    row += 5
    if rencana.salinan_instansi:
        for offset, text in enumerate(
            [
                "Salinan sesuai dengan aslinya",
                rencana.salinan_instansi,
                rencana.salinan_jabatan,
                "",
                rencana.salinan_nama,
            ]
        ):
            _safe(sheet.cell(row=row + offset, column=2), text)

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = FOLIO_PAPER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{head}:{head + 2}"
    sheet.freeze_panes = sheet.cell(row=head + 3, column=1)

    data = book.create_sheet(DATA_SHEET)
    dataset = LangkahAksiResource(rencana=rencana).export()
    data.append(dataset.headers)
    for values in dataset:
        data.append([None] * len(values))  # placeholders, filled through _safe below
        for column, value in enumerate(values, start=1):
            cell = data.cell(row=data.max_row, column=column)
            _safe(cell, value)
            cell.alignment = WRAP
    for index, width in enumerate([10, 6, 30, 8, 26, 40, 40, 34, 14, 28], start=1):
        data.column_dimensions[get_column_letter(index)].width = width
    data.freeze_panes = "A2"

    progress_sheet(book.create_sheet(PROGRESS_SHEET), rencana)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PROGRESS_SHEET = "Kemajuan"
PROGRESS_COLUMNS = [
    ("Area", 6),
    ("Komponen", 30),
    ("No. indikator", 9),
    ("Langkah aksi", 50),
    ("Tim penanggung jawab", 28),
    ("Bulan", 11),
    ("Keadaan", 18),
    ("Terakhir dikirim", 14),
    ("Direview", 14),
    ("Dikirim terlambat", 11),
]


def progress_sheet(sheet: Worksheet, rencana: RencanaAksi) -> None:
    """One row per slot (a step's scheduled month) with its state now (``Moment.now``):
    when evidence was last sent, when it was reviewed, and whether that version was sent
    late (after its month ended: lateness is a mark of a version, never a state; empty
    when nothing was sent). Header frozen, an autofilter over the table. One query."""
    moment = Moment.now(rencana)
    labels = dict(State.choices)
    live = live_versions(moment.cutoff)
    slots = (
        with_review_times(slots_with_state(rencana, moment), moment)
        .annotate(
            last_sent=Subquery(live.values("diunggah_pada")[:1], output_field=DateTimeField()),
            sent_late=Subquery(live.values("terlambat")[:1], output_field=BooleanField()),
        )
        .with_step()
        .in_document_order()
    )
    sheet.append([title for title, _ in PROGRESS_COLUMNS])
    for column, (_, width) in enumerate(PROGRESS_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(column)].width = width

    def day(value: datetime.datetime | None) -> datetime.date | None:
        return timezone.localtime(value).date() if value is not None else None

    for slot in slots:
        langkah = slot.langkah_aksi
        komponen = langkah.indikator.komponen
        # Annotations of with_state() and with_review_times(), which the stubs cannot follow.
        state = slot.state  # type: ignore[attr-defined]
        reviewed = (
            slot.approved_at  # type: ignore[attr-defined]
            if state == State.APPROVED
            else slot.latest_reviewed_at  # type: ignore[attr-defined]
        )
        late = slot.sent_late  # type: ignore[attr-defined]
        values = [
            komponen.area.romawi,
            f"{komponen.nomor}. {komponen.nama}",
            langkah.indikator.urutan,
            langkah.teks,
            langkah.tim.nama,
            nama_bulan(slot.bulan),
            labels[state],
            day(slot.last_sent),  # type: ignore[attr-defined]
            day(reviewed),
            "" if late is None else ("Ya" if late else "Tidak"),
        ]
        sheet.append([None] * len(values))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            _safe(cell, value)
            cell.alignment = WRAP
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    last = get_column_letter(len(PROGRESS_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 2)}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = FOLIO_PAPER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def import_workbook(rencana: RencanaAksi, content: bytes) -> Result:
    """Import a workbook's Data sheet into ``rencana``, all or nothing; returns the
    django-import-export result (``has_errors()``, ``invalid_rows``, ``base_errors``)."""
    dataset = DataSheetXLSX().create_dataset(content)
    resource = LangkahAksiResource(rencana=rencana)
    # Writes happen only when every row is right, in one transaction (after_import).
    return resource.import_data(dataset, dry_run=False, raise_errors=False)
