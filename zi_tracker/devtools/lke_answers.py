"""Plausible LKE answers for demo and scale data: the unit's self-assessment and the
TPI's evaluation of it, drawn from a seeded RNG so the same seed gives the same answers.

A unit's *mutu* (0-1) says how far its ZI work has come: the better, the more often it
picks the best option. A question whose linked steps have approved evidence is answered
higher by the unit and lowered less often by the TPI; one without evidence is the one
the TPI marks down. The counts of the percentage items and the survey indices follow the
same mutu. Nothing here writes: the demo saves through ``lke.services``, the scale
generator in bulk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from actionplan.lke.enums import Bagian, JenisJawaban
from actionplan.lke.models import SoalLke

# The Hasil questions: 125 and 127 come from the surveys, 126 is the unit's performance
# against last year's.
IPAK, CAPAIAN, IPKP = 125, 126, 127


@dataclass(frozen=True)
class Soal:
    """What answering needs of a master's question."""

    soal_id: int
    jenis: str
    pilihan: tuple[str, ...]  # option keys, best first
    bagian: str
    area: int | None

    @classmethod
    def of(cls, soal: SoalLke) -> Soal:
        pilihan = tuple(
            o["key"] for o in sorted(soal.opsi, key=lambda o: -Decimal(str(o["multiplier"])))
        )
        return cls(soal.soal_id, soal.jenis, pilihan, soal.node.bagian, soal.node.area)


def soal_master(master_id: int) -> list[Soal]:
    """The master's questions in the workbook's order (one query)."""
    return [Soal.of(s) for s in SoalLke.objects.filter(master_id=master_id).in_order()]


@dataclass(frozen=True)
class Jawaban:
    """Both sides of one question; an empty text is no answer."""

    soal_id: int
    unit: str
    tpi: str
    diturunkan: bool = False  # the TPI answered lower than the unit


def _turun(pilihan: tuple[str, ...], key: str, langkah: int) -> str:
    i = min(len(pilihan) - 1, max(0, pilihan.index(key) + langkah))
    return pilihan[i]


def _jumlah(rng: random.Random, mutu: float) -> dict[int, tuple[int, int]]:
    """The count questions (unit, TPI): agents of change and changes made, disciplinary
    violations, performance targets, complaints, LHKPN and Non-LHKPN, services."""
    agen = rng.randint(5, 12)
    dibuat = max(1, round(agen * (0.5 + 0.5 * mutu) + rng.uniform(-1, 1)))
    integrasi = max(0, min(dibuat, round(dibuat * (0.4 + 0.6 * mutu))))
    lalu = rng.randint(1, 6)
    kini = max(0, round(lalu * (1 - mutu) * rng.uniform(0.3, 1.2)))
    sasaran = rng.randint(4, 9)
    capai = max(1, min(sasaran, round(sasaran * (0.55 + 0.45 * mutu))))
    aduan = rng.randint(6, 30)
    selesai = max(0, min(aduan, round(aduan * (0.6 + 0.4 * mutu))))
    proses = min(aduan - selesai, rng.randint(0, 3))
    wajib = (1, rng.randint(1, 4), rng.randint(0, 2))
    lapor = sum(wajib) - (0 if rng.random() < 0.5 + 0.5 * mutu else 1)
    non = (rng.randint(1, 2), rng.randint(2, 5), rng.randint(15, 40))
    lapor_non = sum(non) - max(0, round((1 - mutu) * rng.randint(0, 6)))
    layanan = rng.randint(3, 10)
    mudah = max(0, min(layanan, round(layanan * (0.3 + 0.7 * mutu))))
    unit = {
        88: agen, 89: dibuat, 90: dibuat, 91: integrasi,
        102: lalu, 103: kini, 104: kini,
        105: sasaran, 106: capai,
        110: aduan, 111: proses, 112: selesai,
        113: wajib[0], 114: wajib[1], 115: wajib[2], 116: lapor,
        117: non[0], 118: non[1], 119: non[2], 120: lapor_non,
        122: layanan, 123: mudah,
    }  # fmt: skip
    # The TPI counts one fewer where the unit's document does not show them all.
    tpi = dict(unit)
    for numerator in (89, 106, 112, 120, 123):
        if unit[numerator] > 0 and rng.random() < 0.35 * (1.3 - mutu):
            tpi[numerator] = unit[numerator] - 1
    tpi[91] = min(tpi[91], tpi[89])
    return {sid: (unit[sid], tpi[sid]) for sid in unit}


def survei(rng: random.Random, mutu: float) -> tuple[Decimal, Decimal]:
    """IPAK and IPKP (0-4, two decimals) for a unit of this mutu."""
    ipak = min(4.0, 3.0 + 0.75 * mutu + rng.uniform(-0.12, 0.12))
    ipkp = min(4.0, 2.95 + 0.8 * mutu + rng.uniform(-0.12, 0.12))
    return Decimal(f"{ipak:.2f}"), Decimal(f"{ipkp:.2f}")


def jawab(
    soal: list[Soal],
    *,
    rng: random.Random,
    mutu: float,
    berbukti: set[int],
    bertautan: set[int],
    kosong: frozenset[int] = frozenset(),
    indeks: tuple[Decimal, Decimal] | None = None,
    ketat: float = 1.0,
) -> dict[int, Jawaban]:
    """Both sides' answers. ``berbukti``: questions with approved evidence of a linked
    step; ``bertautan``: questions with linked steps at all; ``kosong``: questions the
    unit leaves blank (the TPI then gives the lowest option); ``indeks``: IPAK and IPKP
    (drawn from the mutu when not given); ``ketat``: how strict the TPI is (1: as usual)."""
    counts = _jumlah(rng, mutu)
    ipak, ipkp = indeks or survei(rng, mutu)
    out: dict[int, Jawaban] = {}
    for s in soal:
        sid = s.soal_id
        if s.jenis == JenisJawaban.INDEKS:
            value = str(ipak if sid == IPAK else ipkp)
            out[sid] = Jawaban(sid, value, value)
            continue
        if s.jenis == JenisJawaban.JUMLAH:
            unit, tpi = counts.get(sid, (rng.randint(0, 5),) * 2)
            out[sid] = Jawaban(sid, str(unit), str(tpi), diturunkan=tpi < unit)
            continue
        if sid in kosong:
            out[sid] = Jawaban(sid, "", s.pilihan[-1], diturunkan=True)
            continue
        q = mutu + (0.15 if sid in berbukti else -0.1 if sid not in bertautan else 0.0)
        q = min(0.95, max(0.05, q))
        if s.bagian == Bagian.HASIL:  # 126: this year's performance against last year's
            unit_key = s.pilihan[min(len(s.pilihan) - 1, round((1 - mutu) * 3))]
        elif s.jenis == JenisJawaban.YA_TIDAK:
            unit_key = s.pilihan[0] if rng.random() < 0.55 + 0.45 * q else s.pilihan[-1]
        else:
            offset = rng.choices((0, 1, 2), weights=(q, (1 - q) * 0.7, (1 - q) * 0.3))[0]
            unit_key = _turun(s.pilihan, s.pilihan[0], offset)
        lower = min(0.9, (0.4 if sid not in berbukti else 0.1) * (1.3 - mutu) * ketat)
        roll = rng.random()
        tpi_key = (
            _turun(s.pilihan, unit_key, 1)
            if roll < lower
            else _turun(s.pilihan, unit_key, -1)
            if roll > 0.98
            else unit_key
        )
        out[sid] = Jawaban(
            sid, unit_key, tpi_key, diturunkan=s.pilihan.index(tpi_key) > s.pilihan.index(unit_key)
        )
    return out
