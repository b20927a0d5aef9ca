"""Reads of evidence that the pages repeat, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from actionplan.enums import KeadaanSlot
from actionplan.models import LangkahAksi, Slot, TimKerja
from evidence.enums import COUNTING, StatusBukti
from evidence.models import Bukti, PeristiwaBukti, PesanSlot


def _bukti_detail() -> QuerySet[Bukti]:
    return (
        Bukti.objects.select_related("diunggah_oleh", "diperiksa_oleh")
        .prefetch_related(
            "berkas",
            Prefetch("peristiwa", queryset=PeristiwaBukti.objects.select_related("oleh")),
        )
        .order_by("-versi")
    )


def step_slots(langkah: LangkahAksi) -> list[Slot]:
    """The step's scheduled months in order, each with its ``revisi_bukti``: one query."""
    return list(Slot.objects.filter(langkah_aksi=langkah).order_by("bulan"))


def with_evidence(slots: list[Slot]) -> list[Slot]:
    """These slots, each with every version of its evidence (newest first), their files
    and history, and the month's thread of messages; ``slot.aktif`` is the version that
    counts (the newest one not withdrawn), or None. Four queries, none without slots."""
    prefetch_related_objects(
        slots,
        Prefetch("bukti", queryset=_bukti_detail(), to_attr="versi_list"),
        Prefetch("pesan", queryset=PesanSlot.objects.select_related("oleh")),
    )
    for slot in slots:
        # Both attributes exist only on these instances (a prefetch's to_attr and this).
        slot.aktif = next((b for b in slot.versi_list if b.status in COUNTING), None)  # type: ignore[attr-defined]
    return slots


def antrean_review(
    *,
    units: set[int] | None,
    tim: int | None = None,
    area: int | None = None,
    bulan: int | None = None,
) -> QuerySet[Bukti]:
    """Submissions waiting for review in the given units, oldest first."""
    qs = Bukti.objects.menunggu_review().of_units(units).with_plan().prefetch_related("berkas")
    if tim:
        qs = qs.filter(slot__langkah_aksi__tim_id=tim)
    if area:
        qs = qs.in_area(area)
    if bulan:
        qs = qs.filter(slot__bulan=bulan)
    return qs.order_by("diunggah_pada", "id")


def teams_of_units(units: set[int] | None) -> list[tuple[int, str]]:
    qs = (
        TimKerja.objects.all()
        if units is None
        else TimKerja.objects.filter(satuan_kerja_id__in=units)
    )
    return list(qs.values_list("id", "nama"))


def approved_months(langkah: LangkahAksi) -> set[int]:
    """The step's months whose evidence is approved: nothing more to upload there. Read
    from the slots' own state (kept with every change of their evidence, in its
    transaction) with the step's schedule, which stays prefetched on ``langkah`` for the
    upload form and the view: one query for all three."""
    prefetch_related_objects([langkah], "jadwal")
    return {slot.bulan for slot in langkah.jadwal.all() if slot.keadaan == KeadaanSlot.DISETUJUI}


def returned_version(langkah: LangkahAksi, bulan: int) -> Bukti | None:
    """The month's version that counts, when it came back for a fix (with its reviewer
    and files), else None."""
    current = (
        Bukti.objects.filter(slot__langkah_aksi=langkah, slot__bulan=bulan, status__in=COUNTING)
        .select_related("slot", "diperiksa_oleh")
        .prefetch_related("berkas")
        .order_by("-versi")
        .first()
    )
    return current if current and current.status == StatusBukti.DIKEMBALIKAN else None
