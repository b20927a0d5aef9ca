"""The 2026 master as the arithmetic sees it, built from PortalRB's JSON without the
database (node ids are PortalRB's), and answer sets for the hand-computed tests."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path

from actionplan.lke import master, scoring

MASTER_JSON = (
    Path(__file__).resolve().parents[2] / "fixtures" / "lke" / "master_soal_lkezi_2026.json"
)


@cache
def struktur_2026() -> scoring.Struktur:
    tahun, _, nodes, soals = master.parse(json.loads(MASTER_JSON.read_text()))
    node_info = {
        n["portal_id"]: scoring.NodeInfo(
            id=n["portal_id"],
            induk_id=n["induk"],
            level=n["level"],
            bagian=n["bagian"],
            area=n["area"],
            bobot=Fraction(n["bobot"]),
            nama=n["nama"],
        )
        for n in nodes
    }
    soal_info = {
        s["soal_id"]: scoring.SoalInfo(
            soal_id=s["soal_id"],
            node_id=s["node"],
            jenis=s["jenis"],
            pengali={o["key"]: Fraction(o["multiplier"]) for o in s["opsi"]},
            bobot=Fraction(s["bobot"]),
        )
        for s in soals
    }
    return scoring.Struktur.build(tahun, node_info, soal_info)


# Counts that make every percentage item exactly 1.
COUNTS_FULL = {
    88: "10",
    89: "10",
    90: "10",
    91: "10",
    102: "0",
    103: "0",
    104: "0",
    105: "10",
    106: "10",
    110: "4",
    111: "0",
    112: "4",
    113: "1",
    114: "1",
    115: "1",
    116: "3",
    117: "2",
    118: "2",
    119: "2",
    120: "6",
    122: "5",
    123: "5",
}


def best_answers() -> dict[int, str]:
    """Every question at its best: options at multiplier 1, indices 4, counts full."""
    out: dict[int, str] = {}
    for s in struktur_2026().soal.values():
        if s.jenis == "JUMLAH":
            continue
        if s.jenis == "INDEKS":
            out[s.soal_id] = "4"
        else:
            out[s.soal_id] = next(k for k, v in s.pengali.items() if v == 1)
    out.update(COUNTS_FULL)
    return out
