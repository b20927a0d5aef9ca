"""The LKE roll-up: every unit below the viewer's units with its score and verdict for
one year, worst first, for provincial and national leaders.

The number of queries does not grow with the units: the units in one query, their
assessments in one, the answers of every assessment not yet in the cache in one, the
predicates held in one, the thresholds in two. Each assessment is scored by
``scoring.hitung`` in Python (one ``Struktur`` per master, kept in memory) and the score
is cached under the assessment's revision, so an unchanged unit is not scored again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Q

from actionplan.lke import scoring, selectors
from actionplan.lke.enums import Bagian, Kriteria, Pihak, Predikat
from actionplan.lke.gaps import pihak_penentu
from actionplan.lke.models import JawabanLke, PenilaianLke, PredikatUnit
from actionplan.models import SatuanKerja

URUTAN = {
    "terburuk": "Terburuk dulu",
    "nama": "Nama satuan kerja",
    "total": "Nilai tertinggi dulu",
}
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class AreaTerlemah:
    nomor: int
    persen: Fraction  # pemenuhan + reform as a share of the area's weight
    batas: Fraction | None  # the WBK area threshold, when set

    @property
    def memenuhi(self) -> bool:
        return self.batas is None or self.persen >= self.batas


@dataclass(frozen=True)
class BarisRekap:
    unit: SatuanKerja
    penilaian: PenilaianLke | None
    pihak: str | None  # whose score: "tpi" once evaluated, else "unit"
    skor: scoring.Skor | None
    putusan: dict[str, scoring.Putusan]
    area_terlemah: AreaTerlemah | None

    @property
    def wbk(self) -> bool | None:
        p = self.putusan.get(Predikat.WBK)
        return None if p is None else p.memenuhi

    @property
    def wbbm(self) -> bool | None:
        p = self.putusan.get(Predikat.WBBM)
        return None if p is None else p.memenuhi


def _kunci(p: PenilaianLke, pihak: str) -> str:
    return f"lke:rekap:{p.pk}:{p.revisi}:{pihak}:{p.master_id}"


def _skor(daftar: list[PenilaianLke]) -> dict[int, tuple[str, scoring.Skor]]:
    """Assessment id -> (deciding side, its score): from the cache, the rest computed
    from one query over all their answers."""
    pihak = {p.pk: str(pihak_penentu(p)) for p in daftar}
    keys = {p.pk: _kunci(p, pihak[p.pk]) for p in daftar}
    found = cache.get_many(list(keys.values()))
    out = {pk: (pihak[pk], found[key]) for pk, key in keys.items() if key in found}
    missing = [p for p in daftar if p.pk not in out]
    if missing:
        answers: dict[int, dict[int, str]] = defaultdict(dict)
        rows = (
            JawabanLke.objects.filter(penilaian_id__in=[p.pk for p in missing])
            .exclude(jawaban_unit="", jawaban_tpi="")
            .values_list("penilaian_id", "soal__soal_id", "jawaban_unit", "jawaban_tpi")
            .order_by()
        )
        for penilaian_id, soal_id, unit, tpi in rows:
            text = tpi if pihak[penilaian_id] == Pihak.TPI else unit
            if text:
                answers[penilaian_id][soal_id] = text
        computed = {}
        for p in missing:
            skor = scoring.hitung(scoring.Struktur.of(p.master), answers.get(p.pk, {}))
            out[p.pk] = (pihak[p.pk], skor)
            computed[keys[p.pk]] = skor
        cache.set_many(computed, CACHE_SECONDS)
    return out


def _area_terlemah(
    struktur: scoring.Struktur, skor: scoring.Skor, batas: Fraction | None
) -> AreaTerlemah | None:
    bobot: dict[int, Fraction] = defaultdict(Fraction)
    for bagian in (Bagian.PEMENUHAN, Bagian.REFORM):
        for nomor, node in struktur.areas(bagian).items():
            bobot[nomor] += node.bobot
    shares = [
        AreaTerlemah(nomor, skor.area_total(nomor) / b * 100, batas)
        for nomor, b in sorted(bobot.items())
        if b
    ]
    return min(shares, key=lambda a: (a.persen, a.nomor), default=None)


def rekap_lke(units: Q | None, tahun: int, *, urutan: str = "terburuk") -> list[BarisRekap]:
    """One row per unit matching ``units`` (a filter on SatuanKerja; None: every unit),
    with the year's assessment when it has one, sorted by ``urutan`` (see ``URUTAN``)."""
    unit_qs = SatuanKerja.objects.select_related("induk").order_by("nama", "pk")
    penilaian_qs = PenilaianLke.objects.filter(tahun=tahun).select_related("master")
    if units is not None:
        unit_qs = unit_qs.filter(units)
        penilaian_qs = penilaian_qs.filter(satuan_kerja__in=SatuanKerja.objects.filter(units))
    unit_list = list(unit_qs)
    penilaian = {p.satuan_kerja_id: p for p in penilaian_qs}
    skor = _skor(list(penilaian.values()))
    ambang = selectors.ambang_tahun(tahun) if penilaian else {}
    batas_area = ambang.get(Predikat.WBK, {}).get(Kriteria.AREA)
    wbk = (
        set(
            PredikatUnit.objects.filter(
                satuan_kerja_id__in=list(penilaian), predikat__in=[Predikat.WBK, Predikat.WBBM]
            ).values_list("satuan_kerja_id", flat=True)
        )
        if penilaian
        else set()
    )

    rows = []
    for unit in unit_list:
        p = penilaian.get(unit.pk)
        if p is None:
            rows.append(BarisRekap(unit, None, None, None, {}, None))
            continue
        pihak, s = skor[p.pk]
        struktur = scoring.Struktur.of(p.master)
        verdict = scoring.putusan(struktur, s, ambang, sudah_wbk=unit.pk in wbk)
        rows.append(BarisRekap(unit, p, pihak, s, verdict, _area_terlemah(struktur, s, batas_area)))

    if urutan == "nama":
        return rows
    if urutan == "total":
        return sorted(rows, key=lambda r: (r.skor is None, -(r.skor.total if r.skor else 0)))
    # Worst first: units that have not started, then the lowest totals.
    return sorted(rows, key=lambda r: (r.skor is not None, r.skor.total if r.skor else 0))


def tanda(units: Q | None, tahun: int) -> str:
    """A short string that changes whenever a roll-up row can: the year's assessments of
    these units (how many, the sum of their revisions, the newest), the thresholds and
    the predicates held. Three queries."""
    from django.db.models import Count, Max, Sum

    from actionplan.lke.models import AmbangPredikat

    penilaian = PenilaianLke.objects.filter(tahun=tahun)
    if units is not None:
        penilaian = penilaian.filter(satuan_kerja__in=SatuanKerja.objects.filter(units))
    a = penilaian.aggregate(n=Count("pk"), r=Sum("revisi"), m=Max("pk"))
    b = AmbangPredikat.objects.aggregate(n=Count("pk"), m=Max("pk"), s=Sum("batas"))
    c = PredikatUnit.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return f"{a['n']}.{a['r']}.{a['m']}:{b['n']}.{b['m']}.{b['s']}:{c['n']}.{c['m']}"
