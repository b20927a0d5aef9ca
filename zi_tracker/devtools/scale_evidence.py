"""Evidence for generated plans (see zi_tracker.devtools.scale): most due slots get evidence with
versions and review events, each version one small real PDF file in the evidence store."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import random
import uuid

from django.db import connection
from django.utils import timezone

from actionplan.enums import Peran
from actionplan.models import PeranPengguna, RencanaAksi, Slot, TimKerja
from evidence.enums import JenisBerkas, JenisPeristiwa, StatusBukti
from evidence.models import BerkasBukti, Bukti, PeristiwaBukti
from evidence.services import slot_states_refresh
from evidence.storage import PREFIX as EVIDENCE_PREFIX
from evidence.storage import evidence_storage
from zi_tracker.devtools.demo_evidence import minimal_pdf

BATCH = 2000


def _write(content: bytes) -> tuple[str, int, str]:
    relative = f"{EVIDENCE_PREFIX}{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"
    evidence_storage().save_generated(relative, content)
    return relative, len(content), hashlib.sha256(content).hexdigest()


def generate_evidence(*, plans: list[RencanaAksi], rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    today = timezone.localdate()
    units = {p.satuan_kerja_id for p in plans}
    reviewer = dict(
        PeranPengguna.objects.filter(satuan_kerja_id__in=units, peran=Peran.REVIEWER).values_list(
            "satuan_kerja_id", "user_id"
        )
    )
    member = dict(
        TimKerja.anggota.through.objects.filter(timkerja__satuan_kerja_id__in=units).values_list(
            "timkerja_id", "user_id"
        )
    )
    plan_of = {p.pk: p for p in plans}
    slots = (
        # "rencana_id" is an annotation of with_plan_id(), which the stubs cannot follow.
        Slot.objects.of_plans(plans)  # type: ignore[misc]
        .with_plan_id()
        .values_list("pk", "bulan", "langkah_aksi__tim_id", "rencana_id")
    )
    content = minimal_pdf(["CONTOH DATA UJI SKALA NASIONAL - BUKAN DOKUMEN ASLI"])
    versions: list[Bukti] = []
    for slot_id, bulan, tim_id, plan_id in slots:
        plan = plan_of[plan_id]
        if plan.tahun == today.year and bulan > today.month:
            continue
        if rng.random() < 0.12:
            continue  # nothing sent for this slot
        day = rng.randint(1, calendar.monthrange(plan.tahun, bulan)[1])
        uploaded = timezone.make_aware(datetime.datetime(plan.tahun, bulan, day, 10, 0))
        if rng.random() < 0.1:
            uploaded += datetime.timedelta(days=rng.randint(5, 20))
        fate = rng.choices(["ok", "fixed", "returned", "waiting"], weights=(75, 10, 5, 10))[0]
        chain = {
            "ok": [StatusBukti.DISETUJUI],
            "fixed": [StatusBukti.DIKEMBALIKAN, StatusBukti.DISETUJUI],
            "returned": [StatusBukti.DIKEMBALIKAN],
            "waiting": [StatusBukti.DIAJUKAN],
        }[fate]
        for versi, status in enumerate(chain, start=1):
            reviewed = uploaded + datetime.timedelta(days=rng.randint(1, 5))
            if uploaded > now:
                break
            if reviewed > now:
                status = StatusBukti.DIAJUKAN
            reviewed_now = status != StatusBukti.DIAJUKAN
            returned = status == StatusBukti.DIKEMBALIKAN
            bukti = Bukti(
                slot_id=slot_id,
                versi=versi,
                status=status,
                diunggah_oleh_id=member[tim_id],
                diunggah_pada=uploaded,
                terlambat=timezone.localtime(uploaded).month != bulan,
                diperiksa_oleh_id=reviewer[plan.satuan_kerja_id] if reviewed_now else None,
                diperiksa_pada=reviewed if reviewed_now else None,
                catatan_review="Lengkapi daftar hadir." if returned else "",
            )
            versions.append(bukti)
            uploaded = reviewed + datetime.timedelta(days=2)
    created = Bukti.objects.bulk_create(versions, batch_size=BATCH)
    files, events = [], []
    for bukti in created:
        lokasi, size, sha = _write(content)
        files.append(
            BerkasBukti(
                bukti=bukti,
                nama_asli="bukti-uji.pdf",
                lokasi=lokasi,
                jenis=JenisBerkas.PDF,
                ukuran=size,
                sha256=sha,
            )
        )
        events.append(
            PeristiwaBukti(
                bukti=bukti,
                jenis=JenisPeristiwa.DIAJUKAN
                if bukti.versi == 1
                else JenisPeristiwa.DIAJUKAN_ULANG,
                oleh_id=bukti.diunggah_oleh_id,
                pada=bukti.diunggah_pada,
            )
        )
        if bukti.status != StatusBukti.DIAJUKAN:
            # Every reviewed version was built with its reviewer and time above.
            assert bukti.diperiksa_oleh_id is not None and bukti.diperiksa_pada is not None
            events.append(
                PeristiwaBukti(
                    bukti=bukti,
                    jenis=JenisPeristiwa.DISETUJUI
                    if bukti.status == StatusBukti.DISETUJUI
                    else JenisPeristiwa.DIKEMBALIKAN,
                    oleh_id=bukti.diperiksa_oleh_id,
                    pada=bukti.diperiksa_pada,
                    catatan=bukti.catatan_review,
                )
            )
    BerkasBukti.objects.bulk_create(files, batch_size=BATCH)
    PeristiwaBukti.objects.bulk_create(events, batch_size=BATCH)
    # Written around the services: each slot's current state is set here, in one UPDATE
    # (the generated plans' slots are the only ones without one). PostgreSQL first learns
    # the new tables' sizes: planned on the empty tables' statistics, the UPDATE's two
    # subqueries ran for over 9 minutes at 514 units instead of seconds.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actionplan_slot, evidence_bukti, evidence_peristiwabukti")
    slot_states_refresh(Slot.objects.filter(keadaan_pada__isnull=True))
    return {"bukti": len(created), "berkas": len(files), "riwayat": len(events)}
