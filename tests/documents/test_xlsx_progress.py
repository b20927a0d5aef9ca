"""The workbook's "Kemajuan" sheet: each slot's state now, read back with openpyxl."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from actionplan.documents.xlsx import PROGRESS_SHEET, import_workbook, workbook_bytes
from actionplan.models import Slot
from evidence.enums import StatusBukti
from evidence.services import bukti_review

HEADER = [
    "Area", "Komponen", "No. indikator", "Langkah aksi", "Tim penanggung jawab", "Bulan",
    "Keadaan", "Terakhir dikirim", "Direview", "Dikirim terlambat",
]  # fmt: skip


def _sheet(rencana):
    return load_workbook(io.BytesIO(workbook_bytes(rencana)))[PROGRESS_SHEET]


def test_progress_sheet_has_one_row_per_slot_with_its_state_now(world, clock):
    slot = world.langkah.jadwal.get
    # 3 March: January sent and approved on 5 March (late, after its month).
    clock.move_to(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC))
    bukti = world.submit(slot=slot(bulan=1))
    clock.move_to(datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC))
    bukti_review(bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI,
                 catatan="")  # fmt: skip
    # 10 May: February sent, returned on 12 May; April sent on 14 June (waiting).
    clock.move_to(datetime.datetime(2026, 5, 10, 9, 0, tzinfo=datetime.UTC))
    bukti = world.submit(slot=slot(bulan=2))
    clock.move_to(datetime.datetime(2026, 5, 12, 9, 0, tzinfo=datetime.UTC))
    bukti_review(bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DIKEMBALIKAN,
                 catatan="Kurang foto")  # fmt: skip
    clock.move_to(datetime.datetime(2026, 6, 14, 9, 0, tzinfo=datetime.UTC))
    world.submit(slot=slot(bulan=4))
    clock.move_to(datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC))

    sheet = _sheet(world.rencana)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == Slot.objects.of_plan(world.rencana).count() == 13
    komponen = world.langkah.indikator.komponen
    first = rows[1]
    assert first[:6] == (
        "I", f"{komponen.nomor}. {komponen.nama}", world.langkah.indikator.urutan,
        world.langkah.teks, "TIM A", "Januari",
    )  # fmt: skip
    by_month = {r[5]: r[6:] for r in rows[1:13]}  # langkah (TIM A), every month
    day = datetime.datetime
    # "Dikirim terlambat": the version was sent after its month ended (a mark of the
    # version, not a state); empty where nothing was sent.
    assert by_month["Januari"] == ("Disetujui", day(2026, 3, 3), day(2026, 3, 5), "Ya")
    assert by_month["Februari"] == ("Dikembalikan", day(2026, 5, 10), day(2026, 5, 12), "Ya")
    assert by_month["Maret"] == ("Belum dikirim", None, None, None)
    assert by_month["April"] == ("Menunggu review", day(2026, 6, 14), None, "Ya")
    assert by_month["Mei"] == ("Belum dikirim", None, None, None)
    assert by_month["Juni"] == ("Belum dikirim, bulan berjalan", None, None, None)
    assert by_month["Desember"] == ("Belum jatuh tempo", None, None, None)
    assert rows[13][4:7] == ("TIM B", "Juni", "Belum dikirim, bulan berjalan")  # langkah_b
    # The table is filterable and its header stays in view.
    assert sheet.auto_filter.ref == "A1:J14"
    assert sheet.freeze_panes == "A2"
    assert sheet["H2"].number_format == "DD/MM/YYYY"


def test_progress_sheet_of_a_plan_without_steps(empty_db):
    from tests.factories import RencanaAksiFactory

    sheet = _sheet(RencanaAksiFactory(tahun=2026))
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"


def test_import_reads_the_data_sheet_only(banyumas):
    """The Kemajuan sheet, even edited into nonsense, does not change what is imported."""
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    book[PROGRESS_SHEET]["A2"].value = "=1+1"
    book[PROGRESS_SHEET]["F2"].value = "Bulan ketiga belas"
    out = io.BytesIO()
    book.save(out)
    result = import_workbook(banyumas, out.getvalue())
    assert not result.has_errors() and not result.has_validation_errors()
