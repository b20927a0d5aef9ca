"""The Laporan monev PDF: print date, signature, the overdue steps with whose move it
is, and the month's kendala / tindak lanjut per area."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actionplan.documents.pdf import laporan_html, laporan_pdf, overdue_steps, waktu_cetak
from actionplan.progress.moment import Moment
from actionplan.progress.services import catatan_monev_simpan
from evidence.enums import StatusBukti
from evidence.services import bukti_review


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def monev(world):
    """On the pinned 15 June: January approved, February returned, March sent and
    waiting, April and May nothing sent; June is not yet overdue."""
    slot = world.langkah.jadwal.get
    for bulan in (1, 2):
        bukti = world.submit(slot=slot(bulan=bulan))
        keputusan = StatusBukti.DISETUJUI if bulan == 1 else StatusBukti.DIKEMBALIKAN
        bukti_review(bukti=bukti, oleh=world.users["reviewer"], keputusan=keputusan, catatan="x")
    world.submit(slot=slot(bulan=3))
    return world


def test_print_date_in_indonesian():
    import datetime
    from zoneinfo import ZoneInfo

    at = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)
    assert waktu_cetak(at) == "15 Juni 2026 pukul 10.00 WIB"
    assert waktu_cetak(at.astimezone(ZoneInfo("Asia/Jakarta"))) == "15 Juni 2026 pukul 10.00 WIB"


def test_overdue_steps_say_whose_move_it_is(monev, django_assert_num_queries):
    moment = Moment.of(monev.rencana, 6)
    # Two queries: whether the slots are settled, slot_list with the state annotation.
    with django_assert_num_queries(2):
        steps = overdue_steps(monev.rencana, moment)
    assert [g["langkah"].pk for g in steps] == [monev.langkah.pk]  # langkah_b is due in June
    months = [(b["bulan"], b["label"], b["giliran"]) for b in steps[0]["bulan"]]
    assert months == [
        (2, "Dikembalikan", "tim"),
        (3, "Menunggu review", "reviewer (TPI)"),
        (4, "Belum dikirim", "tim"),
        (5, "Belum dikirim", "tim"),
    ]
    assert steps[0]["giliran"] == ["tim", "reviewer (TPI)"]


def test_laporan_pdf_prints_date_overdue_list_notes_and_signature(monev):
    rencana = monev.rencana
    catatan_monev_simpan(
        rencana=rencana,
        bulan=6,
        area=1,
        kendala="Narasumber berhalangan hadir pada rapat evaluasi",
        tindak_lanjut="Rapat dijadwalkan ulang minggu depan",
        oleh=monev.users["admin"],
    )
    # Another month's note is not this month's report.
    catatan_monev_simpan(
        rencana=rencana, bulan=5, area=1, kendala="Catatan bulan Mei", tindak_lanjut="",
        oleh=monev.users["admin"],
    )  # fmt: skip
    text = _squash(_text(laporan_pdf(rencana, bulan=6)))
    assert "Dicetakpada15Juni2026pukul10.00WIB" in text
    # The overdue list, by step, with the months, the team and whose move it is.
    assert "Langkahaksiterlambat" in text
    for expected in (
        "Februari:Dikembalikan,gilirantim",
        "Maret:Menunggureview,giliranreviewer(TPI)",
        "April:Belumdikirim,gilirantim",
        "Mei:Belumdikirim,gilirantim",
    ):
        assert expected in text, expected
    assert "Januari:" not in text  # approved: not overdue
    # The area's narrative, under the summary; May's is not printed.
    assert _squash("Kendala: Narasumber berhalangan hadir pada rapat evaluasi") in text
    assert _squash("Tindak lanjut: Rapat dijadwalkan ulang minggu depan") in text
    assert "CatatanbulanMei" not in text
    assert text.index("Kendala:") < text.index("Langkahaksiterlambat")
    # The signature block at the end: place and print date, Mengetahui, title, name.
    closing = _squash(
        f"{rencana.tempat_penetapan}, 15 Juni 2026 Mengetahui, "
        f"{rencana.jabatan_penandatangan}, {rencana.nama_penandatangan}"
    )
    assert closing in text
    assert text.rindex(closing) > text.index("PELAKSANAAN(BULAN)")


def test_areas_with_nothing_written_are_left_out(world):
    from tests.factories import AreaPerubahanFactory, KomponenFactory

    AreaPerubahanFactory(rencana=world.rencana, nomor=2, nama="Area kedua")
    KomponenFactory(area=world.rencana.area.get(nomor=2))
    catatan_monev_simpan(
        rencana=world.rencana, bulan=6, area=1, kendala="", tindak_lanjut="Hanya tindak lanjut",
        oleh=world.users["admin"],
    )  # fmt: skip
    html = laporan_html(world.rencana, bulan=6)
    assert "Kendala dan tindak lanjut per area perubahan" in html
    assert "Hanya tindak lanjut" in html
    assert "<i>Kendala:</i>" not in html  # the empty text of area I
    assert (
        "Area kedua" not in html.split("Langkah aksi terlambat")[0].split("per area perubahan")[1]
    )


def test_no_notes_and_nothing_overdue(world):
    world.langkah.jadwal.filter(bulan__lt=6).delete()
    html = laporan_html(world.rencana, bulan=6)
    assert "Kendala dan tindak lanjut" not in html
    assert "Tidak ada langkah aksi yang terlambat." in html
