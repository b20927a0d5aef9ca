"""The filled LKE as PDF, read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from actionplan.documents import lke_pdf as lke_pdf_module
from actionplan.documents.lke_pdf import angka, lke_html, lke_pdf
from actionplan.lke import selectors, services
from actionplan.lke.enums import Pihak, StatusPenilaian
from actionplan.lke.models import PenilaianLke
from tests.documents.test_lke_xlsx import TAUTAN, fill, make_penilaian

MM = 72 / 25.4


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def penilaian(world, lke_master) -> PenilaianLke:
    return fill(world, make_penilaian(world))


def test_pdf_holds_the_header_answers_scores_and_verdict(world, penilaian):
    reader = PdfReader(io.BytesIO(lke_pdf(penilaian)))
    pages = reader.pages
    assert {
        (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in pages
    } == {(210, 297)}
    text = "\n".join(p.extract_text() for p in pages)
    flat = _squash(text)
    assert _squash(world.unit.nama) in flat
    assert "LEMBARKERJAEVALUASIZONAINTEGRITASTAHUN2026" in flat
    assert "Diajukan ke TPI" in text  # the status
    assert _squash(f"Halaman 1 dari {len(pages)}") in flat
    unit = selectors.nilai(penilaian, Pihak.UNIT)
    tpi = selectors.nilai(penilaian, Pihak.TPI)
    # The totals, as Indonesians write them, for both sides.
    assert (
        _squash(f"Nilai evaluasi ZI (total) 100 {angka(unit.skor.total)} {angka(tpi.skor.total)}")
        in flat
    )
    # A question with both answers and notes, and the unit's evidence links.
    assert "Unitkerjatelahmembentuktim" in flat
    assert "SKTimZIsudahterbit" in flat and "Sesuai" in text and "Kurang" in text
    assert _squash(TAUTAN) in flat
    assert "/langkah/" in flat
    # The count and index answers (3,6 with a decimal comma).
    assert "3,6" in text
    # The verdict table: both predicates, criteria with their thresholds.
    for expected in ("WBK:unitBELUMMEMENUHI", "WBBM:unitBELUMMEMENUHI", "Nilaitotal(dari100)75,00"):
        assert expected in flat, expected
    # Sub-area scores and percentage items.
    assert "Perubahanolehagenperubahan(89/88):unit70,0%" in flat


def test_html_is_escaped(world, penilaian):
    services.penilaian_pindah(
        penilaian=penilaian, ke=StatusPenilaian.DRAFT, by=world.users["admin"], catatan="Perbaiki"
    )
    soal = penilaian.master.soal.get(soal_id=2)
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal,
        pihak=Pihak.UNIT,
        isian=services.Isian(catatan='<b>tebal</b> & "kutip"'),
        by=None,
    )
    world.unit.nama = 'KPU "Uji" <Kab>'
    world.unit.save()
    penilaian = PenilaianLke.objects.with_unit().get(pk=penilaian.pk)
    html = lke_html(penilaian)
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp;" in html
    assert 'content: "LKE ZI 2026 · KPU Uji Kab"' in html
    assert PdfReader(io.BytesIO(lke_pdf(penilaian))).pages


def test_pdf_is_cached_under_the_revision(world, penilaian, monkeypatch):
    calls = []
    real = lke_pdf_module.render_pdf

    def counting(html: str) -> bytes:
        calls.append(1)
        return real(html)

    monkeypatch.setattr(lke_pdf_module, "render_pdf", counting)
    first = lke_pdf(penilaian)
    assert lke_pdf(PenilaianLke.objects.with_unit().get(pk=penilaian.pk)) == first
    assert len(calls) == 1
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=penilaian.master.soal.get(soal_id=3),
        pihak=Pihak.TPI,
        isian=services.Isian(jawaban="Ya"),
        by=world.users["reviewer"],
    )
    lke_pdf(PenilaianLke.objects.with_unit().get(pk=penilaian.pk))
    assert len(calls) == 2
