"""The LKE's arithmetic, exactly as the official sheet (Lampiran III PermenPAN-RB
90/2021) computes it: the one module that owns it.

- An *item* has a value in [0, 1]: a scored question (its option's multiplier; Ya 1,
  Tidak 0; ABCD 1/0.67/0.33/0 exactly) or a *percentage item* computed from count
  questions and capped at 1 (the counts themselves score nothing).
- A sub-area = the mean of its *answered* items x its weight (a blank is left out of the
  mean, not counted as 0; nothing answered scores 0). A sub-area with sub-areas below it
  (the Reform 'Penyampaian Laporan Harta Kekayaan': LHKPN + Non-LHKPN) is their sum.
- An area (Pemenuhan or Reform) = the sum of its sub-areas; Pemenuhan and Reform = the
  sums over the six areas; Pengungkit = Pemenuhan + Reform.
- Hasil = IPAK / 4 x 17.5 + soal 126's multiplier x 5 + IPKP / 4 x 17.5: each Hasil
  question scores its value x its own weight.

Everything is computed in exact fractions (``Fraction``) and turned into ``float`` only
for output, so a threshold such as 75 is compared exactly. Nothing here touches the
database except ``Struktur.of`` (two queries, then cached for the master's life).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

from actionplan.lke.enums import Bagian, JenisJawaban, Kriteria, Level, Predikat

if TYPE_CHECKING:
    from actionplan.lke.models import AmbangPredikat, MasterLke, SoalLke

NOL = Fraction(0)
SATU = Fraction(1)


# --- the master in memory -------------------------------------------------------------


@dataclass(frozen=True)
class NodeInfo:
    id: int
    induk_id: int | None
    level: str
    bagian: str
    area: int | None
    bobot: Fraction
    nama: str


@dataclass(frozen=True)
class SoalInfo:
    soal_id: int
    node_id: int
    jenis: str
    pengali: Mapping[str, Fraction]
    bobot: Fraction

    @classmethod
    def of(cls, soal: SoalLke) -> SoalInfo:
        return cls(
            soal_id=soal.soal_id,
            node_id=soal.node_id,
            jenis=soal.jenis,
            pengali={k: Fraction(v) for k, v in soal.pengali.items()},
            bobot=Fraction(soal.bobot),
        )


@dataclass(frozen=True)
class RumusPersen:
    """A percentage item: its key, the sub-area it counts in (that of ``pembilang``),
    the numerator question and the divisor questions (summed)."""

    kunci: str
    nama: str
    pembilang: int
    penyebut: tuple[int, ...]
    disiplin: bool = False  # the discipline rule (below)


# The 2026 percentage items (README of the LKE; the sheet's formulas), by PortalRB's
# soal_id. A master whose numbering changes gets its own entry here.
RUMUS_2026: tuple[RumusPersen, ...] = (
    RumusPersen("agen", "Perubahan oleh agen perubahan (89 / 88)", 89, (88,)),
    RumusPersen("integrasi", "Perubahan terintegrasi (91 / 90)", 91, (90,)),
    RumusPersen("disiplin", "Penurunan pelanggaran disiplin (102, 103)", 102, (103,), True),
    RumusPersen("capaian", "Capaian kinerja unit (106 / 105)", 106, (105,)),
    RumusPersen("pengaduan", "Pengaduan yang diselesaikan (112 / 110)", 112, (110,)),
    RumusPersen("lhkpn", "LHKPN disampaikan (116 / 113+114+115)", 116, (113, 114, 115)),
    RumusPersen("non_lhkpn", "Non-LHKPN disampaikan (120 / 117+118+119)", 120, (117, 118, 119)),
    RumusPersen("perizinan", "Pelayanan yang dipermudah (123 / 122)", 123, (122,)),
)
RUMUS_PER_TAHUN: dict[int, tuple[RumusPersen, ...]] = {2026: RUMUS_2026}
# The Hasil questions by role (the verdict's criteria name them).
HASIL_2026 = {"ipak": 125, "capaian": 126, "ipkp": 127}
HASIL_PER_TAHUN: dict[int, dict[str, int]] = {2026: HASIL_2026}


def _nearest(table: Mapping[int, object], tahun: int) -> int:
    before = [t for t in table if t <= tahun]
    return max(before) if before else min(table)


@dataclass(frozen=True)
class Struktur:
    """A master's tree and questions, as plain data for the arithmetic."""

    tahun: int
    nodes: Mapping[int, NodeInfo]
    soal: Mapping[int, SoalInfo]  # by soal_id
    rumus: tuple[RumusPersen, ...]
    hasil: Mapping[str, int]

    @classmethod
    def of(cls, master: MasterLke) -> Struktur:
        """The structure of a ``MasterLke`` (two queries the first time; masters are
        read-only, so it is kept per master and load time)."""
        key = (master.pk, master.dimuat_pada)
        with _LOCK:
            found = _STRUKTUR.get(key)
        if found is not None:
            return found
        from actionplan.lke.models import NodeLke, SoalLke

        nodes = {
            n.pk: NodeInfo(
                id=n.pk,
                induk_id=n.induk_id,
                level=n.level,
                bagian=n.bagian,
                area=n.area,
                bobot=Fraction(n.bobot),
                nama=n.nama,
            )
            for n in NodeLke.objects.filter(master=master).order_by("pk")
        }
        soal = {
            s.soal_id: SoalInfo.of(s)
            for s in SoalLke.objects.filter(master=master).order_by("excel_baris")
        }
        struktur = cls.build(master.tahun, nodes, soal)
        with _LOCK:
            _STRUKTUR[key] = struktur
        return struktur

    @classmethod
    def build(cls, tahun: int, nodes: Mapping[int, NodeInfo], soal: Mapping[int, SoalInfo]):
        rumus = RUMUS_PER_TAHUN[_nearest(RUMUS_PER_TAHUN, tahun)]
        rumus = tuple(r for r in rumus if r.pembilang in soal and set(r.penyebut) <= set(soal))
        hasil = HASIL_PER_TAHUN[_nearest(HASIL_PER_TAHUN, tahun)]
        return cls(tahun=tahun, nodes=nodes, soal=soal, rumus=rumus, hasil=hasil)

    def anak(self, node_id: int) -> list[NodeInfo]:
        return [n for n in self.nodes.values() if n.induk_id == node_id]

    def sub_area_daun(self) -> list[NodeInfo]:
        """Sub-areas whose items are averaged (no sub-areas below them)."""
        parents = {n.induk_id for n in self.nodes.values() if n.level == Level.SUB_AREA}
        return [
            n
            for n in self.nodes.values()
            if n.level == Level.SUB_AREA and n.id not in parents and n.bagian != Bagian.HASIL
        ]

    def areas(self, bagian: str) -> dict[int, NodeInfo]:
        return {
            n.area: n
            for n in self.nodes.values()
            if n.level == Level.AREA and n.bagian == bagian and n.area is not None
        }


_STRUKTUR: dict[tuple, Struktur] = {}
_LOCK = threading.Lock()


# --- answers -> item values ------------------------------------------------------------


class JawabanTidakSah(ValueError):
    """An answer that does not fit its question's type (the message is Indonesian)."""


def normalise(soal: SoalInfo, teks: object) -> str:
    """The canonical text of an answer for a question, or '' for none; raises
    ``JawabanTidakSah`` with an Indonesian message. Accepts what people type: 'a',
    ' Ya ', 'ya', '12', 12.0, '3,62'."""
    jenis = soal.jenis
    if teks is None:
        return ""
    if isinstance(teks, bool):
        raise JawabanTidakSah("Jawaban harus berupa teks atau angka.")
    raw = str(teks).strip()
    if raw == "":
        return ""
    if jenis in (JenisJawaban.JUMLAH, JenisJawaban.INDEKS):
        try:
            angka = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            angka = None
        if angka is None or not angka.is_finite():
            raise JawabanTidakSah(f"'{raw}' bukan angka.")
        if jenis == JenisJawaban.JUMLAH:
            if angka < 0 or angka != angka.to_integral_value():
                raise JawabanTidakSah(f"Jumlah harus bilangan bulat 0 atau lebih, bukan '{raw}'.")
            return str(int(angka))
        if angka < 0 or angka > 4:
            raise JawabanTidakSah(f"Indeks harus antara 0 dan 4, bukan '{raw}'.")
        return format(angka.normalize(), "f")
    keys = list(soal.pengali)
    for key in keys:
        if raw.lower() == key.lower():
            return key
    raise JawabanTidakSah(f"Jawaban '{raw}' tidak dikenal; pilihan: {', '.join(keys)}.")


def nilai_soal(soal: SoalInfo, teks: str) -> Fraction | None:
    """A question's value in [0, 1] (None: no answer, or a count)."""
    if not teks:
        return None
    if soal.jenis == JenisJawaban.JUMLAH:
        return None
    if soal.jenis == JenisJawaban.INDEKS:
        return Fraction(Decimal(teks)) / 4
    return soal.pengali.get(teks)


def _jumlah(teks: str | None) -> Fraction | None:
    if not teks:
        return None
    return Fraction(int(teks))


def nilai_persen(rumus: RumusPersen, jawaban: Mapping[int, str]) -> Fraction | None:
    """A percentage item's value, capped at 1; None when a count is missing or the
    divisor is 0 (the sheet's #DIV/0!: left out of the mean)."""
    pembilang = _jumlah(jawaban.get(rumus.pembilang))
    penyebut_parts = [_jumlah(jawaban.get(s)) for s in rumus.penyebut]
    if pembilang is None or any(p is None for p in penyebut_parts):
        return None
    if rumus.disiplin:
        # 102 = last year's violations, 103 = this year's: 1 when both are 0, else the
        # share by which they fell, never below 0 (104 is entered but not used).
        tahun_lalu, tahun_ini = pembilang, penyebut_parts[0]
        assert tahun_ini is not None
        if tahun_lalu == 0 and tahun_ini == 0:
            return SATU
        if tahun_lalu == 0:
            return None
        return max(NOL, min(SATU, (tahun_lalu - tahun_ini) / tahun_lalu))
    penyebut = sum(p for p in penyebut_parts if p is not None)
    if penyebut == 0:
        return None
    return min(SATU, pembilang / penyebut)


@dataclass(frozen=True)
class Item:
    """One averaged item of a sub-area: a scored question or a percentage item."""

    kunci: str  # "soal:12" or "persen:lhkpn"
    nama: str
    node_id: int
    soal_ids: tuple[int, ...]
    nilai: Fraction | None


def items(struktur: Struktur, jawaban: Mapping[int, str]) -> list[Item]:
    """Every averaged item of the Pengungkit, with its value (None = unanswered)."""
    out: list[Item] = []
    for s in struktur.soal.values():
        node = struktur.nodes[s.node_id]
        if node.bagian == Bagian.HASIL or s.jenis == JenisJawaban.JUMLAH:
            continue
        out.append(
            Item(
                f"soal:{s.soal_id}",
                f"Soal {s.soal_id}",
                s.node_id,
                (s.soal_id,),
                nilai_soal(s, jawaban.get(s.soal_id, "")),
            )
        )
    for r in struktur.rumus:
        node_id = struktur.soal[r.pembilang].node_id
        out.append(
            Item(
                f"persen:{r.kunci}",
                r.nama,
                node_id,
                (r.pembilang, *r.penyebut),
                nilai_persen(r, jawaban),
            )
        )
    return out


# --- item values -> the score ----------------------------------------------------------


@dataclass(frozen=True)
class Skor:
    """A score with every part, in exact fractions (``as_json`` for floats)."""

    total: Fraction
    pengungkit: Fraction
    pemenuhan: Fraction
    reform: Fraction
    hasil: Fraction
    area: Mapping[int, Mapping[str, Fraction]]  # 1..6 -> {"pemenuhan", "reform"}
    sub_area: Mapping[int, Fraction]  # node id -> score
    hasil_bagian: Mapping[str, Fraction]  # "ipak", "capaian", "ipkp", "birokrasi", "pelayanan"
    item: Mapping[str, Fraction | None]  # item key -> value
    terjawab: int  # questions answered (counts included)
    jumlah_soal: int

    def area_total(self, nomor: int) -> Fraction:
        return self.area[nomor]["pemenuhan"] + self.area[nomor]["reform"]


def hitung(
    struktur: Struktur,
    jawaban: Mapping[int, str],
    *,
    ganti: Mapping[str, Fraction] | None = None,
) -> Skor:
    """The score of a set of answers (soal_id -> canonical text, '' or missing = blank).
    ``ganti`` overrides item values (item key -> value): what-if for the gap list."""
    daftar = items(struktur, jawaban)
    nilai = {it.kunci: it.nilai for it in daftar}
    if ganti:
        nilai.update(ganti)
    per_node: dict[int, list[Fraction]] = defaultdict(list)
    for it in daftar:
        v = nilai[it.kunci]
        if v is not None:
            per_node[it.node_id].append(v)

    sub_area: dict[int, Fraction] = {}
    for node in struktur.sub_area_daun():
        values = per_node.get(node.id, [])
        sub_area[node.id] = (sum(values, NOL) / len(values) * node.bobot) if values else NOL
    # Sub-areas with sub-areas below them: the sum of those (LHKPN + Non-LHKPN).
    for node in struktur.nodes.values():
        if node.level == Level.SUB_AREA and node.id not in sub_area and node.bagian != Bagian.HASIL:
            sub_area[node.id] = sum((sub_area.get(c.id, NOL) for c in struktur.anak(node.id)), NOL)

    area: dict[int, dict[str, Fraction]] = {
        n: {"pemenuhan": NOL, "reform": NOL} for n in range(1, 7)
    }
    for bagian in (Bagian.PEMENUHAN, Bagian.REFORM):
        for nomor, area_node in struktur.areas(bagian).items():
            area[nomor][str(bagian)] = sum(
                (sub_area[c.id] for c in struktur.anak(area_node.id) if c.id in sub_area), NOL
            )
    pemenuhan = sum((a["pemenuhan"] for a in area.values()), NOL)
    reform = sum((a["reform"] for a in area.values()), NOL)

    hasil_soal: dict[int, Fraction] = {}
    for s in struktur.soal.values():
        if struktur.nodes[s.node_id].bagian == Bagian.HASIL:
            v = (
                ganti.get(f"soal:{s.soal_id}")
                if ganti and f"soal:{s.soal_id}" in ganti
                else (nilai_soal(s, jawaban.get(s.soal_id, "")))
            )
            hasil_soal[s.soal_id] = (v or NOL) * s.bobot
    hasil = sum(hasil_soal.values(), NOL)
    bagian_hasil = {k: hasil_soal.get(sid, NOL) for k, sid in struktur.hasil.items()}
    bagian_hasil["birokrasi"] = bagian_hasil.get("ipak", NOL) + bagian_hasil.get("capaian", NOL)
    bagian_hasil["pelayanan"] = bagian_hasil.get("ipkp", NOL)

    pengungkit = pemenuhan + reform
    return Skor(
        total=pengungkit + hasil,
        pengungkit=pengungkit,
        pemenuhan=pemenuhan,
        reform=reform,
        hasil=hasil,
        area=area,
        sub_area=sub_area,
        hasil_bagian=bagian_hasil,
        item=nilai,
        terjawab=sum(1 for sid in struktur.soal if jawaban.get(sid)),
        jumlah_soal=len(struktur.soal),
    )


# --- the verdict ---------------------------------------------------------------------


@dataclass(frozen=True)
class KriteriaHasil:
    kunci: str
    nama: str
    nilai: Fraction
    batas: Fraction
    satuan: str = ""  # "%" for the areas' shares

    @property
    def memenuhi(self) -> bool:
        return self.nilai >= self.batas

    @property
    def selisih(self) -> Fraction:
        """How far below the threshold (0 when met)."""
        return max(NOL, self.batas - self.nilai)


@dataclass(frozen=True)
class Putusan:
    predikat: str
    kriteria: list[KriteriaHasil]

    @property
    def memenuhi(self) -> bool:
        return all(k.memenuhi for k in self.kriteria)


NAMA_AREA = {
    1: "Manajemen Perubahan",
    2: "Penataan Tatalaksana",
    3: "Penataan Sistem Manajemen SDM Aparatur",
    4: "Penguatan Akuntabilitas",
    5: "Penguatan Pengawasan",
    6: "Peningkatan Kualitas Pelayanan Publik",
}


def putusan(
    struktur: Struktur,
    skor: Skor,
    ambang: Mapping[str, Mapping[str, Fraction]],
    *,
    sudah_wbk: bool,
) -> dict[str, Putusan]:
    """Per predicate, each criterion's value beside its threshold. ``ambang``:
    predicate -> criterion -> threshold (``Kriteria`` values); a criterion without a
    threshold is not checked."""
    bobot_area = {nomor: node.bobot for nomor, node in struktur.areas(Bagian.PEMENUHAN).items()}
    for nomor, node in struktur.areas(Bagian.REFORM).items():
        bobot_area[nomor] = bobot_area.get(nomor, NOL) + node.bobot
    nilai: list[tuple[str, str, Fraction, str]] = [
        (Kriteria.TOTAL, "Nilai total (dari 100)", skor.total, ""),
        (Kriteria.PENGUNGKIT, "Komponen pengungkit (dari 60)", skor.pengungkit, ""),
    ]
    for nomor in sorted(bobot_area):
        share = skor.area_total(nomor) / bobot_area[nomor] * 100 if bobot_area[nomor] else NOL
        nama = f"Area {nomor} {NAMA_AREA.get(nomor, '')}: pemenuhan + reform (% dari bobot)"
        nilai.append((f"{Kriteria.AREA}:{nomor}", nama, share, "%"))
    hb = skor.hasil_bagian
    nilai += [
        (Kriteria.BIROKRASI, "Birokrasi bersih dan akuntabel (dari 22,5)", hb["birokrasi"], ""),
        (Kriteria.IPAK, "Nilai IPAK (dari 17,5)", hb.get("ipak", NOL), ""),
        (Kriteria.CAPAIAN, "Capaian kinerja (dari 5)", hb.get("capaian", NOL), ""),
        (Kriteria.IPKP, "Nilai IPKP (dari 17,5)", hb.get("ipkp", NOL), ""),
        (Kriteria.SUDAH_WBK, "Sudah berpredikat WBK", SATU if sudah_wbk else NOL, ""),
    ]
    out: dict[str, Putusan] = {}
    for predikat in (Predikat.WBK, Predikat.WBBM):
        batas = ambang.get(predikat, {})
        kriteria = [
            KriteriaHasil(kunci, nama, v, batas[kunci.split(":")[0]], satuan)
            for kunci, nama, v, satuan in nilai
            if kunci.split(":")[0] in batas
        ]
        out[str(predikat)] = Putusan(str(predikat), kriteria)
    return out


def as_json(skor: Skor, verdict: Mapping[str, Putusan]) -> dict:
    """The shape ``lke_score --json`` prints (numbers unrounded)."""
    return {
        "total": float(skor.total),
        "pengungkit": float(skor.pengungkit),
        "pemenuhan": float(skor.pemenuhan),
        "reform": float(skor.reform),
        "hasil": float(skor.hasil),
        "area": {
            str(n): {"pemenuhan": float(a["pemenuhan"]), "reform": float(a["reform"])}
            for n, a in sorted(skor.area.items())
        },
        "predikat": {
            p: {
                "memenuhi": v.memenuhi,
                "kriteria": [
                    {
                        "nama": k.nama,
                        "nilai": float(k.nilai),
                        "batas": float(k.batas),
                        "memenuhi": k.memenuhi,
                    }
                    for k in v.kriteria
                ],
            }
            for p, v in verdict.items()
        },
    }


# --- what is left to gain ------------------------------------------------------------


@dataclass(frozen=True)
class Peluang:
    """An item below its best, and the points the total gains if it reaches it."""

    item: Item
    tambah: Fraction
    area: int | None
    bagian: str


def peluang(struktur: Struktur, jawaban: Mapping[int, str]) -> list[Peluang]:
    """Every item below 1 (unanswered ones included), ranked by the points it would add
    to the total on its own at its best value, largest first."""
    dasar = hitung(struktur, jawaban)
    out: list[Peluang] = []
    for it in items(struktur, jawaban):
        if it.nilai is not None and it.nilai >= SATU:
            continue
        baru = hitung(struktur, jawaban, ganti={it.kunci: SATU})
        tambah = baru.total - dasar.total
        if tambah > 0:
            node = struktur.nodes[it.node_id]
            out.append(Peluang(it, tambah, node.area, node.bagian))
    for sid in struktur.hasil.values():
        s = struktur.soal.get(sid)
        if s is None:
            continue
        v = nilai_soal(s, jawaban.get(sid, ""))
        if v is not None and v >= SATU:
            continue
        tambah = (SATU - (v or NOL)) * s.bobot
        item = Item(f"soal:{sid}", f"Soal {sid}", s.node_id, (sid,), v)
        out.append(Peluang(item, tambah, None, Bagian.HASIL))
    out.sort(key=lambda p: (-p.tambah, p.item.soal_ids))
    return out


def peluang_area(struktur: Struktur, jawaban: Mapping[int, str], kunci: Iterable[str]) -> Fraction:
    """The points the total gains if all these items reach their best together."""
    dasar = hitung(struktur, jawaban)
    return hitung(struktur, jawaban, ganti=dict.fromkeys(kunci, SATU)).total - dasar.total


def ambang_map(rows: Iterable[AmbangPredikat]) -> dict[str, dict[str, Fraction]]:
    """AmbangPredikat rows -> predicate -> criterion -> threshold."""
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for row in rows:
        out[row.predikat][row.kriteria] = Fraction(row.batas)
    return dict(out)
