"""Sample evidence for the demo plan, so a first look at the dashboard shows a year in
progress. Every generated file says DEMO on it. Development installations only."""

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
from evidence.enums import JenisBerkas, JenisPeristiwa, StatusBukti
from evidence.files import CheckedFile, remove_stored, store
from evidence.models import BerkasBukti, Bukti, PeristiwaBukti

# Outcome weights per part of the year: approved, returned then approved, returned and
# waiting for a fix, waiting for review, nothing sent.
OUTCOMES = ("approved", "fixed", "returned", "waiting", "missing")
WEIGHTS = {
    range(1, 9): (70, 8, 6, 6, 10),
    range(9, 11): (45, 8, 10, 17, 20),
    range(11, 13): (15, 5, 10, 25, 45),
}


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing ``lines`` in Helvetica."""
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
    (readers skip comments): large uploads for tests and the load test."""
    data = minimal_pdf(lines)
    if size <= len(data):
        return data
    head, _, rest = data.partition(b"\n")
    return head + b"\n%" + b"x" * (size - len(data) - 2) + b"\n" + rest


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


def demo_evidence_create(*, rencana: RencanaAksi, seed: int = 2024) -> dict[str, int]:
    """Fill the plan's slots with a realistic mix of evidence; returns counts per
    outcome. Refuses outside debug mode and when the plan already has evidence."""
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
    now = timezone.now()
    counts = dict.fromkeys(OUTCOMES, 0)
    written: list[str] = []
    slots = Slot.objects.of_plan(rencana).with_step().order_by("pk")
    try:
        with transaction.atomic():
            for slot in slots:
                weights = next(w for months, w in WEIGHTS.items() if slot.bulan in months)
                outcome = rng.choices(OUTCOMES, weights=weights)[0]
                counts[outcome] += 1
                if outcome == "missing":
                    continue
                uploader = members[slot.langkah_aksi.tim_id]
                assert uploader is not None  # every team has a member (checked above)
                label = (
                    f"{slot.langkah_aksi.indikator.komponen.area.romawi}."
                    f"{slot.langkah_aksi.indikator.komponen.nomor} {nama_bulan(slot.bulan)} "
                    f"{rencana.tahun}"
                )
                uploaded = _when(rng, rencana.tahun, slot.bulan, late=rng.random() < 0.15)
                plan = {
                    "approved": [StatusBukti.DISETUJUI],
                    "fixed": [StatusBukti.DIKEMBALIKAN, StatusBukti.DISETUJUI],
                    "returned": [StatusBukti.DIKEMBALIKAN],
                    "waiting": [StatusBukti.DIAJUKAN],
                }[outcome]
                for versi, status in enumerate(plan, start=1):
                    if uploaded > now:
                        break
                    reviewed = uploaded + datetime.timedelta(days=rng.randint(1, 6), hours=2)
                    if status != StatusBukti.DIAJUKAN and reviewed > now:
                        status = StatusBukti.DIAJUKAN
                    bukti = Bukti.objects.create(
                        slot=slot,
                        versi=versi,
                        status=status,
                        catatan="Data demo.",
                        diunggah_oleh=uploader,
                        diunggah_pada=uploaded,
                        terlambat=timezone.localtime(uploaded).month != slot.bulan,
                        diperiksa_oleh=None if status == StatusBukti.DIAJUKAN else reviewer_user,
                        diperiksa_pada=None if status == StatusBukti.DIAJUKAN else reviewed,
                        catatan_review="Lengkapi daftar hadir dan foto kegiatan."
                        if status == StatusBukti.DIKEMBALIKAN
                        else "",
                    )
                    files = [(f"DEMO {label}.pdf", demo_pdf(label), JenisBerkas.PDF)]
                    if rng.random() < 0.4:
                        files.append(
                            (f"DEMO foto {label}.jpg", demo_photo(label), JenisBerkas.JPEG)
                        )
                    for nama, data, jenis in files:
                        checked = CheckedFile(SimpleUploadedFile(nama, data), nama, jenis)
                        lokasi, ukuran, sha256 = store(checked)
                        written.append(lokasi)
                        BerkasBukti.objects.create(
                            bukti=bukti,
                            nama_asli=nama,
                            lokasi=lokasi,
                            jenis=jenis,
                            ukuran=ukuran,
                            sha256=sha256,
                        )
                    PeristiwaBukti.objects.create(
                        bukti=bukti,
                        jenis=JenisPeristiwa.DIAJUKAN
                        if versi == 1
                        else JenisPeristiwa.DIAJUKAN_ULANG,
                        oleh=uploader,
                        pada=uploaded,
                    )
                    if status != StatusBukti.DIAJUKAN:
                        PeristiwaBukti.objects.create(
                            bukti=bukti,
                            jenis=JenisPeristiwa.DISETUJUI
                            if status == StatusBukti.DISETUJUI
                            else JenisPeristiwa.DIKEMBALIKAN,
                            oleh=reviewer_user,
                            pada=reviewed,
                            catatan=bukti.catatan_review,
                        )
                    uploaded = reviewed + datetime.timedelta(days=rng.randint(2, 8))
    except BaseException:
        remove_stored(written)
        raise
    return counts
