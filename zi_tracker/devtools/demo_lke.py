"""The demo unit's LKE: the 2024 plan's links to the LKE questions carried to the
current year's plan, and an assessment of that year answered by the unit (with the
approved evidence of the linked steps attached), submitted by the admin and evaluated by
the TPI, everything through ``lke.services`` so the history and the audit trail read as
real use. Development installations only; once made it is left alone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from actionplan.enums import Peran
from actionplan.lke import services
from actionplan.lke.enums import AksiPenilaian, JenisSurvei, Pihak, StatusPenilaian
from actionplan.lke.models import (
    JawabanLke,
    MasterLke,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
    SoalLke,
    SurveiIndeks,
    TautanSoal,
)
from actionplan.models import CatatanAudit, LangkahAksi, PeranPengguna, RencanaAksi
from evidence.enums import StatusBukti
from evidence.models import Bukti
from zi_tracker.devtools.demo import DEMO_UNIT
from zi_tracker.devtools.lke_answers import Jawaban, jawab, soal_master

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SEED = 2024
MUTU = 0.4  # the demo unit: well on its way, not yet there everywhere
KETAT = 1.4  # its TPI reads the evidence closely
# Left blank by the unit: no step of the plan and no document yet.
KOSONG = frozenset({64, 76, 101})
# The quarterly surveys (quarter, IPAK, IPKP, respondents): those begun by the day of
# the demo are recorded, and the latest is used.
SURVEI = [
    (1, "3.58", "3.41", 118),
    (2, "3.66", "3.52", 146),
    (3, "3.63", "3.49", 131),
    (4, "3.71", "3.56", 152),
]
BUKTI_PER_SOAL = 4


def _key(langkah: LangkahAksi) -> tuple[int, int, int, int]:
    indikator = langkah.indikator
    return (
        indikator.komponen.area.nomor,
        indikator.komponen.nomor,
        indikator.urutan,
        langkah.urutan,
    )


def _steps(plan: RencanaAksi) -> dict[tuple[int, int, int, int], LangkahAksi]:
    rows = LangkahAksi.objects.of_plan(plan).select_related("indikator__komponen__area__rencana")
    return {_key(s): s for s in rows}


def demo_lke_links_copy(*, source: RencanaAksi, target: RencanaAksi, by: User | None) -> int:
    """Link the target plan's steps to the questions the source plan's steps at the same
    place serve (through ``tautan_soal_simpan``, audited). Does nothing when the target
    has links already. Returns the number of links made."""
    if (
        source.pk == target.pk
        or TautanSoal.objects.filter(langkah__indikator__komponen__area__rencana=target).exists()
    ):
        return 0
    links: dict[tuple[int, int, int, int], dict[int, list[int]]] = {}
    rows = TautanSoal.objects.filter(
        langkah__indikator__komponen__area__rencana=source
    ).values_list(
        "langkah__indikator__komponen__area__nomor",
        "langkah__indikator__komponen__nomor",
        "langkah__indikator__urutan",
        "langkah__urutan",
        "soal__master_id",
        "soal__soal_id",
    )
    for area, komponen, indikator, urutan, master_id, soal_id in rows:
        tempat = (area, komponen, indikator, urutan)
        links.setdefault(tempat, {}).setdefault(master_id, []).append(soal_id)
    masters = {
        m.pk: m for m in MasterLke.objects.filter(pk__in={m for v in links.values() for m in v})
    }
    made = 0
    steps = _steps(target)
    for tempat, per_master in sorted(links.items()):
        langkah = steps.get(tempat)
        if langkah is None:
            continue
        for master_id, soal_ids in per_master.items():
            services.tautan_soal_simpan(
                langkah=langkah,
                soal_ids=soal_ids,
                master=masters[master_id],
                by=by,
            )
            made += len(soal_ids)
    return made


def demo_lke_links_missing() -> bool:
    """Whether the demo unit's 2024 plan has no step linked to an LKE question yet (the
    links fixture is loaded once, so links changed in the app are kept)."""
    return not TautanSoal.objects.filter(
        langkah__indikator__komponen__area__rencana__satuan_kerja__slug=DEMO_UNIT,
        langkah__indikator__komponen__area__rencana__tahun=2024,
    ).exists()


def _users(unit_id: int) -> tuple[User, User]:
    roles = dict(
        PeranPengguna.objects.filter(
            satuan_kerja_id=unit_id, peran__in=[Peran.ADMIN, Peran.REVIEWER]
        ).values_list("peran", "user_id")
    )
    if Peran.ADMIN not in roles or Peran.REVIEWER not in roles:
        raise ImproperlyConfigured("Buat dulu akun demo: python manage.py create_demo_accounts")
    users = get_user_model().objects.in_bulk([roles[Peran.ADMIN], roles[Peran.REVIEWER]])
    return users[roles[Peran.ADMIN]], users[roles[Peran.REVIEWER]]


def _catatan_unit(j: Jawaban, langkah: list[LangkahAksi], rng: random.Random) -> str | None:
    if langkah and rng.random() < 0.35:
        first = langkah[0]
        area, komponen, indikator, _ = _key(first)
        romawi = ("I", "II", "III", "IV", "V", "VI")[area - 1]
        bukti = "; ".join(b.teks for b in first.bukti_fisik.all())
        return f"Langkah aksi {romawi}.{komponen}.{indikator}: {bukti}"
    if not langkah and j.unit and rng.random() < 0.15:
        return "Dokumen pendukung disimpan di Subbagian terkait; belum ada langkah aksi tahun ini."
    return None


def _catatan_tpi(j: Jawaban, berbukti: bool) -> str | None:
    if j.tpi == j.unit:
        return None
    if not j.diturunkan:
        return f"Bukti dukung menunjukkan kriteria jawaban {j.tpi} sudah terpenuhi."

    if not j.unit:
        return "Unit tidak menjawab dan tidak melampirkan bukti; dinilai terendah."
    if j.unit.isdigit():
        return f"Dokumen pendukung hanya menunjukkan {j.tpi}, bukan {j.unit}."
    if not berbukti:
        return f"Belum ada bukti dukung yang disetujui; jawaban {j.unit} belum dapat diterima."
    return f"Bukti belum memenuhi seluruh kriteria jawaban {j.unit}; dinilai {j.tpi}."


def demo_lke_create(*, now: datetime.datetime | None = None) -> PenilaianLke | None:
    """The demo unit's assessment of the year of its current plan, answered, submitted and
    evaluated. None when it exists already (left as it is) or there is no plan."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "LKE demo hanya boleh dibuat dalam mode pengembangan (DJANGO_DEBUG=true)."
        )
    now = now or timezone.now()
    year = timezone.localtime(now).year
    plan = (
        RencanaAksi.objects.filter(satuan_kerja__slug=DEMO_UNIT, tahun__lte=year)
        .select_related("satuan_kerja")
        .order_by("-tahun")
        .first()
    )
    if plan is None:
        return None
    unit = plan.satuan_kerja
    if PenilaianLke.objects.filter(satuan_kerja=unit, tahun=plan.tahun).exists():
        return None
    admin, tpi = _users(unit.pk)
    source = RencanaAksi.objects.filter(satuan_kerja=unit, tahun=2024).first()
    start = now - datetime.timedelta(days=21)
    rng = random.Random(SEED)
    audit_sebelum = CatatanAudit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        if source is not None:
            demo_lke_links_copy(source=source, target=plan, by=admin)
        penilaian = services.penilaian_get_or_create(satuan_kerja=unit, tahun=plan.tahun, by=admin)
        soal = soal_master(penilaian.master_id)
        by_id = {s.pk: s for s in SoalLke.objects.filter(master_id=penilaian.master_id)}
        linked: dict[int, list[LangkahAksi]] = {}
        for link in (
            TautanSoal.objects.filter(
                langkah__indikator__komponen__area__rencana=plan,
                soal__master_id=penilaian.master_id,
            )
            .select_related("langkah__indikator__komponen__area", "soal")
            .prefetch_related("langkah__bukti_fisik")
            .order_by(
                "langkah__indikator__komponen__area__nomor",
                "langkah__indikator__komponen__nomor",
                "langkah__indikator__urutan",
            )
        ):
            linked.setdefault(link.soal.soal_id, []).append(link.langkah)
        approved: dict[int, list[int]] = {}
        for bukti_id, langkah_id in (
            Bukti.objects.of_plan(plan)
            .filter(status=StatusBukti.DISETUJUI)
            .order_by("-slot__bulan", "-pk")
            .values_list("pk", "slot__langkah_aksi_id")
        ):
            approved.setdefault(langkah_id, []).append(bukti_id)
        bukti_of = {
            sid: [b for s in steps for b in approved.get(s.pk, [])][:BUKTI_PER_SOAL]
            for sid, steps in linked.items()
        }
        month = timezone.localtime(now).month if plan.tahun == year else 12
        surveys = [row for row in SURVEI if 3 * (row[0] - 1) < month]
        latest = surveys[-1]
        answers = jawab(
            soal,
            rng=rng,
            mutu=MUTU,
            berbukti={sid for sid, ids in bukti_of.items() if ids},
            bertautan=set(linked),
            kosong=KOSONG,
            indeks=(Decimal(latest[1]), Decimal(latest[2])),
            ketat=KETAT,
        )
        soal_by_sid = {s.soal_id: s for s in by_id.values()}

        # The surveys, recorded by the admin and the latest quarter's chosen.
        chosen: list[SurveiIndeks] = []
        for triwulan, ipak, ipkp, responden in surveys:
            for jenis, nilai in ((JenisSurvei.IPAK, ipak), (JenisSurvei.IPKP, ipkp)):
                survei = services.survei_catat(
                    satuan_kerja=unit,
                    tahun=plan.tahun,
                    jenis=jenis,
                    triwulan=triwulan,
                    nilai=Decimal(nilai),
                    responden=responden,
                    sumber=f"Survei {jenis} triwulan {triwulan} oleh Inspektorat KPU (data demo)",
                    by=admin,
                )
                if triwulan == latest[0]:
                    chosen.append(survei)
        for survei in chosen:
            services.survei_pakai(penilaian=penilaian, survei=survei, by=admin)
        # Set up three weeks ago, so the history and the audit trail read in order (the
        # answers below carry their own dates).
        dicatat = start + datetime.timedelta(hours=1)
        PenilaianLke.objects.filter(pk=penilaian.pk).update(dibuat_pada=start)
        PeristiwaPenilaian.objects.filter(penilaian=penilaian, aksi=AksiPenilaian.DIBUAT).update(
            waktu=start
        )
        PeristiwaPenilaian.objects.filter(penilaian=penilaian).exclude(
            aksi=AksiPenilaian.DIBUAT
        ).update(waktu=dicatat)
        SurveiIndeks.objects.filter(pk__in=[s.pk for s in chosen]).update(dicatat_pada=start)
        SurveiIndeks.objects.filter(satuan_kerja=unit, tahun=plan.tahun).exclude(
            pk__in=[s.pk for s in chosen]
        ).update(dicatat_pada=start - datetime.timedelta(days=60))
        RiwayatJawaban.objects.filter(jawaban__penilaian=penilaian).update(waktu=dicatat)
        JawabanLke.objects.filter(penilaian=penilaian).update(diubah_pada=dicatat)
        CatatanAudit.objects.filter(pk__gt=audit_sebelum).update(waktu=dicatat)

        # The unit's answers over two weeks, by the admin.
        skip = {125, 127}
        order = [s for s in soal if s.soal_id not in skip]
        for n, s in enumerate(order):
            j = answers[s.soal_id]
            if not j.unit:
                continue
            pada = start + datetime.timedelta(days=1 + 13 * n // len(order), hours=n % 7)
            steps = linked.get(s.soal_id, [])
            services.jawaban_simpan(
                penilaian=penilaian,
                soal=soal_by_sid[s.soal_id],
                pihak=Pihak.UNIT,
                isian=services.Isian(
                    jawaban=j.unit,
                    catatan=_catatan_unit(j, steps, rng),
                    bukti=bukti_of.get(s.soal_id) or None,
                ),
                by=admin,
                pada=pada,
            )
        penilaian = PenilaianLke.objects.with_unit().get(pk=penilaian.pk)
        penilaian = services.penilaian_pindah(
            penilaian=penilaian,
            ke=StatusPenilaian.DIAJUKAN,
            by=admin,
            pada=start + datetime.timedelta(days=15),
        )
        # The TPI's evaluation over the next days.
        for n, s in enumerate(soal):
            j = answers[s.soal_id]
            pada = start + datetime.timedelta(days=16 + 4 * n // len(soal), hours=n % 7)
            services.jawaban_simpan(
                penilaian=penilaian,
                soal=soal_by_sid[s.soal_id],
                pihak=Pihak.TPI,
                isian=services.Isian(
                    jawaban=j.tpi, catatan=_catatan_tpi(j, bool(bukti_of.get(s.soal_id)))
                ),
                by=tpi,
                pada=pada,
            )
        penilaian = services.penilaian_pindah(
            penilaian=penilaian,
            ke=StatusPenilaian.DIEVALUASI,
            by=tpi,
            catatan="Evaluasi TPI selesai; lengkapi bukti soal yang diturunkan.",
            pada=start + datetime.timedelta(days=20),
        )
    return penilaian
