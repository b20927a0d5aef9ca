"""The verdict page's reads, shaped for the page: both sides' scores beside the weights,
each predicate's criteria, the points still to gain (one question at a time, and per
area together), and the answers whose evidence the TPI will mark down.

The arithmetic is ``lke.scoring``'s; this module only gathers answers and evidence in a
fixed number of queries and words the results. The verdict is recomputed here from the
year's thresholds as they are now (``selectors.nilai`` keeps a verdict cached under the
assessment's revision, which a change of thresholds does not raise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Count

from actionplan.enums import romawi
from actionplan.lke import scoring, selectors
from actionplan.lke.enums import Bagian, JenisJawaban, Pihak, StatusPenilaian
from actionplan.lke.models import JawabanLke, PenilaianLke, SoalLke, TautanSoal
from actionplan.models import LANGKAH_TO_RENCANA
from evidence.enums import COUNTING, StatusBukti
from evidence.models import Bukti

# A unit's answer worth at least this much is "answered well": the TPI checks its evidence.
NILAI_BAIK = Fraction(1, 2)
# How many of the ranked gains the page shows before "show all".
PELUANG_TERATAS = 15
CACHE_SECONDS = 3600


def angka(nilai: Fraction | float | int | None, desimal: int = 2) -> str:
    """A number the Indonesian way: a decimal comma, rounded half up ('2,40')."""
    if nilai is None:
        return "–"
    if isinstance(nilai, Fraction):
        d = Decimal(nilai.numerator) / Decimal(nilai.denominator)
    else:
        d = Decimal(str(nilai))
    kuantum = Decimal(1).scaleb(-desimal)
    teks = format(d.quantize(kuantum, rounding=ROUND_HALF_UP), "f")
    return teks.replace(".", ",")


def pihak_penentu(penilaian: PenilaianLke) -> str:
    """The side whose score counts: the TPI's once it has evaluated, else the unit's."""
    if penilaian.status in (StatusPenilaian.DIEVALUASI, StatusPenilaian.FINAL):
        return Pihak.TPI
    return Pihak.UNIT


# --- the shapes the page shows -----------------------------------------------------------


@dataclass(frozen=True)
class Sisi:
    """One side's score and verdict."""

    pihak: str
    label: str
    skor: scoring.Skor
    putusan: dict[str, scoring.Putusan]

    @property
    def kosong(self) -> bool:
        return self.skor.terjawab == 0


@dataclass(frozen=True)
class BarisArea:
    nomor: int
    nama: str
    bobot_pemenuhan: Fraction
    bobot_reform: Fraction
    unit: tuple[Fraction, Fraction]
    tpi: tuple[Fraction, Fraction]

    @property
    def romawi(self) -> str:
        return romawi(self.nomor)

    @property
    def bobot(self) -> Fraction:
        return self.bobot_pemenuhan + self.bobot_reform

    @property
    def persen_unit(self) -> Fraction:
        """Pemenuhan + reform as a share of the area's weight, in percent."""
        return sum(self.unit, Fraction(0)) / self.bobot * 100 if self.bobot else Fraction(0)

    @property
    def persen_tpi(self) -> Fraction:
        return sum(self.tpi, Fraction(0)) / self.bobot * 100 if self.bobot else Fraction(0)


@dataclass(frozen=True)
class BarisPeluang:
    """An item below its best and the points it adds on its own."""

    kunci: str
    soal_id: int | None  # None: a percentage item
    judul: str
    teks: str
    jawaban: str  # the current answer as shown ('' = none)
    terbaik: str
    tambah: Fraction
    area: int | None
    bagian: str

    @property
    def area_romawi(self) -> str:
        return romawi(self.area) if self.area else ""


@dataclass(frozen=True)
class LangkahTerkait:
    pk: int
    judul: str  # 'I.1 Menyusun ...'
    disetujui: tuple[int, ...]  # months with an approved version
    dikembalikan: tuple[int, ...]
    diajukan: tuple[int, ...]


@dataclass(frozen=True)
class BuktiLemah:
    soal_id: int
    teks: str
    jawaban: str
    area: int | None
    alasan: tuple[str, ...]
    langkah: tuple[LangkahTerkait, ...]

    @property
    def area_romawi(self) -> str:
        return romawi(self.area) if self.area else "Hasil"


@dataclass
class HalamanSkor:
    penilaian: PenilaianLke
    sisi: dict[str, Sisi]
    aktif: str  # the side whose verdict and gains the page shows
    areas: list[BarisArea]
    peluang: list[BarisPeluang]
    ringkasan_area: list[str]
    bukti_lemah: list[BuktiLemah]
    penentu: str = field(default="")

    @property
    def sisi_aktif(self) -> Sisi:
        return self.sisi[self.aktif]

    @property
    def peluang_teratas(self) -> list[BarisPeluang]:
        return self.peluang[:PELUANG_TERATAS]

    @property
    def peluang_lain(self) -> list[BarisPeluang]:
        return self.peluang[PELUANG_TERATAS:]


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Soal:
    soal_id: int
    teks: str
    jenis: str
    terbaik: str
    area: int | None
    bagian: str


def _soal_master(penilaian: PenilaianLke) -> dict[int, _Soal]:
    """The master's questions with their area (one query)."""
    out: dict[int, _Soal] = {}
    rows = SoalLke.objects.filter(master_id=penilaian.master_id).values_list(
        "soal_id", "teks", "jenis", "opsi", "node__area", "node__bagian"
    )
    for soal_id, teks, jenis, opsi, area, bagian in rows:
        if jenis == JenisJawaban.INDEKS:
            terbaik = "4"
        elif opsi:
            terbaik = max(opsi, key=lambda o: Decimal(str(o["multiplier"])))["key"]
        else:
            terbaik = ""
        out[soal_id] = _Soal(soal_id, teks, jenis, terbaik, area, bagian)
    return out


@dataclass(frozen=True)
class _Jawaban:
    unit: str
    tpi: str
    tautan: str
    n_bukti: int


def _jawaban(penilaian: PenilaianLke) -> dict[int, _Jawaban]:
    """soal_id -> both sides' answers and the unit's evidence count (one query)."""
    rows = (
        JawabanLke.objects.filter(penilaian=penilaian)
        .values_list("soal__soal_id", "jawaban_unit", "jawaban_tpi", "tautan")
        .annotate(n_bukti=Count("bukti"))
        .order_by()
    )
    return {sid: _Jawaban(unit, tpi, tautan, n) for sid, unit, tpi, tautan, n in rows}


def _sisi(
    struktur: scoring.Struktur,
    pihak: str,
    jawaban: dict[int, str],
    ambang: dict[str, dict[str, Fraction]],
    sudah_wbk: bool,
) -> Sisi:
    skor = scoring.hitung(struktur, jawaban)
    verdict = scoring.putusan(struktur, skor, ambang, sudah_wbk=sudah_wbk)
    label = "Penilaian mandiri unit" if pihak == Pihak.UNIT else "Evaluasi TPI"
    return Sisi(pihak, label, skor, verdict)


def _areas(struktur: scoring.Struktur, unit: scoring.Skor, tpi: scoring.Skor) -> list[BarisArea]:
    pem = struktur.areas(Bagian.PEMENUHAN)
    ref = struktur.areas(Bagian.REFORM)
    out = []
    for nomor in sorted(set(pem) | set(ref)):
        out.append(
            BarisArea(
                nomor=nomor,
                nama=scoring.NAMA_AREA.get(nomor, ""),
                bobot_pemenuhan=pem[nomor].bobot if nomor in pem else Fraction(0),
                bobot_reform=ref[nomor].bobot if nomor in ref else Fraction(0),
                unit=(unit.area[nomor]["pemenuhan"], unit.area[nomor]["reform"]),
                tpi=(tpi.area[nomor]["pemenuhan"], tpi.area[nomor]["reform"]),
            )
        )
    return out


def _peluang(
    struktur: scoring.Struktur, jawaban: dict[int, str], soal: dict[int, _Soal]
) -> tuple[list[BarisPeluang], list[str]]:
    """The ranked gains and one sentence per area for its below-best answers together."""
    ranked = scoring.peluang(struktur, jawaban)
    rows: list[BarisPeluang] = []
    for p in ranked:
        if p.item.kunci.startswith("soal:"):
            sid = p.item.soal_ids[0]
            s = soal[sid]
            rows.append(
                BarisPeluang(
                    kunci=p.item.kunci,
                    soal_id=sid,
                    judul=f"Soal {sid}",
                    teks=s.teks,
                    jawaban=jawaban.get(sid, ""),
                    terbaik=s.terbaik,
                    tambah=p.tambah,
                    area=p.area,
                    bagian=str(p.bagian),
                )
            )
        else:
            rows.append(
                BarisPeluang(
                    kunci=p.item.kunci,
                    soal_id=None,
                    judul=p.item.nama,
                    teks="Persentase dari jumlah yang diisi (soal "
                    + ", ".join(str(i) for i in p.item.soal_ids)
                    + ").",
                    jawaban="" if p.item.nilai is None else f"{angka(p.item.nilai * 100, 1)}%",
                    terbaik="100%",
                    tambah=p.tambah,
                    area=p.area,
                    bagian=str(p.bagian),
                )
            )

    ringkasan: list[str] = []
    for nomor in range(1, 7):
        # The area's questions already answered but below their best: what better
        # evidence (not new answers) would raise.
        bawah = [
            p
            for p in ranked
            if p.area == nomor and p.item.kunci.startswith("soal:") and p.item.nilai is not None
        ]
        if not bawah:
            continue
        gabungan = scoring.peluang_area(struktur, jawaban, [p.item.kunci for p in bawah])
        if gabungan <= 0:
            continue
        # The current answers, best first ('B/C'), each valued by its multiplier.
        nilai_kunci: dict[str, Fraction] = {}
        for p in bawah:
            sid = p.item.soal_ids[0]
            nilai_kunci[jawaban[sid]] = struktur.soal[sid].pengali.get(jawaban[sid], Fraction(0))
        sekarang = sorted(nilai_kunci, key=lambda k: (-nilai_kunci[k], k))
        terbaik = sorted({soal[p.item.soal_ids[0]].terbaik for p in bawah})
        ringkasan.append(
            f"{len(bawah)} jawaban di Area {romawi(nomor)} dari {'/'.join(sekarang)} "
            f"ke {'/'.join(terbaik)} menambah {angka(gabungan)} poin"
        )
    return rows, ringkasan


def _langkah_terkait(penilaian: PenilaianLke) -> dict[int, list[LangkahTerkait]]:
    """soal_id -> the unit's steps of the assessment's year linked to it, each with the
    months of its counting evidence by state (two queries)."""
    links = list(
        TautanSoal.objects.filter(
            soal__master_id=penilaian.master_id,
            **{
                f"langkah__{LANGKAH_TO_RENCANA}__satuan_kerja_id": penilaian.satuan_kerja_id,
                f"langkah__{LANGKAH_TO_RENCANA}__tahun": penilaian.tahun,
            },
        )
        .values_list(
            "soal__soal_id",
            "langkah_id",
            "langkah__teks",
            "langkah__indikator__komponen__area__nomor",
            "langkah__indikator__komponen__nomor",
        )
        .order_by("soal__soal_id", "langkah_id")
    )
    if not links:
        return {}
    months: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Bukti.objects.filter(
            slot__langkah_aksi_id__in={row[1] for row in links}, status__in=COUNTING
        )
        .values_list("slot__langkah_aksi_id", "slot__bulan", "status")
        .order_by("slot__langkah_aksi_id", "slot__bulan")
    )
    for langkah_id, bulan, status in rows:
        months[langkah_id][status].append(bulan)
    out: dict[int, list[LangkahTerkait]] = defaultdict(list)
    for sid, langkah_id, teks, area, komponen in links:
        m = months.get(langkah_id, {})
        out[sid].append(
            LangkahTerkait(
                pk=langkah_id,
                judul=f"{romawi(area)}.{komponen} {teks}",
                disetujui=tuple(m.get(StatusBukti.DISETUJUI, [])),
                dikembalikan=tuple(m.get(StatusBukti.DIKEMBALIKAN, [])),
                diajukan=tuple(m.get(StatusBukti.DIAJUKAN, [])),
            )
        )
    return out


def _bukti_lemah(
    struktur: scoring.Struktur,
    jawaban: dict[int, _Jawaban],
    soal: dict[int, _Soal],
    terkait: dict[int, list[LangkahTerkait]],
) -> list[BuktiLemah]:
    """The unit's well-answered questions whose evidence is missing, returned or not yet
    reviewed. Survey indices (IPAK, IPKP) are left out: their source is the survey."""
    out = []
    for s in sorted(soal.values(), key=lambda s: s.soal_id):
        j = jawaban.get(s.soal_id)
        if j is None or not j.unit or s.jenis == JenisJawaban.INDEKS:
            continue
        nilai = scoring.nilai_soal(struktur.soal[s.soal_id], j.unit)
        if nilai is None or nilai < NILAI_BAIK:
            continue
        langkah = terkait.get(s.soal_id, [])
        alasan = []
        if not j.n_bukti and not j.tautan.strip() and not any(lk.disetujui for lk in langkah):
            if langkah:
                alasan.append(
                    "Belum ada bukti: tidak ada bukti yang dilampirkan, tidak ada tautan, "
                    "dan langkah aksi terkait belum punya bukti yang disetujui tahun ini."
                )
            else:
                alasan.append(
                    "Belum ada bukti: tidak ada bukti yang dilampirkan dan tidak ada tautan."
                )
        for lk in langkah:
            if lk.dikembalikan:
                alasan.append(f"Bukti langkah aksi '{lk.judul[:60]}' dikembalikan reviewer.")
            if lk.diajukan:
                alasan.append(f"Bukti langkah aksi '{lk.judul[:60]}' belum direview.")
        if alasan:
            out.append(
                BuktiLemah(
                    soal_id=s.soal_id,
                    teks=s.teks,
                    jawaban=j.unit,
                    area=s.area if s.bagian != Bagian.HASIL else None,
                    alasan=tuple(alasan),
                    langkah=tuple(langkah),
                )
            )
    return out


def halaman_skor(penilaian: PenilaianLke, pihak: str | None = None) -> HalamanSkor:
    """Everything the verdict page shows, in a fixed number of queries: the answers,
    the questions, the thresholds (two), the predicates held, the linked steps and
    their evidence (two). ``penilaian`` with its master loaded (``with_unit()``);
    ``pihak`` the side whose verdict and gains to show (default: the deciding side)."""
    struktur = scoring.Struktur.of(penilaian.master)
    jawaban = _jawaban(penilaian)
    soal = _soal_master(penilaian)
    ambang = selectors.ambang_tahun(penilaian.tahun)
    sudah_wbk = selectors.sudah_wbk(penilaian.satuan_kerja_id)
    maps = {
        Pihak.UNIT: {sid: j.unit for sid, j in jawaban.items() if j.unit},
        Pihak.TPI: {sid: j.tpi for sid, j in jawaban.items() if j.tpi},
    }
    sisi = {str(p): _sisi(struktur, p, maps[p], ambang, sudah_wbk) for p in (Pihak.UNIT, Pihak.TPI)}
    penentu = pihak_penentu(penilaian)
    aktif = pihak if pihak in sisi else str(penentu)
    # Ranking the gains scores the answers once per item (a quarter of a second for a
    # full LKE): kept under the assessment's revision, which every answer raises.
    key = f"lke:peluang:{penilaian.pk}:{penilaian.revisi}:{aktif}:{penilaian.master_id}"
    found = cache.get(key)
    if found is None:
        found = _peluang(struktur, maps[Pihak(aktif)], soal)
        cache.set(key, found, CACHE_SECONDS)
    peluang, ringkasan = found
    return HalamanSkor(
        penilaian=penilaian,
        sisi=sisi,
        aktif=aktif,
        areas=_areas(struktur, sisi[Pihak.UNIT].skor, sisi[Pihak.TPI].skor),
        peluang=peluang,
        ringkasan_area=ringkasan,
        bukti_lemah=_bukti_lemah(struktur, jawaban, soal, _langkah_terkait(penilaian)),
        penentu=str(penentu),
    )
