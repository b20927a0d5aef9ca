"""The official PDFs, read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from actionplan.documents import pdf as pdf_module
from actionplan.documents.pdf import lampiran_html, lampiran_pdf, laporan_html, laporan_pdf
from actionplan.models import LangkahAksi, RencanaAksi

MM = 72 / 25.4


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


def _size_mm(page) -> tuple[int, int]:
    return round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_keputusan_pdf_holds_the_decree_and_every_row_in_order(banyumas):
    pages = _pages(lampiran_pdf(banyumas, keputusan=True))
    texts = [page.extract_text() for page in pages]
    decree = [i for i, t in enumerate(texts) if "Menimbang" in t or "MEMUTUSKAN" in t]
    lampiran = [i for i, t in enumerate(texts) if "PELAKSANAAN (BULAN)" in t]
    assert decree and lampiran and max(decree) < min(lampiran)
    # Decree pages portrait F4, Lampiran pages landscape F4.
    assert {_size_mm(pages[i]) for i in decree} == {(215, 330)}
    assert {_size_mm(pages[i]) for i in lampiran} == {(330, 215)}
    assert len(decree) + len(lampiran) == len(pages)

    decree_text = _squash(" ".join(texts[i] for i in decree))
    for expected in (
        "SALINAN",
        "KEPUTUSANKOMISIPEMILIHANUMUMKABUPATENBANYUMAS",
        "NOMOR12TAHUN2024",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN:",
        "Menetapkan",
        "KESATU",
        "KEDUA",
        "DitetapkandiPurwokerto",
        "padatanggal10Januari2024",
        "ROFINGATUNKHASANAH",
        "Salinansesuaidenganaslinya",
        "Plt.KetuaSubBagiaTPPdanHukum",
        "SIGITBUDIYANTO",
        _squash("a. bahwa untuk melaksanakan tugas"),
        _squash("6. Keputusan Komisi Pemilihan Umum Nomor 314"),
    ):
        assert expected in decree_text, expected

    body = _squash(" ".join(texts[i] for i in lampiran))
    for expected in (
        "LAMPIRAN",
        "NOMOR12TAHUN2024",
        "TENTANG",
        _squash(banyumas.judul_tabel),
        "PENANGGUNGJAWAB",
        "KETUAKOMISIPEMILIHANUMUMKABUPATENBANYUMAS,",
        "Ttd.",
        "Plt.KasubbagTPPdanHukum",
        "SEKRETARIATKPUKABUPATENBANYUMAS",
    ):
        assert expected in body, expected
    # Every step's texts, in the document's order.
    position = 0
    for langkah in LangkahAksi.objects.of_plan(banyumas).in_document_order():
        for text in (langkah.indikator.teks, langkah.teks):
            found = body.find(_squash(text), position if text == langkah.teks else 0)
            assert found >= 0, text
        position = body.find(_squash(langkah.teks), position)
        assert position >= 0
    # One ✓ per scheduled month: 118 in the whole plan.
    assert body.count("✓") == 118
    # The header row, with the column numbers 1-18, on every Lampiran page.
    for i in lampiran:
        page = _squash(texts[i])
        assert "NOKOMPONENINDIKATORLANGKAHAKSIBUKTIFISIK" in page
        assert "123456789101112131415161718" in page
    # Page numbers: each Lampiran page carries its own, counted over the whole file;
    # the decree pages carry none.
    for i in lampiran:
        assert f"Halaman{i + 1}dari{len(pages)}" in _squash(texts[i]), i
    for i in decree:
        assert "Halaman" not in texts[i], i


def test_each_row_prints_one_check_per_scheduled_month(banyumas):
    html = lampiran_html(banyumas)
    rows = re.findall(r"<tr>\s*<td>.*?</tr>", html, flags=re.S)
    steps = list(LangkahAksi.objects.of_plan(banyumas).in_document_order())
    assert len(rows) == len(steps) == 52
    for row, langkah in zip(rows, steps, strict=True):
        assert row.count("✓") == len(langkah.bulan)


def test_a4_on_request(banyumas):
    pages = _pages(lampiran_pdf(banyumas, paper="a4"))
    assert {_size_mm(p) for p in pages} == {(297, 210)}


def test_unchanged_plan_is_served_from_the_cache(banyumas, monkeypatch):
    calls = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html: calls.append(1) or real(html))
    first = lampiran_pdf(banyumas)
    assert lampiran_pdf(banyumas) == first
    assert len(calls) == 1
    langkah = LangkahAksi.objects.of_plan(banyumas).first()
    langkah.teks = "Langkah yang diubah"
    langkah.save()
    banyumas.refresh_from_db()  # as the next request loads it
    changed = lampiran_pdf(banyumas)
    assert len(calls) == 2
    assert "Langkahyangdiubah" in _squash(" ".join(p.extract_text() for p in _pages(changed)))


def test_evidence_upload_keeps_the_cached_lampiran(world, monkeypatch):
    """An upload raises the plan's ``revisi`` (the dashboard changes) but not its
    ``revisi_rencana``: the printed Lampiran is the same, so it is not rendered again."""
    from tests import files

    calls = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html: calls.append(1) or real(html))
    world.rencana.refresh_from_db()
    lampiran_pdf(world.rencana)
    before = (world.rencana.revisi, world.rencana.revisi_rencana)
    world.submit(files=[files.pdf()])
    world.rencana.refresh_from_db()
    assert world.rencana.revisi > before[0]
    assert world.rencana.revisi_rencana == before[1]
    lampiran_pdf(world.rencana)
    assert calls == [1]


def test_progress_report_prints_states_legend_and_summary(world):
    from tests import files

    world.submit(files=[files.pdf()])
    pages = _pages(laporan_pdf(world.rencana, bulan=world.today.month))
    text = _squash(" ".join(p.extract_text() for p in pages))
    assert "LAPORANKEMAJUAN" in text
    for label in ("Disetujui", "Menunggureview", "Dikembalikan", "Belumdikirim", "Belumjatuhtempo"):
        assert label in text
    assert "Areaperubahan" in text and "Timpenanggungjawab" in text
    # The submitted month's own cell carries the state (the legend alone would not).
    html = laporan_html(world.rencana, bulan=world.today.month)
    assert html.count('class="bulan s-diajukan"') == 1
    assert {_size_mm(p) for p in pages} == {(330, 215)}


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("admin", 200),
        ("pimpinan", 200),
        ("reviewer", 403),
        ("anggota", 403),
        ("anggota_lain", 403),
        ("unit_lain", 404),
        ("anonim", 302),
    ],
)
def test_document_downloads_by_role(world, kind, status):
    response = world.client_for(kind).get(
        reverse("unduh-dokumen", args=[world.rencana.pk, "lampiran"])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF-")


def test_unknown_document_is_not_found(world):
    response = world.client_for("admin").get(
        reverse("unduh-dokumen", args=[world.rencana.pk, "rahasia"])
    )
    assert response.status_code == 404


def test_excel_download(world):
    response = world.client_for("admin").get(
        reverse("unduh-dokumen", args=[world.rencana.pk, "excel"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response.content.startswith(b"PK\x03\x04")


def test_plan_page_offers_downloads_to_admin_and_pimpinan_only(world):
    url = reverse("rencana-detail", args=[world.rencana.pk])
    link = reverse("unduh-dokumen", args=[world.rencana.pk, "keputusan"])
    assert link in world.client_for("pimpinan").get(url).content.decode()
    assert link not in world.client_for("reviewer").get(url).content.decode()
    assert link not in world.client_for("anggota").get(url).content.decode()


@pytest.mark.slow
def test_bench_pdf_command_prints_its_numbers(banyumas):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_pdf", "--repeat", "1", "--factor", "2", stdout=out)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert [r["steps"] for r in report["results"]] == [52, 104]
    assert all(r["ratio_to_floor"] > 0 for r in report["results"])
    assert RencanaAksi.objects.count() == 1  # the scaled copy was rolled back


@pytest.mark.parametrize(
    ("dokumen", "query", "filename"),
    [
        ("lampiran", {}, "lampiran-{slug}-{tahun}-f4.pdf"),
        ("lampiran", {"kertas": "a4"}, "lampiran-{slug}-{tahun}-a4.pdf"),
        ("keputusan", {}, "keputusan-{slug}-{tahun}-f4.pdf"),
        ("keputusan", {"kertas": "a4"}, "keputusan-{slug}-{tahun}-a4.pdf"),
        ("laporan", {"bulan": 3}, "laporan-{slug}-{tahun}-03-f4.pdf"),
        ("laporan", {"bulan": 3, "kertas": "a4"}, "laporan-{slug}-{tahun}-03-a4.pdf"),
        # Anything but "a4" is the default F4, and the name says so.
        ("lampiran", {"kertas": "letter"}, "lampiran-{slug}-{tahun}-f4.pdf"),
    ],
)
def test_f4_and_a4_downloads_have_different_file_names(world, dokumen, query, filename):
    response = world.client_for("admin").get(
        reverse("unduh-dokumen", args=[world.rencana.pk, dokumen]), query
    )
    assert response.status_code == 200
    expected = filename.format(slug=world.unit.slug, tahun=world.rencana.tahun)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    pages = _pages(response.content)
    size = _size_mm(pages[-1])
    assert max(size) == (297 if "-a4." in expected else 330)
