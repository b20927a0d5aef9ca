"""Sample evidence for the demo plans, so a first look at the dashboard shows a year in
progress, and the demo unit's plan for the current year. Every generated file says DEMO
on it. Development installations only."""

from __future__ import annotations

import calendar
import datetime
import io
import random

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from actionplan.enums import nama_bulan
from actionplan.models import RencanaAksi, Slot, TimKerja
from actionplan.services import rencana_salin_ke_tahun
from evidence.enums import StatusBukti
from evidence.models import Bukti
from evidence.services import bukti_review, bukti_submit
from zi_tracker.devtools.demo import DEMO_UNIT

# Outcome weights per part of the year: approved, returned then approved, returned and
# waiting for a fix, waiting for review, nothing sent.
OUTCOMES = ("approved", "fixed", "returned", "waiting", "missing")
WEIGHTS = {
    range(1, 9): (70, 8, 6, 6, 10),
    range(9, 11): (45, 8, 10, 17, 20),
    range(11, 13): (15, 5, 10, 25, 45),
}


# What the reviewer decides on each version of an outcome (None: still waiting).
DECISIONS: dict[str, list[StatusBukti | None]] = {
    "approved": [StatusBukti.DISETUJUI],
    "fixed": [StatusBukti.DIKEMBALIKAN, StatusBukti.DISETUJUI],
    "returned": [StatusBukti.DIKEMBALIKAN],
    "waiting": [None],
}


def minimal_pdf(lines: list[str], padding: int = 0) -> bytes:
    """A valid one-page PDF showing ``lines`` in Helvetica; with ``padding``, a comment of
    that many bytes after the header line (the cross-reference offsets count it)."""
    shown = " 0 -22 Td ".join(
        "(" + line.replace("\\", "").replace("(", "[").replace(")", "]") + ") Tj" for line in lines
    )
    content = f"BT /F1 14 Tf 60 780 Td {shown} ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream".encode("latin-1", "replace"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    if padding:
        out.write(b"%" + b"x" * padding + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def padded_pdf(lines: list[str], size: int) -> bytes:
    """``minimal_pdf(lines)`` grown to ``size`` bytes by a comment after the header line
    (readers skip comments; the offsets stay right): large uploads for tests and the load
    test."""
    data = minimal_pdf(lines)
    if size <= len(data) + 2:
        return data
    padding = size - len(data) - 2
    padded = minimal_pdf(lines, padding)
    # The startxref number has more digits now; take them off the comment.
    return minimal_pdf(lines, padding - (len(padded) - size))


def demo_pdf(text: str) -> bytes:
    return minimal_pdf(["CONTOH DATA DEMO - BUKAN DOKUMEN ASLI", text[:90]])


def demo_photo(text: str) -> bytes:
    image = Image.new("RGB", (480, 320), (122, 31, 31))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 468, 308), outline=(201, 162, 39), width=4)
    draw.text((32, 40), "FOTO DEMO", fill=(255, 255, 255))
    draw.text((32, 80), text[:60], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _when(rng: random.Random, tahun: int, bulan: int, late: bool) -> datetime.datetime:
    if late:
        tahun, bulan = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
        day = rng.randint(1, 12)
    else:
        day = rng.randint(2, calendar.monthrange(tahun, bulan)[1] - 1)
    naive = datetime.datetime(tahun, bulan, day, rng.randint(8, 16), rng.randint(0, 59))
    return timezone.make_aware(naive)


def demo_evidence_create(
    *, rencana: RencanaAksi, seed: int = 2024, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Fill the plan's months that have ended (all of a past year's) with a realistic mix
    of evidence, through the evidence services with the dates it happened on, so the
    history, the audit trail and the late marks are those of real use. Returns counts per
    outcome. Refuses outside debug mode; does nothing when the plan already has evidence."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Bukti demo hanya boleh dibuat dalam mode pengembangan (DJANGO_DEBUG=true)."
        )
    if Bukti.objects.of_plan(rencana).exists():
        return {}
    members = {
        tim.pk: tim.anggota.order_by("pk").first()
        for tim in TimKerja.objects.filter(satuan_kerja=rencana.satuan_kerja).prefetch_related(
            "anggota"
        )
    }
    reviewer = rencana.satuan_kerja.peran.filter(peran="reviewer").select_related("user").first()
    if reviewer is None or not all(members.values()):
        raise ImproperlyConfigured("Buat dulu akun demo: python manage.py create_demo_accounts")
    reviewer_user = reviewer.user
    rng = random.Random(seed)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    last_month = 12 if rencana.tahun < today.year else today.month - 1
    counts = dict.fromkeys(OUTCOMES, 0)
    slots = (
        Slot.objects.of_plan(rencana)
        .filter(bulan__lte=last_month)
        .with_step()
        .order_by("bulan", "pk")
    )
    with transaction.atomic():
        for slot in slots:
            weights = next(w for months, w in WEIGHTS.items() if slot.bulan in months)
            outcome = rng.choices(OUTCOMES, weights=weights)[0]
            counts[outcome] += 1
            if outcome == "missing":
                continue
            uploader = members[slot.langkah_aksi.tim_id]
            assert uploader is not None  # every team has a member (checked above)
            komponen = slot.langkah_aksi.indikator.komponen
            label = (
                f"{komponen.area.romawi}.{komponen.nomor} {nama_bulan(slot.bulan)} {rencana.tahun}"
            )
            decisions = DECISIONS[outcome]
            uploaded = _when(rng, rencana.tahun, slot.bulan, late=rng.random() < 0.15)
            for versi, decision in enumerate(decisions, start=1):
                if uploaded > now:
                    break
                files = [SimpleUploadedFile(f"DEMO {label} v{versi}.pdf", demo_pdf(label))]
                if rng.random() < 0.4:
                    files.append(SimpleUploadedFile(f"DEMO foto {label}.jpg", demo_photo(label)))
                bukti = bukti_submit(
                    slot=slot,
                    files=files,
                    tautan="",
                    catatan="Data demo." if versi == 1 else "Perbaikan sesuai catatan reviewer.",
                    oleh=uploader,
                    pada=uploaded,
                )
                reviewed = uploaded + datetime.timedelta(days=rng.randint(1, 6), hours=2)
                if decision is None or reviewed > now:
                    break
                bukti_review(
                    bukti=bukti,
                    oleh=reviewer_user,
                    keputusan=decision,
                    catatan="Lengkapi daftar hadir dan foto kegiatan."
                    if decision == StatusBukti.DIKEMBALIKAN
                    else "",
                    pada=reviewed,
                )
                uploaded = reviewed + datetime.timedelta(days=rng.randint(2, 8))
    return counts


def demo_current_year_create(*, now: datetime.datetime | None = None) -> RencanaAksi | None:
    """The demo unit's plan for the current year, copied from its 2024 plan (the texts'
    year and the decree's date moved on), with evidence up to last month. None when it
    exists already (nothing is changed) or there is no 2024 plan to copy."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    source = RencanaAksi.objects.filter(satuan_kerja__slug=DEMO_UNIT, tahun=2024).first()
    exists = RencanaAksi.objects.filter(satuan_kerja__slug=DEMO_UNIT, tahun=year).exists()
    if source is None or exists or year == 2024:
        return None
    with transaction.atomic():
        plan = rencana_salin_ke_tahun(rencana=source, tahun=year)
        demo_evidence_create(rencana=plan, seed=year, now=now)
    return plan
