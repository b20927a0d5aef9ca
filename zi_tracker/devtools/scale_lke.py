"""LKE assessments for generated plans (see zi_tracker.devtools.scale): one per unit and
plan year, in bulk. Answers come from ``lke_answers`` with a mutu per unit: every 7th
unit (gen-kab-001, -008, …) is far along, has submitted, and meets WBK; the rest are on
their way and do not. This year's assessments are spread over the states (drafts half
answered, submitted ones half evaluated); past years' are final. The approved evidence
of a question's linked steps is attached, as the demo does through the services. No
answer history is written (``RiwayatJawaban``): the pages that read it show one
assessment at a time."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from actionplan.lke import scoring
from actionplan.lke.enums import (
    AksiPenilaian,
    JenisSurvei,
    Predikat,
    StatusPenilaian,
)
from actionplan.lke.models import (
    JawabanLke,
    MasterLke,
    PenilaianLke,
    PeristiwaPenilaian,
    PredikatUnit,
    SoalLke,
    SurveiIndeks,
    TautanSoal,
)
from actionplan.models import RencanaAksi
from evidence.enums import StatusBukti
from evidence.models import Bukti
from zi_tracker.devtools.lke_answers import CAPAIAN, IPAK, IPKP, Jawaban, Soal, jawab

BATCH = 2000
S = StatusPenilaian
# This year's states and their weights; the moves that lead to each.
STATES: tuple[str, ...] = (S.DRAFT, S.DIAJUKAN, S.DIEVALUASI, S.FINAL)
WEIGHTS = (35, 20, 30, 15)
PATH: dict[str, list[tuple[str, str, AksiPenilaian]]] = {
    S.DRAFT: [],
    S.DIAJUKAN: [(S.DRAFT, S.DIAJUKAN, AksiPenilaian.DIAJUKAN)],
    S.DIEVALUASI: [
        (S.DRAFT, S.DIAJUKAN, AksiPenilaian.DIAJUKAN),
        (S.DIAJUKAN, S.DIEVALUASI, AksiPenilaian.DIEVALUASI),
    ],
    S.FINAL: [
        (S.DRAFT, S.DIAJUKAN, AksiPenilaian.DIAJUKAN),
        (S.DIAJUKAN, S.DIEVALUASI, AksiPenilaian.DIEVALUASI),
        (S.DIEVALUASI, S.FINAL, AksiPenilaian.DIFINALKAN),
    ],
}
BUKTI_PER_SOAL = 2
HASIL = frozenset({IPAK, CAPAIAN, IPKP})


def unggul(nomor: int) -> bool:
    """The generated units far enough along to meet WBK: every 7th from the first."""
    return nomor % 7 == 1


def _nomor(slug: str) -> int:
    return int(slug.rsplit("-", 1)[-1])


def generate_lke(*, plans: list[RencanaAksi], seed: int) -> dict[str, int]:
    """Assessments for the units and years of ``plans`` (their units loaded), answered
    from each plan's linked steps and approved evidence. Its own RNG, so the evidence
    drawn before it stays what it was."""
    rng = random.Random(seed * 7919 + 13)
    this_year = timezone.localdate().year
    now = timezone.now()
    masters = {p.tahun: MasterLke.objects.for_year(p.tahun) for p in plans}
    if any(m is None for m in masters.values()):
        return {}
    soal_of: dict[int, list[Soal]] = {}
    info_of: dict[int, dict[int, scoring.SoalInfo]] = {}
    pk_of: dict[int, dict[int, int]] = {}
    for m in {m.pk: m for m in masters.values() if m}.values():
        soal_rows = list(SoalLke.objects.filter(master=m).in_order())
        soal_of[m.pk] = [Soal.of(s) for s in soal_rows]
        info_of[m.pk] = {s.soal_id: scoring.SoalInfo.of(s) for s in soal_rows}
        pk_of[m.pk] = {s.soal_id: s.pk for s in soal_rows}

    # Linked questions per plan, and the approved evidence of their steps.
    linked: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for plan_id, langkah_id, soal_id in TautanSoal.objects.filter(
        langkah__indikator__komponen__area__rencana__in=plans
    ).values_list("langkah__indikator__komponen__area__rencana_id", "langkah_id", "soal__soal_id"):
        linked[plan_id][soal_id].append(langkah_id)
    approved: dict[int, list[int]] = defaultdict(list)
    for bukti_id, langkah_id in (
        Bukti.objects.filter(
            slot__langkah_aksi__indikator__komponen__area__rencana__in=plans,
            status=StatusBukti.DISETUJUI,
        )
        .order_by("-slot__bulan", "-pk")
        .values_list("pk", "slot__langkah_aksi_id")
    ):
        approved[langkah_id].append(bukti_id)

    normal: dict[tuple[int, int, str], str] = {}

    def canonical(master_id: int, soal_id: int, text: str) -> str:
        key = (master_id, soal_id, text)
        if key not in normal:
            normal[key] = scoring.normalise(info_of[master_id][soal_id], text) if text else ""
        return normal[key]

    surveys: list[SurveiIndeks] = []
    assessments: list[PenilaianLke] = []
    drawn: list[tuple[RencanaAksi, str, dict[int, Jawaban], dict[int, list[int]], int]] = []
    for plan in sorted(plans, key=lambda p: (p.satuan_kerja_id, p.tahun)):
        master = masters[plan.tahun]
        assert master is not None  # checked above
        nomor = _nomor(plan.satuan_kerja.slug)
        strong = unggul(nomor)
        mutu = rng.uniform(0.85, 0.95) if strong else rng.uniform(0.1, 0.5)
        indeks = (
            (Decimal(f"{rng.uniform(3.64, 3.85):.2f}"), Decimal(f"{rng.uniform(3.5, 3.8):.2f}"))
            if strong
            else None
        )
        bukti_of = {
            sid: [b for langkah in steps for b in approved.get(langkah, [])][:BUKTI_PER_SOAL]
            for sid, steps in linked[plan.pk].items()
        }
        answers = jawab(
            soal_of[master.pk],
            rng=rng,
            mutu=mutu,
            berbukti={sid for sid, ids in bukti_of.items() if ids},
            bertautan=set(linked[plan.pk]),
            indeks=indeks,
        )
        # The strong units have submitted already.
        status: str = (
            rng.choices(STATES, weights=(0, *WEIGHTS[1:]) if strong else WEIGHTS)[0]
            if plan.tahun == this_year
            else S.FINAL
            if rng.random() < 0.9
            else S.DIEVALUASI
        )
        ipak, ipkp = answers[IPAK].unit, answers[IPKP].unit
        for jenis, nilai in ((JenisSurvei.IPAK, ipak), (JenisSurvei.IPKP, ipkp)):
            surveys.append(
                SurveiIndeks(
                    satuan_kerja_id=plan.satuan_kerja_id,
                    tahun=plan.tahun,
                    jenis=jenis,
                    triwulan=2 if plan.tahun == this_year else 4,
                    nilai=Decimal(nilai),
                    responden=rng.randint(60, 220),
                    sumber="Survei eksternal (data uji)",
                )
            )
        drawn.append((plan, status, answers, bukti_of, master.pk))
    surveys = SurveiIndeks.objects.bulk_create(surveys, batch_size=BATCH)
    for n, (plan, status, _answers, _bukti, master_id) in enumerate(drawn):
        assessments.append(
            PenilaianLke(
                satuan_kerja_id=plan.satuan_kerja_id,
                tahun=plan.tahun,
                master_id=master_id,
                status=status,
                survei_ipak=surveys[2 * n],
                survei_ipkp=surveys[2 * n + 1],
                revisi=1,
            )
        )
    assessments = PenilaianLke.objects.bulk_create(assessments, batch_size=BATCH)

    rows: list[JawabanLke] = []
    bukti_rows: list[tuple[int, list[int]]] = []  # (index in rows, bukti ids)
    events: list[PeristiwaPenilaian] = []
    for penilaian, (_plan, status, answers, bukti_of, master_id) in zip(
        assessments, drawn, strict=True
    ):
        # A draft is half to nearly all answered; a submitted one half evaluated.
        unit_share = rng.uniform(0.4, 0.95) if status == S.DRAFT else 1.0
        tpi_share = (
            0.0 if status == S.DRAFT else rng.uniform(0.2, 0.7) if status == S.DIAJUKAN else 1.0
        )
        for sid, j in answers.items():
            # The surveys and the performance are recorded first, even in a draft.
            unit = j.unit if sid in HASIL or rng.random() < unit_share else ""
            tpi = j.tpi if rng.random() < tpi_share else ""
            if not unit and not tpi:
                continue
            if unit and bukti_of.get(sid):
                bukti_rows.append((len(rows), bukti_of[sid]))
            rows.append(
                JawabanLke(
                    penilaian=penilaian,
                    soal_id=pk_of[master_id][sid],
                    jawaban_unit=canonical(master_id, sid, unit),
                    jawaban_tpi=canonical(master_id, sid, tpi),
                    catatan_tpi="Bukti dukung belum memenuhi kriteria."
                    if j.diturunkan and tpi
                    else "",
                    diubah_pada=now,
                )
            )
        events.append(
            PeristiwaPenilaian(
                penilaian=penilaian, aksi=AksiPenilaian.DIBUAT, status_baru=S.DRAFT, waktu=now
            )
        )
        events += [
            PeristiwaPenilaian(
                penilaian=penilaian, aksi=aksi, status_lama=lama, status_baru=baru, waktu=now
            )
            for lama, baru, aksi in PATH[status]
        ]
    rows = JawabanLke.objects.bulk_create(rows, batch_size=BATCH)
    Through = JawabanLke.bukti.through
    links = Through.objects.bulk_create(
        (
            Through(jawabanlke_id=rows[i].pk, bukti_id=bukti_id)
            for i, ids in bukti_rows
            for bukti_id in ids
        ),
        batch_size=BATCH,
    )
    PeristiwaPenilaian.objects.bulk_create(events, batch_size=BATCH)
    # Some of the strong units already hold WBK (from last year): WBBM candidates.
    holders = PredikatUnit.objects.bulk_create(
        PredikatUnit(
            satuan_kerja_id=unit_id,
            predikat=Predikat.WBK,
            sejak=timezone.localdate().replace(year=this_year - 1, month=12, day=10),
        )
        for unit_id, slug in sorted({(p.satuan_kerja_id, p.satuan_kerja.slug) for p in plans})
        if _nomor(slug) % 21 == 1
    )
    return {
        "penilaian_lke": len(assessments),
        "jawaban_lke": len(rows),
        "bukti_lke": len(links),
        "predikat_wbk": len(holders),
    }
