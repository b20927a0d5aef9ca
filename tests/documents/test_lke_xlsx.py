"""The LKE workbook in PortalRB's layout: export, and the all-or-nothing import."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from actionplan.documents import lke_xlsx
from actionplan.documents.lke_xlsx import baca_workbook, impor_workbook, workbook_bytes
from actionplan.enums import AksiAudit
from actionplan.lke import scoring, services
from actionplan.lke.enums import Pihak, StatusPenilaian
from actionplan.lke.links import bukti_url
from actionplan.lke.models import JawabanLke, PenilaianLke, PeristiwaPenilaian, RiwayatJawaban
from actionplan.models import CatatanAudit
from evidence.enums import StatusBukti
from evidence.services import bukti_review

TAUTAN = "https://drive.example.go.id/sk-tim-zi.pdf"


def approved_bukti(world):
    bukti = world.submit()
    return bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )


def make_penilaian(world) -> PenilaianLke:
    return services.penilaian_get_or_create(
        satuan_kerja=world.unit, tahun=2026, by=world.users["admin"]
    )


def fill(world, penilaian: PenilaianLke, *, tpi: bool = True) -> PenilaianLke:
    """Unit answers of every type (with evidence), then submitted and the TPI's answers."""
    bukti = approved_bukti(world)
    baris = {
        1: services.BarisIsi(
            1, "Ya", "SK Tim ZI sudah terbit", tautan=TAUTAN, bukti_ids=(bukti.pk,)
        ),
        2: services.BarisIsi(2, "B", "Sebagian besar"),
        88: services.BarisIsi(88, "10"),
        89: services.BarisIsi(89, "7"),
        125: services.BarisIsi(125, "3.6", "Survei IPAK triwulan II"),
    }
    services.penilaian_isi(penilaian=penilaian, baris=baris, by=world.users["admin"], sumber="uji")
    if not tpi:
        return PenilaianLke.objects.with_unit().get(pk=penilaian.pk)
    services.penilaian_pindah(
        penilaian=penilaian, ke=StatusPenilaian.DIAJUKAN, by=world.users["admin"]
    )
    baris = {
        k: services.BarisIsi(
            v.soal_id, v.jawaban_unit, v.catatan_unit, v.tautan, v.bukti_ids, "", ""
        )
        for k, v in baris.items()
    }
    baris[1] = services.BarisIsi(
        1, "Ya", "SK Tim ZI sudah terbit", TAUTAN, (bukti.pk,), "Ya", "Sesuai"
    )
    baris[2] = services.BarisIsi(2, "B", "Sebagian besar", jawaban_tpi="C", catatan_tpi="Kurang")
    services.penilaian_isi(
        penilaian=penilaian, baris=baris, by=world.users["reviewer"], sumber="uji"
    )
    return PenilaianLke.objects.with_unit().get(pk=penilaian.pk)


def snapshot(penilaian: PenilaianLke) -> dict:
    return {
        j.soal.soal_id: (
            j.jawaban_unit,
            j.catatan_unit,
            j.tautan,
            sorted(b.pk for b in j.bukti.all()),
            j.jawaban_tpi,
            j.catatan_tpi,
        )
        for j in JawabanLke.objects.filter(penilaian=penilaian).select_related("soal")
        if any((j.jawaban_unit, j.catatan_unit, j.tautan, j.jawaban_tpi, j.catatan_tpi))
        or j.bukti.exists()
    }


def counts() -> tuple[int, int, int, int]:
    return (
        JawabanLke.objects.count(),
        RiwayatJawaban.objects.count(),
        CatatanAudit.objects.filter(aksi=AksiAudit.LKE_IMPOR).count(),
        PeristiwaPenilaian.objects.filter(aksi="diimpor").count(),
    )


def edited(data: bytes, **cells: object) -> bytes:
    """The workbook with cells of the Jawaban sheet changed (``K7="A"``)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Jawaban"]
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def impor(penilaian: PenilaianLke, data: bytes, by=None) -> dict[str, int]:
    return impor_workbook(
        penilaian=penilaian, content=data, by=by, sumber="uji", boleh_unit=True, boleh_tpi=True
    )


@pytest.fixture
def penilaian(world, lke_master) -> PenilaianLke:
    return make_penilaian(world)


# --- export ------------------------------------------------------------------------------


def test_export_writes_portalrb_cells(world, penilaian):
    penilaian = fill(world, penilaian)
    bukti = penilaian.jawaban.get(soal__soal_id=1).bukti.select_related("slot").get()
    book = load_workbook(io.BytesIO(workbook_bytes(penilaian)))
    assert book.sheetnames == ["Jawaban", "Nilai"]
    sheet = book["Jawaban"]
    # Soal 1 at row 6: K, L, M unit; N, Q TPI; the number and question for people.
    assert sheet["A6"].value == 1
    assert sheet["E6"].value.startswith("Unit kerja telah membentuk tim")
    assert (sheet["K6"].value, sheet["L6"].value) == ("Ya", "SK Tim ZI sudah terbit")
    assert sheet["M6"].value.split("\n") == [bukti_url(bukti), TAUTAN]
    assert (sheet["N6"].value, sheet["Q6"].value) == ("Ya", "Sesuai")
    assert (sheet["K7"].value, sheet["N7"].value, sheet["Q7"].value) == ("B", "C", "Kurang")
    # Counts and indices are numbers; unanswered cells are empty.
    assert sheet["K126"].value == 10 and isinstance(sheet["K126"].value, int)
    assert sheet["K199"].value == pytest.approx(3.6)
    assert sheet["K9"].value is None and sheet["N126"].value is None
    # The header row names PortalRB's columns.
    assert [sheet[f"{c}4"].value for c in "KLMNQ"] == [
        "Jawaban unit", "Catatan unit", "Bukti dukung unit", "Jawaban TPI", "Catatan TPI",
    ]  # fmt: skip
    nilai = book["Nilai"]
    values = {row[0]: row[1:3] for row in nilai.iter_rows(values_only=True) if row and row[0]}
    from actionplan.lke import selectors

    unit = selectors.nilai(penilaian, Pihak.UNIT)
    tpi = selectors.nilai(penilaian, Pihak.TPI)
    assert values["Nilai total (dari 100)"] == (
        pytest.approx(float(unit.skor.total)),
        pytest.approx(float(tpi.skor.total)),
    )


def test_export_writes_notes_as_text_never_formulas(world, penilaian):
    services.penilaian_isi(
        penilaian=penilaian,
        baris={1: services.BarisIsi(1, "Ya", '=HYPERLINK("http://x")')},
        by=None,
        sumber="uji",
    )
    data = workbook_bytes(penilaian)
    sheet = load_workbook(io.BytesIO(data))["Jawaban"]
    assert sheet["L6"].data_type == "s"
    # ... and it reads back the same.
    before = counts()[1]
    assert impor(penilaian, data) == {"unit": 0, "tpi": 0}
    assert RiwayatJawaban.objects.count() == before


@pytest.mark.parametrize(("answered", "queries"), [(1, 12), (3, 12)])
def test_export_query_count_is_constant(
    world, penilaian, django_assert_num_queries, answered, queries
):
    bukti = approved_bukti(world)
    baris = {
        sid: services.BarisIsi(sid, "Ya", "catatan", TAUTAN, (bukti.pk,))
        for sid in [1, 3, 9][:answered]
    }
    services.penilaian_isi(penilaian=penilaian, baris=baris, by=None, sumber="uji")
    penilaian = PenilaianLke.objects.with_unit().get(pk=penilaian.pk)
    scoring.Struktur.of(penilaian.master)  # the master's structure, kept per process
    cache.clear()
    # Nodes, questions, answers, their evidence with its slot (4); per side the score:
    # its answers, the thresholds' years and rows, already WBK (2 x 4).
    with django_assert_num_queries(queries):
        workbook_bytes(penilaian)


# --- round trip --------------------------------------------------------------------------


def test_round_trip_leaves_the_assessment_identical(world, penilaian):
    penilaian = fill(world, penilaian)
    before = snapshot(penilaian)
    riwayat = RiwayatJawaban.objects.count()
    assert impor(penilaian, workbook_bytes(penilaian)) == {"unit": 0, "tpi": 0}
    assert snapshot(penilaian) == before
    assert RiwayatJawaban.objects.count() == riwayat
    # The import itself is audited.
    assert CatatanAudit.objects.filter(aksi=AksiAudit.LKE_IMPOR).count() == 3


def test_round_trip_of_an_empty_assessment_writes_no_answers(world, penilaian):
    assert impor(penilaian, workbook_bytes(penilaian)) == {"unit": 0, "tpi": 0}
    assert not JawabanLke.objects.filter(penilaian=penilaian).exists()


def test_edited_workbook_changes_exactly_the_edited_fields(world, penilaian):
    penilaian = fill(world, penilaian, tpi=False)
    before = snapshot(penilaian)
    riwayat = set(RiwayatJawaban.objects.values_list("pk", flat=True))
    bukti_id = before[1][3][0]
    data = edited(
        workbook_bytes(penilaian),
        K7="a",  # soal 2: B -> A (typed in lower case)
        L6="SK Tim ZI 2026",  # soal 1's note
        M6=bukti_url(penilaian.jawaban.get(soal__soal_id=1).bukti.select_related("slot").get()),
        K9="Tidak",  # soal 3: newly answered
        K126=12.0,  # soal 88: a count as Excel stores it
        K199=3.62,  # soal 125: an index keeps its decimals
    )
    assert impor(penilaian, data, by=world.users["admin"]) == {"unit": 5, "tpi": 0}
    after = snapshot(penilaian)
    assert after[2][0] == "A"
    assert after[1][1] == "SK Tim ZI 2026"
    assert (after[1][2], after[1][3]) == ("", [bukti_id])  # the outside link removed
    assert after[3][0] == "Tidak"
    assert after[88][0] == "12"
    assert after[125][0] == "3.62"
    for sid in (89,):
        assert after[sid] == before[sid]
    changes = {
        (r.jawaban.soal.soal_id, r.pihak, r.kolom, r.lama, r.baru)
        for r in RiwayatJawaban.objects.exclude(pk__in=riwayat).select_related("jawaban__soal")
    }
    assert changes == {
        (2, "unit", "jawaban", "B", "A"),
        (1, "unit", "catatan", "SK Tim ZI sudah terbit", "SK Tim ZI 2026"),
        (1, "unit", "tautan", TAUTAN, ""),
        (3, "unit", "jawaban", "", "Tidak"),
        (88, "unit", "jawaban", "10", "12"),
        (125, "unit", "jawaban", "3.6", "3.62"),
    }


def test_a_blank_cell_clears_the_field(world, penilaian):
    penilaian = fill(world, penilaian, tpi=False)
    impor(penilaian, edited(workbook_bytes(penilaian), K7=None, L7=None))
    j = penilaian.jawaban.get(soal__soal_id=2)
    assert (j.jawaban_unit, j.catatan_unit) == ("", "")


# --- bad input: one test each, nothing changes -------------------------------------------


def _refused(penilaian, data: bytes, *expected: str) -> list[str]:
    before_counts, before = counts(), snapshot(penilaian)
    with pytest.raises(ValidationError) as caught:
        impor(penilaian, data)
    assert counts() == before_counts
    assert snapshot(penilaian) == before
    for text in expected:
        assert any(text in m for m in caught.value.messages), caught.value.messages
    return caught.value.messages


def test_not_an_xlsx_is_refused(world, penilaian):
    _refused(penilaian, b"Nama,Jawaban\nsoal 1,Ya\n", "bukan workbook Excel")


def test_a_zip_that_is_not_a_workbook_is_refused(world, penilaian):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("dokumen.txt", "halo")
    _refused(penilaian, out.getvalue(), "bukan workbook Excel")


def test_a_workbook_without_the_jawaban_sheet_is_refused(world, penilaian):
    book = Workbook()
    book.active.title = "Lembar1"
    book.active["K6"] = "Ya"
    out = io.BytesIO()
    book.save(out)
    _refused(penilaian, out.getvalue(), "tidak memiliki lembar 'Jawaban'")


def test_a_file_too_large_is_refused(world, penilaian):
    data = workbook_bytes(penilaian) + b"\0" * lke_xlsx.MAX_UPLOAD_BYTES
    _refused(penilaian, data, "Berkas terlalu besar")


def test_a_sheet_that_unpacks_too_large_is_refused_before_parsing(world, penilaian, monkeypatch):
    data = edited(workbook_bytes(penilaian), K7="A")
    monkeypatch.setattr(lke_xlsx, "MAX_PART_BYTES", 10_000)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(lke_xlsx, "load_workbook", no_parsing)
    _refused(penilaian, data, "Isi workbook terlalu besar", "setelah diekstrak")


def test_a_zip_bomb_is_refused(world, penilaian):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (lke_xlsx.MAX_PART_BYTES + 1))
    assert len(out.getvalue()) < 100_000
    _refused(penilaian, out.getvalue(), "Isi workbook terlalu besar")


def test_a_formula_is_refused(world, penilaian):
    messages = _refused(
        penilaian,
        edited(workbook_bytes(penilaian), K7='=IF(1,"A","B")'),
        "Baris 7 (soal 2), sel K7 (jawaban unit): berisi rumus",
    )
    assert len(messages) == 1


def test_a_formula_in_a_note_is_refused(world, penilaian):
    _refused(
        penilaian, edited(workbook_bytes(penilaian), Q6="=A1"), "sel Q6 (catatan TPI): berisi rumus"
    )


def test_an_unknown_option_is_refused(world, penilaian):
    _refused(
        penilaian,
        edited(workbook_bytes(penilaian), K7="D"),  # soal 2 is A-C
        "Baris 7 (soal 2), kolom K (jawaban unit): Jawaban 'D' tidak dikenal; pilihan: A, B, C",
    )


def test_ya_tidak_question_refuses_a_letter(world, penilaian):
    _refused(penilaian, edited(workbook_bytes(penilaian), N6="A"), "Baris 6 (soal 1), kolom N")


@pytest.mark.parametrize("value", [2.5, -1, "sepuluh"])
def test_a_count_that_is_not_a_whole_number_is_refused(world, penilaian, value):
    _refused(
        penilaian, edited(workbook_bytes(penilaian), K126=value), "Baris 126 (soal 88), kolom K"
    )


@pytest.mark.parametrize("value", [4.5, -0.1])
def test_an_index_outside_0_4_is_refused(world, penilaian, value):
    _refused(
        penilaian,
        edited(workbook_bytes(penilaian), K199=value),
        "Baris 199 (soal 125), kolom K (jawaban unit): Indeks harus antara 0 dan 4",
    )


def test_a_date_or_boolean_is_refused(world, penilaian):
    import datetime

    messages = _refused(
        penilaian,
        edited(workbook_bytes(penilaian), K6=True, K7=datetime.datetime(2026, 6, 1)),
        "sel K6 (jawaban unit): berisi nilai TRUE/FALSE",
        "sel K7 (jawaban unit): berisi tanggal atau waktu",
    )
    assert len(messages) == 2


def test_a_bad_outside_link_is_refused(world, penilaian):
    _refused(
        penilaian,
        # A description ("lihat map di lemari") is allowed; a link must be http(s).
        edited(workbook_bytes(penilaian), M6="file://server/arsip/sk.pdf"),
        "Baris 6 (soal 1), kolom M (bukti dukung unit): Tautan 'file://server/arsip/sk.pdf'",
    )


def test_evidence_not_approved_is_refused(world, penilaian):
    waiting = world.submit()
    waiting.slot  # noqa: B018  (loaded for the link)
    _refused(
        penilaian,
        edited(workbook_bytes(penilaian), M6=bukti_url(waiting)),
        "Soal 1 (bukti unit): Bukti yang dipilih harus bukti yang sudah disetujui",
    )


def test_every_bad_row_is_reported_at_once(world, penilaian):
    messages = _refused(
        penilaian, edited(workbook_bytes(penilaian), K6="Mungkin", K7="Z", K126=-3, K199=9)
    )
    assert [m.split(",")[0] for m in messages] == [
        "Baris 6 (soal 1)", "Baris 7 (soal 2)", "Baris 126 (soal 88)", "Baris 199 (soal 125)",
    ]  # fmt: skip


def test_a_locked_assessment_refuses(world, penilaian):
    penilaian = fill(world, penilaian)  # submitted: the unit's answers are locked
    _refused(penilaian, edited(workbook_bytes(penilaian), K7="A"), "jawaban unit terkunci")


def test_a_side_not_allowed_to_the_caller_is_refused(world, penilaian):
    data = edited(workbook_bytes(penilaian), K7="A")
    before = counts()
    with pytest.raises(ValidationError, match="tidak berhak mengubah jawaban unit"):
        impor_workbook(
            penilaian=penilaian,
            content=data,
            by=None,
            sumber="uji",
            boleh_unit=False,
            boleh_tpi=True,
        )
    assert counts() == before


def test_reading_does_not_write(world, penilaian):
    before = counts()
    baris = baca_workbook(penilaian, edited(workbook_bytes(penilaian), K7="b", K126=12.0))
    assert (baris[2].jawaban_unit, baris[88].jawaban_unit) == ("B", "12")
    assert counts() == before
