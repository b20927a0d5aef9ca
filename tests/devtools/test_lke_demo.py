"""The demo unit's LKE (answered with its evidence, submitted, evaluated by the TPI) and
the assessments of the scale generator's units."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from actionplan.lke import selectors
from actionplan.lke.enums import AksiPenilaian, Pihak, StatusPenilaian
from actionplan.lke.models import (
    JawabanLke,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
    SurveiIndeks,
    TautanSoal,
)
from actionplan.models import CatatanAudit, RencanaAksi, SatuanKerja
from actionplan.services import rencana_salin_ke_tahun
from evidence.enums import StatusBukti
from zi_tracker.devtools.demo_evidence import demo_evidence_create
from zi_tracker.devtools.demo_lke import demo_lke_create

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def _counts() -> tuple[int, ...]:
    return (
        PenilaianLke.objects.count(),
        JawabanLke.objects.count(),
        JawabanLke.bukti.through.objects.count(),
        RiwayatJawaban.objects.count(),
        PeristiwaPenilaian.objects.count(),
        SurveiIndeks.objects.count(),
        TautanSoal.objects.count(),
        CatatanAudit.objects.count(),
    )


@pytest.fixture
def demo_2026(banyumas, lke_master, settings):
    """The demo accounts and a 2026 plan copied from 2024 with January's evidence (a
    cheap stand-in for setup_demo's whole year, which the slow test below runs)."""
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    plan = rencana_salin_ke_tahun(rencana=banyumas, tahun=2026)
    demo_evidence_create(rencana=plan, seed=2026, now=datetime.datetime(2026, 2, 3, 9, tzinfo=WIB))
    return plan


# Through the services, one answer at a time, as a coordinator and a TPI would: some
# 250 audited writes, longer than the fast tier allows.
@pytest.mark.slow
def test_demo_lke_is_answered_with_evidence_submitted_and_evaluated(demo_2026):
    # The slow tier keeps the real clock; this test needs the demo's June.
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=WIB), tick=True):
        _check_demo_lke(demo_2026)


def _check_demo_lke(demo_2026: RencanaAksi) -> None:
    penilaian = demo_lke_create()
    assert penilaian is not None
    penilaian = PenilaianLke.objects.with_unit().get(pk=penilaian.pk)
    assert (penilaian.satuan_kerja.slug, penilaian.tahun) == ("kpu-banyumas", 2026)
    assert penilaian.status == StatusPenilaian.DIEVALUASI
    # The 2024 plan's links carried to the 2026 plan, step for step.
    assert (
        TautanSoal.objects.filter(langkah__indikator__komponen__area__rencana=demo_2026).count()
        == 84
    )

    jawaban = list(penilaian.jawaban.select_related("soal").prefetch_related("bukti"))
    unit = [j for j in jawaban if j.jawaban_unit]
    tpi = [j for j in jawaban if j.jawaban_tpi]
    assert 115 <= len(unit) < 127  # most answered, a few left blank
    assert len(tpi) == 127
    options = Counter(j.jawaban_unit for j in unit if j.soal.jenis in ("ABC", "ABCD", "ABCDE"))
    assert {"A", "B", "C"} <= set(options)
    assert options["A"] > options["C"]
    assert {j.soal.soal_id for j in unit} >= {88, 89, 102, 103, 105, 106, 110, 112, 113, 116}
    lowered = [j for j in jawaban if j.jawaban_tpi != j.jawaban_unit]
    assert 10 <= len(lowered) <= 60
    assert all(j.catatan_tpi for j in lowered)
    assert sum(bool(j.catatan_unit) for j in jawaban) >= 10

    # Evidence: approved versions of the steps linked to the question, in the 2026 plan.
    with_bukti = [j for j in jawaban if j.bukti.all()]
    assert with_bukti
    for j in with_bukti:
        for bukti in j.bukti.all():
            assert bukti.status == StatusBukti.DISETUJUI
            assert bukti.slot.langkah_aksi.rencana == demo_2026
            assert TautanSoal.objects.filter(langkah=bukti.slot.langkah_aksi, soal=j.soal).exists()

    # Surveys recorded per quarter begun (June: two), the latest chosen for 125 and 127.
    assert SurveiIndeks.objects.filter(satuan_kerja=penilaian.satuan_kerja).count() == 4
    assert (penilaian.survei_ipak.triwulan, penilaian.survei_ipkp.triwulan) == (2, 2)
    answers = selectors.jawaban_map(penilaian, Pihak.UNIT)
    assert float(answers[125]) == float(penilaian.survei_ipak.nilai)
    assert float(answers[127]) == float(penilaian.survei_ipkp.nilai)

    # Through the services: every change in the history and the audit trail, in order.
    events = list(
        penilaian.peristiwa.order_by("waktu", "pk").values_list("aksi", "aktor__username")
    )
    assert events == [
        (AksiPenilaian.DIBUAT, "admin"),
        (AksiPenilaian.SURVEI_DIPILIH, "admin"),
        (AksiPenilaian.SURVEI_DIPILIH, "admin"),
        (AksiPenilaian.DIAJUKAN, "admin"),
        (AksiPenilaian.DIEVALUASI, "tpi"),
    ]
    times = list(penilaian.peristiwa.order_by("waktu", "pk").values_list("waktu", flat=True))
    assert times == sorted(times) and times[-1] <= timezone.now()
    assert RiwayatJawaban.objects.filter(jawaban__penilaian=penilaian, pihak="tpi").exists()
    assert CatatanAudit.objects.filter(aksi="lke_jawaban").count() >= len(unit) + len(tpi)

    # Plausible numbers: the unit sees itself at WBK, the TPI a few points lower.
    unit_nilai = selectors.nilai(penilaian, Pihak.UNIT, cached=False)
    tpi_nilai = selectors.nilai(penilaian, Pihak.TPI, cached=False)
    assert 70 < float(unit_nilai.skor.total) < 86
    assert 62 < float(tpi_nilai.skor.total) < float(unit_nilai.skor.total)

    # Made once: a second run changes nothing.
    before = _counts()
    assert demo_lke_create() is None
    assert _counts() == before


@pytest.mark.slow
def test_setup_demo_gives_the_demo_unit_an_evaluated_lke_and_runs_twice(
    empty_db, settings, _media_root
):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    year = timezone.localdate().year
    assert f"LKE kpu-banyumas {year}" in out.getvalue()
    penilaian = PenilaianLke.objects.get(satuan_kerja__slug="kpu-banyumas")
    assert penilaian.tahun == year and penilaian.status == StatusPenilaian.DIEVALUASI
    assert penilaian.jawaban.exclude(jawaban_unit="").count() > 100
    assert penilaian.jawaban.exclude(jawaban_tpi="").count() == 127
    assert penilaian.jawaban.filter(bukti__isnull=False).exists()
    # The 2024 plan's links from the fixture; this year's copied from them.
    plans = RencanaAksi.objects.filter(satuan_kerja__slug="kpu-banyumas")
    for plan in plans:
        assert (
            TautanSoal.objects.filter(langkah__indikator__komponen__area__rencana=plan).count()
            == 84
        )
    before = _counts()
    again = StringIO()
    call_command("setup_demo", stdout=again)
    assert "LKE kpu-banyumas" not in again.getvalue()
    assert _counts() == before


def test_generate_demo_data_fills_assessments(settings, _media_root):
    settings.DEBUG = True
    out = StringIO()
    call_command("generate_demo_data", "--units", "8", "--no-evidence", stdout=out)
    assert "penilaian_lke" in out.getvalue()
    year = timezone.localdate().year
    kab = SatuanKerja.objects.filter(slug__startswith="gen-kab-")
    assessments = PenilaianLke.objects.with_unit().filter(satuan_kerja__in=kab, tahun=year)
    assert assessments.count() == 8
    assert len({p.status for p in assessments}) >= 2
    # Every generated plan's steps serve the questions the template's do.
    for plan in RencanaAksi.objects.filter(satuan_kerja__in=kab):
        assert (
            TautanSoal.objects.filter(langkah__indikator__komponen__area__rencana=plan).count() > 60
        )
    # Both sides answered where the state says so; an admin per unit to answer.
    for p in assessments:
        answered = p.jawaban.exclude(jawaban_unit="").count()
        evaluated = p.jawaban.exclude(jawaban_tpi="").count()
        assert answered > 40
        if p.status == StatusPenilaian.DRAFT:
            assert evaluated == 0
        if p.status in (StatusPenilaian.DIEVALUASI, StatusPenilaian.FINAL):
            assert evaluated > 100
        assert p.satuan_kerja.peran.filter(peran="admin").exists()
    # Verdicts differ: the strong units (every 7th: 001, 008) meet WBK, the rest not.
    wbk = {
        p.satuan_kerja.slug: selectors.nilai(p, Pihak.UNIT, cached=False).putusan["WBK"].memenuhi
        for p in assessments
    }
    assert wbk["gen-kab-001"] and wbk["gen-kab-008"]
    assert sum(wbk.values()) < len(wbk) / 2
