"""Reads of the LKE that pages, commands and documents share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache

from actionplan.lke import scoring
from actionplan.lke.enums import Pihak, Predikat
from actionplan.lke.models import AmbangPredikat, JawabanLke, PenilaianLke, PredikatUnit


def jawaban_map(penilaian: PenilaianLke, pihak: str) -> dict[int, str]:
    """soal_id -> the side's answer text (answered questions only). One query."""
    field = "jawaban_unit" if pihak == Pihak.UNIT else "jawaban_tpi"
    return dict(
        JawabanLke.objects.filter(penilaian=penilaian)
        .exclude(**{field: ""})
        .values_list("soal__soal_id", field)
    )


def ambang_tahun(tahun: int) -> dict[str, dict[str, Fraction]]:
    """The thresholds in force for ``tahun``: that year's rows, else the nearest year's
    before it, else after it (as the master). One query."""
    years = sorted(set(AmbangPredikat.objects.values_list("tahun", flat=True)))
    if not years:
        return {}
    before = [y for y in years if y <= tahun]
    chosen = max(before) if before else min(years)
    return scoring.ambang_map(AmbangPredikat.objects.filter(tahun=chosen))


def sudah_wbk(satuan_kerja_id: int) -> bool:
    return PredikatUnit.objects.filter(
        satuan_kerja_id=satuan_kerja_id, predikat__in=[Predikat.WBK, Predikat.WBBM]
    ).exists()


@dataclass(frozen=True)
class Nilai:
    """A side's score and verdict."""

    skor: scoring.Skor
    putusan: dict[str, scoring.Putusan]

    def as_json(self) -> dict:
        return scoring.as_json(self.skor, self.putusan)


def nilai(penilaian: PenilaianLke, pihak: str, *, cached: bool = True) -> Nilai:
    """Score and verdict of one side. The score is kept in the cache under the
    assessment's revision (raised by every write of an answer), so it is computed once
    per change; the verdict is read fresh (thresholds and predicates change apart)."""
    key = f"lke:skor:{penilaian.pk}:{penilaian.revisi}:{pihak}:{penilaian.master_id}"
    struktur = scoring.Struktur.of(penilaian.master)
    skor = cache.get(key) if cached else None
    if skor is None:
        skor = scoring.hitung(struktur, jawaban_map(penilaian, pihak))
        if cached:
            cache.set(key, skor, 3600)
    verdict = scoring.putusan(
        struktur,
        skor,
        ambang_tahun(penilaian.tahun),
        sudah_wbk=sudah_wbk(penilaian.satuan_kerja_id),
    )
    return Nilai(skor, verdict)


def penilaian_of(satuan_kerja_ids: Iterable[int], tahun: int) -> dict[int, PenilaianLke]:
    return {
        p.satuan_kerja_id: p
        for p in PenilaianLke.objects.filter(
            satuan_kerja_id__in=list(satuan_kerja_ids), tahun=tahun
        )
    }


def nilai_banyak(daftar: Iterable[PenilaianLke], pihak: str) -> dict[int, Nilai]:
    """``nilai`` for many assessments (their master loaded) in a fixed number of queries:
    the cached scores in one read, the answers of the others in one query, the
    thresholds and the predicates once."""
    daftar = list(daftar)
    if not daftar:
        return {}
    keys = {p.pk: f"lke:skor:{p.pk}:{p.revisi}:{pihak}:{p.master_id}" for p in daftar}
    found = cache.get_many(list(keys.values()))
    skor = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [p for p in daftar if p.pk not in skor]
    if missing:
        field = "jawaban_unit" if pihak == Pihak.UNIT else "jawaban_tpi"
        answers: dict[int, dict[int, str]] = {p.pk: {} for p in missing}
        for penilaian_id, soal_id, teks in (
            JawabanLke.objects.filter(penilaian__in=missing)
            .exclude(**{field: ""})
            .values_list("penilaian_id", "soal__soal_id", field)
            .order_by()
        ):
            answers[penilaian_id][soal_id] = teks
        computed = {}
        for p in missing:
            skor[p.pk] = scoring.hitung(scoring.Struktur.of(p.master), answers[p.pk])
            computed[keys[p.pk]] = skor[p.pk]
        cache.set_many(computed, 3600)
    years = {p.tahun for p in daftar}
    ambang = {tahun: ambang_tahun(tahun) for tahun in years}
    wbk = set(
        PredikatUnit.objects.filter(
            satuan_kerja_id__in={p.satuan_kerja_id for p in daftar},
            predikat__in=[Predikat.WBK, Predikat.WBBM],
        ).values_list("satuan_kerja_id", flat=True)
    )
    return {
        p.pk: Nilai(
            skor[p.pk],
            scoring.putusan(
                scoring.Struktur.of(p.master),
                skor[p.pk],
                ambang[p.tahun],
                sudah_wbk=p.satuan_kerja_id in wbk,
            ),
        )
        for p in daftar
    }
