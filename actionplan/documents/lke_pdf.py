"""The filled LKE as a PDF for the TPI's report (WeasyPrint, A4 portrait): the header
(unit, year, state, dates), both sides' totals, the areas, the verdict table (each
WBK/WBBM criterion with its threshold and both sides' values), then every question by
part, area and sub-area with both answers, notes and the unit's evidence links, and
each sub-area's score for both sides.

Cached under the assessment's ``revisi`` (raised by every answer and state change), its
deadlines and unit name; like ``lke.selectors.nilai`` it lives an hour, so a changed
threshold shows within the hour.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from fractions import Fraction
from typing import cast

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string

from actionplan.documents.pdf import FONTS_DIR, PAPERS, render_pdf, tanggal_indonesia, waktu_cetak
from actionplan.lke import scoring, selectors
from actionplan.lke.enums import AksiPenilaian, Bagian, JenisJawaban, Level, Pihak
from actionplan.lke.links import bukti_url
from actionplan.lke.models import (
    JawabanLke,
    NodeLke,
    PenilaianLke,
    PeristiwaPenilaian,
    SoalLke,
)
from evidence.models import Bukti

TEMPLATE_VERSION = "1"
PDF_CACHE_SECONDS = 3600


def angka(value: Fraction | Decimal | float | int | None, places: int = 2) -> str:
    """A score as Indonesians write it: 82,35 (rounded only to show)."""
    if value is None:
        return "–"
    return f"{float(value):.{places}f}".replace(".", ",")


def _nilai_item(value: Fraction | None) -> str:
    return "–" if value is None else angka(value, 2)


def _soal_row(soal: SoalLke, j: JawabanLke | None) -> dict:
    info = scoring.SoalInfo.of(soal)
    unit = j.jawaban_unit if j else ""
    tpi = j.jawaban_tpi if j else ""
    links: list[str] = []
    if j is not None:
        links = [bukti_url(b) for b in sorted(j.bukti.all(), key=lambda b: b.pk)]
        links += j.tautan_list
    return {
        "soal_id": soal.soal_id,
        "teks": soal.teks,
        "jenis": soal.get_jenis_display(),
        "jawaban_unit": _tampil(soal, unit),
        "nilai_unit": _nilai_item(scoring.nilai_soal(info, unit)),
        "catatan_unit": j.catatan_unit if j else "",
        "bukti": links,
        "jawaban_tpi": _tampil(soal, tpi),
        "nilai_tpi": _nilai_item(scoring.nilai_soal(info, tpi)),
        "catatan_tpi": j.catatan_tpi if j else "",
        "dinilai": soal.dinilai_langsung,
    }


def _tampil(soal: SoalLke, teks: str) -> str:
    if not teks:
        return ""
    if soal.jenis == JenisJawaban.INDEKS:
        return teks.replace(".", ",")
    return teks


def _blocks(penilaian: PenilaianLke, unit: selectors.Nilai, tpi: selectors.Nilai) -> list[dict]:
    """The master's tree in order, flattened: each node with its depth, both sides'
    scores where it has one, its questions and its percentage items."""
    nodes = list(NodeLke.objects.filter(master_id=penilaian.master_id).order_by("urutan", "pk"))
    soals = list(SoalLke.objects.filter(master_id=penilaian.master_id).in_order())
    answers = {
        j.soal_id: j
        for j in JawabanLke.objects.filter(penilaian=penilaian).prefetch_related(
            Prefetch("bukti", queryset=Bukti.objects.select_related("slot"))
        )
    }
    struktur = scoring.Struktur.of(penilaian.master)
    persen_by_node: dict[int, list[dict]] = {}
    for r in struktur.rumus:
        node_id = struktur.soal[r.pembilang].node_id
        key = f"persen:{r.kunci}"
        persen_by_node.setdefault(node_id, []).append(
            {
                "nama": r.nama,
                "unit": _persen(unit.skor.item.get(key)),
                "tpi": _persen(tpi.skor.item.get(key)),
            }
        )
    soal_by_node: dict[int, list[dict]] = {}
    for soal in soals:
        soal_by_node.setdefault(soal.node_id, []).append(_soal_row(soal, answers.get(soal.pk)))
    children: dict[int | None, list[NodeLke]] = {}
    for node in nodes:
        children.setdefault(node.induk_id, []).append(node)

    out: list[dict] = []

    def skor_of(node: NodeLke, nilai: selectors.Nilai) -> str | None:
        if node.level == Level.SUB_AREA and node.id in nilai.skor.sub_area:
            return angka(nilai.skor.sub_area[node.id])
        if node.level == Level.AREA and node.area:
            return angka(nilai.skor.area[node.area][str(node.bagian)])
        if node.level == Level.SUB_KOMPONEN:
            if node.bagian == Bagian.PEMENUHAN:
                return angka(nilai.skor.pemenuhan)
            if node.bagian == Bagian.REFORM:
                return angka(nilai.skor.reform)
            part = (
                "birokrasi"
                if any(
                    s["soal_id"] in (struktur.hasil.get("ipak"), struktur.hasil.get("capaian"))
                    for s in soal_by_node.get(node.id, [])
                )
                else "pelayanan"
            )
            return angka(nilai.skor.hasil_bagian.get(part))
        if node.level == Level.KOMPONEN:
            return angka(nilai.skor.hasil if node.bagian == Bagian.HASIL else nilai.skor.pengungkit)
        return None

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            out.append(
                {
                    "nama": node.nama,
                    "level": node.level,
                    "depth": depth,
                    "bobot": angka(node.bobot).rstrip("0").rstrip(","),
                    "skor_unit": skor_of(node, unit),
                    "skor_tpi": skor_of(node, tpi),
                    "soal": soal_by_node.get(node.id, []),
                    "persen": persen_by_node.get(node.id, []),
                }
            )
            walk(node.id, depth + 1)

    walk(None, 0)
    return out


def _persen(value: Fraction | None) -> str:
    return "–" if value is None else f"{angka(value * 100, 1)}%"


def _verdict(unit: selectors.Nilai, tpi: selectors.Nilai) -> list[dict]:
    out = []
    for predikat, putusan in unit.putusan.items():
        tpi_k = {k.kunci: k for k in tpi.putusan[predikat].kriteria}
        rows = []
        for k in putusan.kriteria:
            t = tpi_k.get(k.kunci)
            rows.append(
                {
                    "nama": k.nama,
                    "batas": angka(k.batas) + k.satuan,
                    "unit": angka(k.nilai) + k.satuan,
                    "unit_ok": k.memenuhi,
                    "tpi": (angka(t.nilai) + t.satuan) if t else "–",
                    "tpi_ok": t.memenuhi if t else None,
                }
            )
        out.append(
            {
                "predikat": predikat,
                "kriteria": rows,
                "unit_ok": putusan.memenuhi,
                "tpi_ok": tpi.putusan[predikat].memenuhi,
            }
        )
    return out


def _tanggal_peristiwa(penilaian: PenilaianLke) -> list[tuple[str, str]]:
    """The last time of each step of the assessment (one query)."""
    last: dict[str, PeristiwaPenilaian] = {}
    for p in PeristiwaPenilaian.objects.filter(
        penilaian=penilaian,
        aksi__in=[
            AksiPenilaian.DIBUAT,
            AksiPenilaian.DIAJUKAN,
            AksiPenilaian.DIEVALUASI,
            AksiPenilaian.DIFINALKAN,
        ],
    ).order_by("waktu", "pk"):
        last[p.aksi] = p
    return [
        (AksiPenilaian(aksi).label, waktu_cetak(p.waktu))
        for aksi, p in sorted(last.items(), key=lambda kv: (kv[1].waktu, kv[1].pk))
    ]


def lke_context(penilaian: PenilaianLke) -> dict:
    unit = selectors.nilai(penilaian, Pihak.UNIT)
    tpi = selectors.nilai(penilaian, Pihak.TPI)
    ringkasan = [
        ("Nilai evaluasi ZI (total)", "100", angka(unit.skor.total), angka(tpi.skor.total)),
        ("A. Komponen pengungkit", "60", angka(unit.skor.pengungkit), angka(tpi.skor.pengungkit)),
        ("I. Pemenuhan", "30", angka(unit.skor.pemenuhan), angka(tpi.skor.pemenuhan)),
        ("II. Reform", "30", angka(unit.skor.reform), angka(tpi.skor.reform)),
        ("B. Komponen hasil", "40", angka(unit.skor.hasil), angka(tpi.skor.hasil)),
    ]
    struktur = scoring.Struktur.of(penilaian.master)
    bobot: dict[int, dict[str, Fraction]] = {}
    for bagian in (Bagian.PEMENUHAN, Bagian.REFORM):
        for nomor, node in struktur.areas(bagian).items():
            bobot.setdefault(nomor, {})[str(bagian)] = node.bobot
    areas = []
    for nomor in range(1, 7):
        u, t = unit.skor.area[nomor], tpi.skor.area[nomor]
        b = bobot.get(nomor, {})
        areas.append(
            {
                "nomor": nomor,
                "nama": scoring.NAMA_AREA[nomor],
                "bobot": angka(sum(b.values(), Fraction(0))),
                "pemenuhan_unit": angka(u["pemenuhan"]),
                "reform_unit": angka(u["reform"]),
                "pemenuhan_tpi": angka(t["pemenuhan"]),
                "reform_tpi": angka(t["reform"]),
                "jumlah_unit": angka(unit.skor.area_total(nomor)),
                "jumlah_tpi": angka(tpi.skor.area_total(nomor)),
            }
        )
    return {
        "penilaian": penilaian,
        # The page footer sits in a CSS string: no quote, backslash or markup in it.
        "kaki": re.sub(
            r'["\\<>\n\r]', "", f"LKE ZI {penilaian.tahun} · {penilaian.satuan_kerja.nama}"
        ),
        "paper": PAPERS["a4"],
        "fonts": FONTS_DIR.as_uri(),
        "peristiwa": _tanggal_peristiwa(penilaian),
        "batas_mandiri": tanggal_indonesia(penilaian.batas_mandiri)
        if penilaian.batas_mandiri
        else "–",
        "batas_evaluasi": tanggal_indonesia(penilaian.batas_evaluasi)
        if penilaian.batas_evaluasi
        else "–",
        "ringkasan": ringkasan,
        "areas": areas,
        "verdict": _verdict(unit, tpi),
        "blocks": _blocks(penilaian, unit, tpi),
        "terjawab_unit": unit.skor.terjawab,
        "terjawab_tpi": tpi.skor.terjawab,
        "jumlah_soal": unit.skor.jumlah_soal,
    }


def lke_html(penilaian: PenilaianLke) -> str:
    return render_to_string("documents/lke.html", lke_context(penilaian))


def lke_pdf(penilaian: PenilaianLke) -> bytes:
    """``penilaian`` with unit and master loaded. Cached under its revision."""
    stamp = hashlib.sha256(
        f"{penilaian.satuan_kerja.nama}|{penilaian.status}|{penilaian.batas_mandiri}|"
        f"{penilaian.batas_evaluasi}".encode()
    ).hexdigest()[:16]
    key = f"pdf:lke:{penilaian.pk}:{penilaian.revisi}:{stamp}:{TEMPLATE_VERSION}"
    return cast(  # get_or_set returns what the callable made
        bytes,
        cache.get_or_set(key, lambda: render_pdf(lke_html(penilaian)), PDF_CACHE_SECONDS),
    )
