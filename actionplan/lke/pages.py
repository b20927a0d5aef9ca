"""Reads shaped for the assessment's pages: the questions grouped by area with both
sides' answers, the steps linked to each question with their evidence this year, the
evidence picker, the history. Each function says its queries, so the N+1 guards in
tests/lke/test_pages.py can count them."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from actionplan.lke.enums import Bagian, Level, StatusPenilaian
from actionplan.lke.models import (
    JawabanLke,
    NodeLke,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
    SoalLke,
    TautanSoal,
)
from actionplan.models import SLOT_TO_RENCANA, LangkahAksi, RencanaAksi, Slot
from actionplan.progress.moment import Moment
from actionplan.progress.states import State, with_state
from evidence.enums import StatusBukti
from evidence.models import Bukti

HASIL = 0  # the group key of the Hasil questions (areas are 1-6)


def area_soal(soal: SoalLke) -> int | None:
    """The LKE area (1-6) a question belongs to; None for a Hasil question (the admin's).
    ``soal.node`` must be loaded."""
    if soal.node.bagian == Bagian.HASIL:
        return None
    return soal.node.area


def rencana_lke(penilaian: PenilaianLke) -> RencanaAksi | None:
    """The plan whose steps serve the assessment: the unit's plan of the year, else its
    latest plan before it (one query)."""
    return (
        RencanaAksi.objects.filter(
            satuan_kerja_id=penilaian.satuan_kerja_id, tahun__lte=penilaian.tahun
        )
        .order_by("-tahun")
        .first()
    )


# --- linked steps and their evidence ---------------------------------------------------


@dataclass
class LangkahBukti:
    """A step linked to a question, with its months' states now."""

    langkah: LangkahAksi
    states: Counter = field(default_factory=Counter)  # State -> months
    due: int = 0  # months due so far

    @property
    def disetujui(self) -> int:
        return self.states[State.APPROVED]

    @property
    def ringkas(self) -> list[tuple[str, int]]:
        """(state label, months) for the states present among the due months."""
        return [(s.label, self.states[s]) for s in State if self.states[s]]

    @property
    def kelas(self) -> str:
        """A badge colour: all due months approved, some missing or returned, else
        waiting."""
        if self.due == 0:
            return "text-bg-light border"
        if self.disetujui >= self.due:
            return "text-bg-success"
        if self.states[State.RETURNED] or self.states[State.OVERDUE]:
            return "text-bg-danger"
        return "text-bg-warning"


@dataclass
class BuktiSoal:
    """The evidence of a question's linked steps, summed over the steps."""

    langkah: list[LangkahBukti] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(item.due for item in self.langkah)

    @property
    def disetujui(self) -> int:
        return sum(min(item.disetujui, item.due) for item in self.langkah)

    @property
    def kelas(self) -> str:
        if not self.langkah or self.due == 0:
            return "text-bg-light border"
        if self.disetujui >= self.due:
            return "text-bg-success"
        if any(item.kelas == "text-bg-danger" for item in self.langkah):
            return "text-bg-danger"
        return "text-bg-warning"


def langkah_per_soal(
    penilaian: PenilaianLke, rencana: RencanaAksi | None, soal_pks: Iterable[int] | None = None
) -> dict[int, BuktiSoal]:
    """SoalLke pk -> the plan's steps linked to it with their months' states now. Two
    queries (the links with their steps; the months with their states), none without
    a plan."""
    if rencana is None:
        return {}
    links = TautanSoal.objects.filter(
        soal__master_id=penilaian.master_id,
        langkah__indikator__komponen__area__rencana=rencana,
    ).select_related("langkah__indikator__komponen__area", "langkah__tim")
    if soal_pks is not None:
        links = links.filter(soal_id__in=list(soal_pks))
    rows = list(links)
    if not rows:
        return {}
    moment = Moment.now(rencana)
    per_langkah: dict[int, LangkahBukti] = {}
    for link in rows:
        per_langkah.setdefault(link.langkah_id, LangkahBukti(link.langkah))
    slots = with_state(Slot.objects.filter(langkah_aksi_id__in=list(per_langkah)), moment)
    # "state" is an annotation of with_state(), which the stubs cannot follow.
    rows_state = slots.values_list("langkah_aksi_id", "bulan", "state")  # type: ignore[misc]
    for langkah_id, bulan, state in rows_state:
        if bulan <= moment.bulan:
            item = per_langkah[langkah_id]
            item.due += 1
            item.states[state] += 1
    out: dict[int, BuktiSoal] = defaultdict(BuktiSoal)
    for link in sorted(rows, key=lambda r: _doc_order(r.langkah)):
        out[link.soal_id].langkah.append(per_langkah[link.langkah_id])
    return dict(out)


def _doc_order(langkah: LangkahAksi) -> tuple[int, int, int, int]:
    komponen = langkah.indikator.komponen
    return (komponen.area.nomor, komponen.nomor, langkah.indikator.urutan, langkah.urutan)


# --- the overview ------------------------------------------------------------------------


@dataclass
class BarisSoal:
    soal: SoalLke
    jawaban: JawabanLke | None
    bukti: BuktiSoal | None
    sub_area: str
    bagian: str

    @property
    def jawaban_unit(self) -> str:
        return self.jawaban.jawaban_unit if self.jawaban else ""

    @property
    def jawaban_tpi(self) -> str:
        return self.jawaban.jawaban_tpi if self.jawaban else ""

    @property
    def jumlah_bukti(self) -> int:
        if self.jawaban is None:
            return 0
        # Counted by grup_soal's query (an annotation the stubs cannot follow).
        dari_zi: int = getattr(self.jawaban, "jumlah_bukti", 0)
        return dari_zi + len(self.jawaban.tautan_list)

    @property
    def berbeda(self) -> bool:
        return bool(
            self.jawaban_unit and self.jawaban_tpi and self.jawaban_unit != self.jawaban_tpi
        )


@dataclass
class GrupArea:
    nomor: int  # 1-6, or HASIL
    nama: str
    baris: list[BarisSoal] = field(default_factory=list)

    @property
    def terjawab_unit(self) -> int:
        return sum(1 for b in self.baris if b.jawaban_unit)

    @property
    def terjawab_tpi(self) -> int:
        return sum(1 for b in self.baris if b.jawaban_tpi)


def _area_names(nodes: dict[int, NodeLke]) -> dict[int, str]:
    names: dict[int, str] = {}
    for node in nodes.values():
        if node.level == Level.AREA and node.area is not None and node.area not in names:
            # PortalRB writes "1. MANAJEMEN PERUBAHAN": keep the name, in title case.
            nama = node.nama.split(". ", 1)[-1]
            names[node.area] = nama.title() if nama.isupper() else nama
    return names


def grup_soal(penilaian: PenilaianLke, rencana: RencanaAksi | None) -> list[GrupArea]:
    """Every question of the assessment's master grouped by LKE area (then Hasil), each
    with both sides' answers, its evidence count and its linked steps. Four queries
    (nodes, questions, answers with their evidence counted, links) plus one for the
    months' states when steps are linked."""
    nodes = {n.pk: n for n in NodeLke.objects.filter(master_id=penilaian.master_id)}
    soal_list = list(SoalLke.objects.filter(master_id=penilaian.master_id).order_by("excel_baris"))
    jawaban = {
        j.soal_id: j
        for j in JawabanLke.objects.filter(penilaian=penilaian).annotate(
            jumlah_bukti=Count("bukti")
        )
    }
    bukti = langkah_per_soal(penilaian, rencana)
    names = _area_names(nodes)
    groups: dict[int, GrupArea] = {}
    for soal in soal_list:
        node = nodes[soal.node_id]
        soal.node = node  # already loaded: no query per row
        key = HASIL if node.bagian == Bagian.HASIL else (node.area or HASIL)
        if key not in groups:
            groups[key] = GrupArea(key, "Hasil" if key == HASIL else names.get(key, f"Area {key}"))
        induk = nodes.get(node.induk_id) if node.induk_id else None
        sub_area = node.nama
        if induk is not None and induk.level == Level.SUB_AREA:
            sub_area = f"{induk.nama} · {node.nama}"
        groups[key].baris.append(
            BarisSoal(
                soal=soal,
                jawaban=jawaban.get(soal.pk),
                bukti=bukti.get(soal.pk),
                sub_area=sub_area,
                bagian=Bagian(node.bagian).label,
            )
        )
    return [groups[k] for k in sorted(groups, key=lambda k: (k == HASIL, k))]


def saring(groups: list[GrupArea], *, area: int | None, filter_: str) -> list[GrupArea]:
    """The groups with only the rows a filter keeps: an area, 'belum' (the unit has not
    answered), 'berbeda' (the unit and the TPI answered differently)."""
    out = []
    for g in groups:
        if area is not None and g.nomor != area:
            continue
        rows = g.baris
        if filter_ == "belum":
            rows = [b for b in rows if not b.jawaban_unit]
        elif filter_ == "berbeda":
            rows = [b for b in rows if b.berbeda]
        if rows:
            out.append(GrupArea(g.nomor, g.nama, rows))
    return out


# --- one question ------------------------------------------------------------------------


def soal_halaman(penilaian: PenilaianLke, soal_id: int) -> SoalLke | None:
    """The question with its sub-area and the sub-area's parent (one query)."""
    return (
        SoalLke.objects.filter(master_id=penilaian.master_id, soal_id=soal_id)
        .select_related("node__induk__induk")
        .first()
    )


def tetangga(penilaian: PenilaianLke, soal: SoalLke) -> tuple[int | None, int | None]:
    """The previous and next questions' soal_id in the workbook's order (one query)."""
    ids = list(
        SoalLke.objects.filter(master_id=penilaian.master_id)
        .order_by("excel_baris")
        .values_list("soal_id", flat=True)
    )
    i = ids.index(soal.soal_id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


def jawaban_halaman(penilaian: PenilaianLke, soal: SoalLke) -> JawabanLke | None:
    """The question's answer with its evidence (and their months) loaded: two queries
    (one when unanswered)."""
    return (
        JawabanLke.objects.filter(penilaian=penilaian, soal=soal)
        .prefetch_related(Prefetch("bukti", queryset=Bukti.objects.select_related("slot")))
        .first()
    )


def pilihan_bukti(penilaian: PenilaianLke, linked: set[int]) -> list[Bukti]:
    """The unit's approved evidence of its plans of the year and the year before, the
    steps linked to the question first, then in the Lampiran's order: two queries (the
    versions with their step, plan and uploader; their files)."""
    rencana = f"slot__{SLOT_TO_RENCANA}"
    rows = list(
        Bukti.objects.with_plan()
        .filter(
            Q(**{f"{rencana}__satuan_kerja_id": penilaian.satuan_kerja_id})
            & Q(**{f"{rencana}__tahun__in": [penilaian.tahun, penilaian.tahun - 1]}),
            status=StatusBukti.DISETUJUI,
        )
        .prefetch_related("berkas")
    )

    def key(b: Bukti) -> tuple:
        langkah = b.slot.langkah_aksi
        return (
            langkah.pk not in linked,
            -langkah.rencana.tahun,
            _doc_order(langkah),
            b.slot.bulan,
            b.versi,
        )

    return sorted(rows, key=key)


def riwayat_soal(jawaban: JawabanLke | None) -> list[RiwayatJawaban]:
    """The answer's history, newest first (one query; none when unanswered)."""
    if jawaban is None:
        return []
    return list(
        RiwayatJawaban.objects.filter(jawaban=jawaban)
        .select_related("aktor")
        .order_by("-waktu", "-pk")
    )


# --- the assessment's history --------------------------------------------------------------


@dataclass(frozen=True)
class Kejadian:
    """One line of the history page: a state event or an answer's change."""

    waktu: datetime.datetime
    peristiwa: PeristiwaPenilaian | None = None
    perubahan: RiwayatJawaban | None = None

    @property
    def perpindahan(self) -> str:
        """'Draf (diisi unit) -> Diajukan ke TPI' for a move of state, else ''."""
        p = self.peristiwa
        if p is None or not p.status_lama or p.status_lama == p.status_baru:
            return ""
        return f"{StatusPenilaian(p.status_lama).label} → {StatusPenilaian(p.status_baru).label}"


def riwayat_penilaian(
    penilaian: PenilaianLke, halaman: int, per: int
) -> tuple[list[Kejadian], int]:
    """A page of the assessment's events and answer changes merged newest first, and
    the number of lines in all: four queries (two counts, two slices)."""
    events = PeristiwaPenilaian.objects.filter(penilaian=penilaian)
    changes = RiwayatJawaban.objects.filter(jawaban__penilaian=penilaian)
    total = events.count() + changes.count()
    end = halaman * per
    merged = [
        Kejadian(e.waktu, peristiwa=e)
        for e in events.select_related("aktor").order_by("-waktu", "-pk")[:end]
    ] + [
        Kejadian(c.waktu, perubahan=c)
        for c in changes.select_related("aktor", "jawaban__soal").order_by("-waktu", "-pk")[:end]
    ]
    merged.sort(key=lambda k: k.waktu, reverse=True)
    return merged[end - per : end], total
