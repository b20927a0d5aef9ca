"""Writes of evidence: submit, review, withdraw. Each is one transaction that also writes
its history event and audit row; the state machine is

    diajukan ──review──> disetujui
        │   └──review──> dikembalikan ──(new version)──> diajukan …
        ├──withdraw────> ditarik
        └──(new version before review)──> digantikan
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from actionplan import revisions
from actionplan.audit import audit_record
from actionplan.enums import AksiAudit, KeadaanSlot, nama_bulan
from actionplan.models import Slot
from actionplan.sqltext import column, table
from evidence.enums import COUNTING, JenisPeristiwa, StatusBukti
from evidence.files import CheckedFile, check_upload, remove_stored, store
from evidence.links import check_link
from evidence.models import BerkasBukti, Bukti, PeristiwaBukti, PesanSlot
from evidence.signals import bukti_dikembalikan


def _not_in_the_future(pada: datetime.datetime | None) -> None:
    if pada is not None and pada > timezone.now():
        raise ValidationError("Waktu kejadian tidak boleh di masa depan.")


# The time of the last change of a slot that never had evidence: before any plan's year.
NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def slot_states_refresh(slots: QuerySet[Slot]) -> int:
    """Set each slot's ``keadaan`` and ``keadaan_pada`` from its versions, in one UPDATE:
    the approved version if there is one, else the newest version that counts (waiting
    or returned), else none; and the time of the newest event of its versions. The
    services call it for the slot they changed, in their transaction; writers that go
    around them (the data generator, a restore) call it for what they wrote."""
    newest = (
        Bukti.objects.filter(slot=OuterRef("pk"), status__in=COUNTING)
        .order_by(
            Case(When(status=StatusBukti.DISETUJUI, then=Value(0)), default=Value(1)), "-versi"
        )
        .values("status")[:1]
    )
    last_event = (
        PeristiwaBukti.objects.filter(bukti__slot=OuterRef("pk"))
        .order_by("-pada")
        .values("pada")[:1]
    )
    return slots.update(
        keadaan=Coalesce(Subquery(newest), Value(KeadaanSlot.KOSONG)),
        keadaan_pada=Coalesce(Subquery(last_event), Value(NEVER)),
    )


def slot_state_refresh(slot_id: int) -> None:
    """``slot_states_refresh`` for the one slot a service changed, written in SQL because
    every upload, review and withdrawal runs it: the ORM's UPDATE with its two
    subqueries cost 0.88 ms of CPU per call, nearly all of it compiling (PostgreSQL,
    national data set). Both must agree: tests/progress/test_slot_keadaan.py replays
    random histories through the services and recomputes them with the other."""
    sql, params = _state_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, slot_id])


@functools.cache
def _state_sql(vendor: str) -> tuple[str, tuple]:
    slot, bukti, peristiwa = table(Slot), table(Bukti), table(PeristiwaBukti)
    slot_pk, bukti_pk = column(Slot), column(Bukti)
    status, of_slot = column(Bukti, "status"), column(Bukti, "slot")
    newest = (
        f"SELECT b.{status} FROM {bukti} b WHERE b.{of_slot} = {slot}.{slot_pk} "
        f"AND b.{status} IN (%s, %s, %s) ORDER BY CASE WHEN b.{status} = %s THEN 0 ELSE 1 "
        f"END, b.{column(Bukti, 'versi')} DESC LIMIT 1"
    )
    last_event = (
        f"SELECT MAX(p.{column(PeristiwaBukti, 'pada')}) FROM {peristiwa} p JOIN {bukti} b "
        f"ON b.{bukti_pk} = p.{column(PeristiwaBukti, 'bukti')} "
        f"WHERE b.{of_slot} = {slot}.{slot_pk}"
    )
    sql = (
        f"UPDATE {slot} SET {column(Slot, 'keadaan')} = COALESCE(({newest}), %s), "
        f"{column(Slot, 'keadaan_pada')} = COALESCE(({last_event}), %s) WHERE {slot_pk} = %s"
    )
    never = connection.ops.adapt_datetimefield_value(NEVER)
    params = (*COUNTING, StatusBukti.DISETUJUI, KeadaanSlot.KOSONG, never)
    # The choices as plain strings: psycopg would send an enum member's name.
    return sql, tuple(str(p) if isinstance(p, str) else p for p in params)


class SudahDireview(Exception):
    """The submission was reviewed (or withdrawn) by someone else in the meantime."""


def slot_deadline(slot: Slot) -> datetime.date:
    """The last day of the slot's reporting month."""
    tahun = slot.rencana.tahun
    return datetime.date(tahun, slot.bulan, calendar.monthrange(tahun, slot.bulan)[1])


def is_late(slot: Slot, when: datetime.datetime) -> bool:
    """Late when uploaded after the reporting month ended, in Asia/Jakarta time."""
    return timezone.localtime(when).date() > slot_deadline(slot)


def _unit_id(slot: Slot) -> int:
    return slot.rencana.satuan_kerja_id


def _label(slot: Slot) -> str:
    langkah = slot.langkah_aksi
    komponen = langkah.indikator.komponen
    return f"{komponen.area.romawi}.{komponen.nomor} {nama_bulan(slot.bulan)}: {langkah.teks[:80]}"


def _lock_slot(pk: int, *, backdated: bool = False) -> None:
    """Lock the slot until the transaction ends: every change of a slot's evidence (new
    version, review, withdrawal, message) takes this lock first, so they happen one at a
    time. The plan's row is locked just before (its revision raised), the same order as a
    schedule change in the admin takes, so the two cannot deadlock; the slot's row is
    locked by raising its own revision. A month taken off the schedule meanwhile is said
    so, and nothing is written."""
    if revisions.raise_for_evidence(pk, backdated=backdated) == 0:
        raise ValidationError(
            "Bulan ini tidak lagi dijadwalkan untuk langkah aksi ini; muat ulang halamannya."
        )


def bukti_submit(
    *,
    slot: Slot,
    files: Sequence[UploadedFile],
    tautan: str,
    catatan: str,
    oleh: User,
    pada: datetime.datetime | None = None,
) -> Bukti:
    """A new version of the slot's evidence. Files are checked first; nothing is written
    unless everything is valid, and files written before a failure are removed again.
    ``pada``: when it was sent, if not now (history entered afterwards, e.g. the demo)."""
    _not_in_the_future(pada)
    tautan, catatan = tautan.strip(), catatan.strip()
    if not files and not tautan:
        raise ValidationError("Unggah minimal satu berkas atau isi tautan bukti.")
    check_link(tautan)
    if tautan and not tautan.lower().startswith(("http://", "https://")):
        raise ValidationError("Tautan bukti harus diawali http:// atau https://.")
    checked: list[CheckedFile] = []
    errors = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    # Files are copied to their random names before the transaction, so the database
    # (and, on SQLite, its single write lock) is held only for the row inserts. Any
    # failure afterwards removes them again.
    stored: list[tuple[CheckedFile, str, int, str]] = []
    try:
        for item in checked:
            stored.append((item, *store(item)))
        with transaction.atomic():
            _lock_slot(slot.pk, backdated=pada is not None)
            # The slot's versions (a handful) in one read, under the slot's lock: review
            # and withdrawal take the same lock, so none changes status meanwhile.
            versions = list(Bukti.objects.filter(slot=slot).values_list("pk", "versi", "status"))
            if any(status == StatusBukti.DISETUJUI for _, _, status in versions):
                raise ValidationError(
                    f"Bukti bulan {nama_bulan(slot.bulan)} untuk langkah aksi ini sudah disetujui; "
                    "tidak perlu diunggah lagi."
                )
            now = pada or timezone.now()
            versi = max((v for _, v, _ in versions), default=0) + 1
            # Only versions still waiting are replaced.
            waiting = [pk for pk, _, status in versions if status == StatusBukti.DIAJUKAN]
            Bukti.objects.filter(pk__in=waiting, status=StatusBukti.DIAJUKAN).update(
                status=StatusBukti.DIGANTIKAN
            )
            PeristiwaBukti.objects.bulk_create(
                PeristiwaBukti(
                    bukti_id=pk,
                    jenis=JenisPeristiwa.DIGANTIKAN,
                    oleh=oleh,
                    pada=now,
                    catatan=f"Digantikan versi {versi}.",
                )
                for pk in waiting
            )
            bukti = Bukti(
                slot=slot,
                versi=versi,
                tautan=tautan,
                catatan=catatan,
                diunggah_oleh=oleh,
                diunggah_pada=now,
                terlambat=is_late(slot, now),
            )
            # The fields checked; the table's constraints hold by construction (the version
            # counted under the slot's lock, the status set here, the link's scheme
            # checked above) and the database enforces them (IntegrityError below):
            # checking them here first cost four queries per upload. Nor are the slot
            # (locked above) and the uploader (the caller) looked up again to check that
            # they exist: two more queries.
            bukti.full_clean(
                exclude=["slot", "diunggah_oleh"], validate_unique=False, validate_constraints=False
            )
            bukti.save()
            BerkasBukti.objects.bulk_create(
                BerkasBukti(
                    bukti=bukti,
                    nama_asli=item.nama,
                    lokasi=lokasi,
                    jenis=item.jenis,
                    ukuran=ukuran,
                    sha256=sha256,
                )
                for item, lokasi, ukuran, sha256 in stored
            )
            PeristiwaBukti.objects.create(
                bukti=bukti,
                jenis=JenisPeristiwa.DIAJUKAN if versi == 1 else JenisPeristiwa.DIAJUKAN_ULANG,
                oleh=oleh,
                pada=now,
                catatan=catatan,
            )
            audit_record(
                aksi=AksiAudit.BUKTI_DIAJUKAN if versi == 1 else AksiAudit.BUKTI_VERSI_BARU,
                objek=bukti,
                ringkasan=f"Versi {versi}, {len(stored)} berkas"
                + (", dengan tautan" if tautan else "")
                + f" — {_label(slot)}",
                aktor=oleh,
                satuan_kerja_id=_unit_id(slot),
                waktu=pada,
            )
            slot_state_refresh(slot.pk)
    except IntegrityError:
        remove_stored([lokasi for _item, lokasi, _size, _hash in stored])
        raise ValidationError(
            "Bukti lain untuk bulan ini baru saja disimpan bersamaan; silakan coba lagi."
        ) from None
    except BaseException:
        remove_stored([lokasi for _item, lokasi, _size, _hash in stored])
        raise
    return bukti


def bukti_review(
    *,
    bukti: Bukti,
    oleh: User,
    keputusan: StatusBukti,
    catatan: str,
    pada: datetime.datetime | None = None,
) -> Bukti:
    """Approve or return a waiting submission. Only the first of two concurrent reviews
    wins; the second gets ``SudahDireview`` and changes nothing. ``pada``: when it was
    reviewed, if not now (never before the upload)."""
    _not_in_the_future(pada)
    if pada is not None and pada < bukti.diunggah_pada:
        raise ValidationError("Waktu review tidak boleh sebelum bukti diunggah.")
    catatan = catatan.strip()
    if keputusan not in (StatusBukti.DISETUJUI, StatusBukti.DIKEMBALIKAN):
        raise ValidationError("Keputusan review tidak dikenal.")
    if keputusan == StatusBukti.DIKEMBALIKAN and not catatan:
        raise ValidationError("Tuliskan catatan perbaikan saat mengembalikan bukti.")
    if bukti.diunggah_oleh_id == oleh.pk:
        raise ValidationError("Anda tidak dapat mereview bukti yang Anda unggah sendiri.")
    with transaction.atomic():
        _lock_slot(bukti.slot_id, backdated=pada is not None)
        now = pada or timezone.now()
        changed = Bukti.objects.filter(pk=bukti.pk, status=StatusBukti.DIAJUKAN).update(
            status=keputusan, diperiksa_oleh=oleh, diperiksa_pada=now, catatan_review=catatan
        )
        if changed == 0:
            raise SudahDireview(
                "Bukti ini sudah direview atau ditarik sebelumnya; halaman menampilkan "
                "statusnya sekarang."
            )
        PeristiwaBukti.objects.create(
            bukti=bukti,
            jenis=JenisPeristiwa.DISETUJUI
            if keputusan == StatusBukti.DISETUJUI
            else JenisPeristiwa.DIKEMBALIKAN,
            oleh=oleh,
            pada=now,
            catatan=catatan,
        )
        audit_record(
            aksi=AksiAudit.BUKTI_DISETUJUI
            if keputusan == StatusBukti.DISETUJUI
            else AksiAudit.BUKTI_DIKEMBALIKAN,
            objek=bukti,
            ringkasan=f"Versi {bukti.versi} — {_label(bukti.slot)}"
            + (f" — catatan: {catatan}" if catatan else ""),
            aktor=oleh,
            satuan_kerja_id=_unit_id(bukti.slot),
            waktu=pada,
        )
        slot_state_refresh(bukti.slot_id)
        # The row as the UPDATE above left it (no second read of it).
        bukti.status, bukti.diperiksa_oleh, bukti.diperiksa_pada = keputusan, oleh, now
        bukti.catatan_review = catatan
        if keputusan == StatusBukti.DIKEMBALIKAN:
            bukti_dikembalikan.send(
                sender=Bukti, bukti=bukti, oleh=oleh, catatan=catatan, susulan=pada is not None
            )
    return bukti


def bukti_withdraw(*, bukti: Bukti, oleh: User, catatan: str = "") -> Bukti:
    """Withdraw a submission that is still waiting for review. Its files stay stored."""
    with transaction.atomic():
        _lock_slot(bukti.slot_id)
        now = timezone.now()
        changed = Bukti.objects.filter(pk=bukti.pk, status=StatusBukti.DIAJUKAN).update(
            status=StatusBukti.DITARIK
        )
        if changed == 0:
            raise SudahDireview("Bukti ini sudah direview, jadi tidak dapat ditarik lagi.")
        PeristiwaBukti.objects.create(
            bukti=bukti, jenis=JenisPeristiwa.DITARIK, oleh=oleh, pada=now, catatan=catatan.strip()
        )
        audit_record(
            aksi=AksiAudit.BUKTI_DITARIK,
            objek=bukti,
            ringkasan=f"Versi {bukti.versi} — {_label(bukti.slot)}",
            aktor=oleh,
            satuan_kerja_id=_unit_id(bukti.slot),
        )
        slot_state_refresh(bukti.slot_id)
    bukti.refresh_from_db()
    return bukti


PESAN_MAKS = 2000


def pesan_kirim(*, slot: Slot, oleh: User, teks: str) -> PesanSlot:
    """A message in the month's thread, with its audit row."""
    teks = teks.strip()
    if not teks:
        raise ValidationError("Tulis pesannya dulu.")
    if len(teks) > PESAN_MAKS:
        raise ValidationError(f"Pesan paling banyak {PESAN_MAKS} karakter.")
    with transaction.atomic():
        # The step page, cached under the month's revision, shows the thread.
        _lock_slot(slot.pk)
        pesan = PesanSlot.objects.create(slot=slot, oleh=oleh, teks=teks)
        audit_record(
            aksi=AksiAudit.PESAN_DIKIRIM,
            objek=pesan,
            ringkasan=f"{_label(slot)} — {teks[:300]}",
            aktor=oleh,
            satuan_kerja_id=_unit_id(slot),
        )
    return pesan
