"""Writes of the LKE: answers (each change kept), the assessment's states, surveys,
who answers which area, links from steps to questions, thresholds, and the workbook's
all-or-nothing fill. Each write is one transaction with its audit row; the state
machine is

    draft ──ajukan (admin)──> diajukan ──selesai (TPI)──> dievaluasi ──finalkan (TPI)──> final
      ^                          │  ^                        │  ^                        │
      └──── buka kembali ────────┘  └──── buka kembali ──────┘  └───── buka kembali ─────┘

The unit's answers are open only in draft; the TPI's until the evaluation is done.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplan.audit import audit_record
from actionplan.enums import AksiAudit
from actionplan.lke import scoring
from actionplan.lke.enums import (
    TRANSISI,
    AksiPenilaian,
    JenisSurvei,
    Pihak,
    StatusPenilaian,
)
from actionplan.lke.models import (
    AmbangPredikat,
    JawabanLke,
    MasterLke,
    PemetaanArea,
    PenilaianLke,
    PeristiwaPenilaian,
    RiwayatJawaban,
    SoalLke,
    SurveiIndeks,
    TautanSoal,
)
from actionplan.models import LangkahAksi, SatuanKerja, TimKerja
from evidence.enums import StatusBukti
from evidence.links import check_link
from evidence.models import Bukti

S = StatusPenilaian
HASIL_SURVEI = {JenisSurvei.IPAK: "ipak", JenisSurvei.IPKP: "ipkp"}


class StatusBerubah(Exception):
    """Someone else moved the assessment in the meantime."""


def _raise_revisi(penilaian: PenilaianLke) -> None:
    PenilaianLke.objects.filter(pk=penilaian.pk).update(revisi=F("revisi") + 1)


def penilaian_get_or_create(
    *, satuan_kerja: SatuanKerja, tahun: int, by: User | None
) -> PenilaianLke:
    """The unit's assessment of the year, created on first use with the year's master
    (that year's, else the newest before, else the oldest after)."""
    found = PenilaianLke.objects.with_unit().filter(satuan_kerja=satuan_kerja, tahun=tahun).first()
    if found is not None:
        return found
    master = MasterLke.objects.for_year(tahun)
    if master is None:
        raise ValidationError(
            "Master soal LKE belum dimuat. Jalankan: python manage.py lke_load_master BERKAS.json"
        )
    with transaction.atomic():
        penilaian, created = PenilaianLke.objects.get_or_create(
            satuan_kerja=satuan_kerja, tahun=tahun, defaults={"master": master}
        )
        if created:
            PeristiwaPenilaian.objects.create(
                penilaian=penilaian,
                aktor=by,
                aksi=AksiPenilaian.DIBUAT,
                status_baru=penilaian.status,
            )
    return PenilaianLke.objects.with_unit().get(pk=penilaian.pk)


# --- answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Isian:
    """What one side writes on one question; None leaves a field as it is."""

    jawaban: object = None
    catatan: str | None = None
    tautan: str | None = None  # unit side only: outside links, one per line
    bukti: Sequence[int] | None = None  # unit side only: approved Bukti ids


_URL = URLValidator(schemes=["http", "https"])


_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:\S|www\.)")


def clean_tautan(teks: str) -> str:
    """Outside evidence, one item per line: a link (an http(s) URL; anything that looks
    like a link must be one) or a short description, as PortalRB's
    ``bukti_dukung_unit`` allows ("URL atau keterangan bukti dukung")."""
    lines = [line.strip() for line in teks.splitlines() if line.strip()]
    for line in lines:
        check_link(line)  # hidden control or bidi characters
        if not _SCHEME.match(line):
            if len(line) > 500:
                raise ValidationError("Keterangan bukti paling banyak 500 karakter per baris.")
            continue
        try:
            _URL(line)
        except ValidationError:
            raise ValidationError(f"Tautan '{line[:80]}' bukan alamat http(s) yang sah.") from None
    if len(lines) > 20:
        raise ValidationError("Paling banyak 20 tautan atau keterangan per soal.")
    return "\n".join(lines)


def _bukti_sah(penilaian: PenilaianLke, ids: Sequence[int]) -> list[Bukti]:
    ids = sorted(set(ids))
    found = list(
        Bukti.objects.of_units({penilaian.satuan_kerja_id}).filter(
            pk__in=ids, status=StatusBukti.DISETUJUI
        )
    )
    if len(found) != len(ids):
        raise ValidationError(
            "Bukti yang dipilih harus bukti yang sudah disetujui dari rencana aksi unit ini."
        )
    return found


def _lock_check(penilaian: PenilaianLke, pihak: str) -> None:
    if pihak == Pihak.UNIT and penilaian.status != S.DRAFT:
        raise ValidationError(
            f"Penilaian berstatus '{penilaian.get_status_display()}': jawaban unit terkunci. "
            "Buka kembali penilaian untuk mengubahnya."
        )
    if pihak == Pihak.TPI and penilaian.status in (S.DIEVALUASI, S.FINAL):
        raise ValidationError(
            f"Penilaian berstatus '{penilaian.get_status_display()}': jawaban TPI terkunci."
        )


def _lock(penilaian: PenilaianLke) -> PenilaianLke:
    return PenilaianLke.objects.select_for_update().get(pk=penilaian.pk)


def _apply(
    *,
    penilaian: PenilaianLke,
    soal: SoalLke,
    pihak: str,
    isian: Isian,
    by: User | None,
    jawaban: JawabanLke | None,
    bukti_lama: set[int] | None = None,
    pada: datetime.datetime,
) -> list[str]:
    """Write one side of one answer; return the names of the fields that changed.
    The caller holds the assessment's lock and has checked the state."""
    info = scoring.SoalInfo.of(soal)
    try:
        teks = scoring.normalise(info, isian.jawaban) if isian.jawaban is not None else None
    except scoring.JawabanTidakSah as e:
        raise ValidationError(f"Soal {soal.soal_id}: {e}") from None
    if jawaban is None:
        jawaban, _ = JawabanLke.objects.get_or_create(penilaian=penilaian, soal=soal)
        bukti_lama = set(jawaban.bukti.values_list("pk", flat=True))
    prefix = "unit" if pihak == Pihak.UNIT else "tpi"
    changes: list[tuple[str, str, str]] = []
    if teks is not None and teks != getattr(jawaban, f"jawaban_{prefix}"):
        changes.append(("jawaban", getattr(jawaban, f"jawaban_{prefix}"), teks))
        setattr(jawaban, f"jawaban_{prefix}", teks)
    if isian.catatan is not None:
        catatan = isian.catatan.strip()[:5000]
        if catatan != getattr(jawaban, f"catatan_{prefix}"):
            changes.append(("catatan", getattr(jawaban, f"catatan_{prefix}"), catatan))
            setattr(jawaban, f"catatan_{prefix}", catatan)
    if pihak == Pihak.UNIT and isian.tautan is not None:
        tautan = clean_tautan(isian.tautan)
        if tautan != jawaban.tautan:
            changes.append(("tautan", jawaban.tautan, tautan))
            jawaban.tautan = tautan
    if pihak == Pihak.UNIT and isian.bukti is not None:
        baru = {b.pk for b in _bukti_sah(penilaian, isian.bukti)}
        lama = (
            bukti_lama
            if bukti_lama is not None
            else set(jawaban.bukti.values_list("pk", flat=True))
        )
        if baru != lama:
            changes.append(("bukti", _ids(lama), _ids(baru)))
            jawaban.bukti.set(baru)
    if changes:
        jawaban.diubah_pada = pada
        jawaban.save()
        RiwayatJawaban.objects.bulk_create(
            RiwayatJawaban(
                jawaban=jawaban,
                waktu=pada,
                aktor=by,
                pihak=pihak,
                kolom=kolom,
                lama=lama_,
                baru=baru_,
            )
            for kolom, lama_, baru_ in changes
        )
    return [c[0] for c in changes]


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(f"bukti:{i}" for i in sorted(ids))


def jawaban_simpan(
    *,
    penilaian: PenilaianLke,
    soal: SoalLke,
    pihak: Pihak,
    isian: Isian,
    by: User | None,
    pada: datetime.datetime | None = None,
) -> list[str]:
    """Save one side of one question's answer; each changed field is kept in the
    history (who, when, old -> new). Returns the changed fields."""
    if soal.master_id != penilaian.master_id:
        raise ValidationError("Soal tidak termasuk master penilaian ini.")
    pada = pada or timezone.now()
    with transaction.atomic():
        current = _lock(penilaian)
        _lock_check(current, pihak)
        changed = _apply(
            penilaian=current, soal=soal, pihak=pihak, isian=isian, by=by, jawaban=None, pada=pada
        )
        if changed:
            _raise_revisi(current)
            audit_record(
                aksi=AksiAudit.LKE_JAWABAN,
                objek=current,
                ringkasan=f"LKE {current.tahun} soal {soal.soal_id} ({Pihak(pihak).label}): "
                f"{', '.join(changed)} diubah",
                aktor=by,
                satuan_kerja_id=current.satuan_kerja_id,
                waktu=pada,
            )
    return changed


@dataclass(frozen=True)
class BarisIsi:
    """One question's row of a workbook: every field of both sides (a blank clears).
    The unit's evidence cell is split by the caller into ZI Tracker's own evidence
    (``bukti_ids``) and outside links (``tautan``)."""

    soal_id: int
    jawaban_unit: str = ""
    catatan_unit: str = ""
    tautan: str = ""
    bukti_ids: tuple[int, ...] = ()
    jawaban_tpi: str = ""
    catatan_tpi: str = ""

    def kosong(self) -> bool:
        return not any(
            (
                self.jawaban_unit,
                self.catatan_unit,
                self.tautan,
                self.bukti_ids,
                self.jawaban_tpi,
                self.catatan_tpi,
            )
        )


def penilaian_isi(
    *,
    penilaian: PenilaianLke,
    baris: Mapping[int, BarisIsi],
    by: User | None,
    sumber: str,
    boleh_unit: bool = True,
    boleh_tpi: bool = True,
    abaikan_kunci: bool = False,
) -> dict[str, int]:
    """Fill the whole assessment from a workbook, all or nothing: the rows are the whole
    assessment (a question without a row, or a blank cell, clears that field). A side
    that would change must be open (and allowed to the caller), unless ``abaikan_kunci``
    (the server operator's ``lke_import``: the state stays, the event says so). Raises
    ``ValidationError`` with one message per bad row; returns counts of changed fields."""
    soal_by_id = {s.soal_id: s for s in SoalLke.objects.filter(master_id=penilaian.master_id)}
    unknown = sorted(set(baris) - set(soal_by_id))
    errors: list[str] = [f"Soal {sid} tidak ada di master {penilaian.tahun}." for sid in unknown]
    pada = timezone.now()
    with transaction.atomic():
        current = _lock(penilaian)
        existing = {
            j.soal_id: j
            for j in JawabanLke.objects.filter(penilaian=current).prefetch_related("bukti")
        }
        # What would change, per side, before anything is written.
        normal: dict[int, tuple[str, str]] = {}
        for sid, soal in soal_by_id.items():
            row = baris.get(sid) or BarisIsi(sid)
            info = scoring.SoalInfo.of(soal)
            try:
                unit = scoring.normalise(info, row.jawaban_unit)
            except scoring.JawabanTidakSah as e:
                errors.append(f"Soal {sid} (jawaban unit): {e}")
                unit = ""
            try:
                tpi = scoring.normalise(info, row.jawaban_tpi)
            except scoring.JawabanTidakSah as e:
                errors.append(f"Soal {sid} (jawaban TPI): {e}")
                tpi = ""
            normal[sid] = (unit, tpi)
        if errors:
            raise ValidationError(errors)
        unit_changes = tpi_changes = 0
        for sid in soal_by_id:
            row = baris.get(sid) or BarisIsi(sid)
            j = existing.get(sid)
            unit, tpi = normal[sid]
            old_unit = (
                (j.jawaban_unit, j.catatan_unit, j.tautan, {b.pk for b in j.bukti.all()})
                if j
                else ("", "", "", set())
            )
            old_tpi = (j.jawaban_tpi, j.catatan_tpi) if j else ("", "")
            try:
                tautan_baru = clean_tautan(row.tautan)
            except ValidationError as e:
                errors.append(f"Soal {sid} (bukti unit): {e.messages[0]}")
                continue
            if row.bukti_ids:
                try:
                    _bukti_sah(current, row.bukti_ids)
                except ValidationError as e:
                    errors.append(f"Soal {sid} (bukti unit): {e.messages[0]}")
            if (unit, row.catatan_unit.strip(), tautan_baru, set(row.bukti_ids)) != old_unit:
                unit_changes += 1
            if (tpi, row.catatan_tpi.strip()) != old_tpi:
                tpi_changes += 1
        if unit_changes and not boleh_unit:
            errors.append("Anda tidak berhak mengubah jawaban unit; kolom K-M harus sama.")
        if tpi_changes and not boleh_tpi:
            errors.append("Anda tidak berhak mengubah jawaban TPI; kolom N dan Q harus sama.")
        if unit_changes and current.status != S.DRAFT and not abaikan_kunci:
            errors.append(
                f"Penilaian berstatus '{current.get_status_display()}': jawaban unit terkunci."
            )
        if tpi_changes and current.status in (S.DIEVALUASI, S.FINAL) and not abaikan_kunci:
            errors.append(
                f"Penilaian berstatus '{current.get_status_display()}': jawaban TPI terkunci."
            )
        if errors:
            raise ValidationError(errors)
        changed = {"unit": 0, "tpi": 0}
        for sid, soal in soal_by_id.items():
            row = baris.get(sid) or BarisIsi(sid)
            j = existing.get(sid)
            if j is None and row.kosong():
                continue
            if j is None:
                j = JawabanLke.objects.create(penilaian=current, soal=soal)
                lama: set[int] = set()
            else:
                lama = {b.pk for b in j.bukti.all()}
            unit, tpi = normal[sid]
            if unit_changes:
                changed["unit"] += bool(
                    _apply(
                        penilaian=current,
                        soal=soal,
                        pihak=Pihak.UNIT,
                        by=by,
                        jawaban=j,
                        bukti_lama=lama,
                        pada=pada,
                        isian=Isian(
                            jawaban=unit,
                            catatan=row.catatan_unit,
                            tautan=row.tautan,
                            bukti=row.bukti_ids,
                        ),
                    )
                )
            if tpi_changes:
                changed["tpi"] += bool(
                    _apply(
                        penilaian=current,
                        soal=soal,
                        pihak=Pihak.TPI,
                        by=by,
                        jawaban=j,
                        pada=pada,
                        isian=Isian(jawaban=tpi, catatan=row.catatan_tpi),
                    )
                )
        if changed["unit"] or changed["tpi"]:
            _raise_revisi(current)
        PeristiwaPenilaian.objects.create(
            penilaian=current,
            waktu=pada,
            aktor=by,
            aksi=AksiPenilaian.DIIMPOR,
            status_lama=current.status,
            status_baru=current.status,
            catatan=f"{sumber}: {changed['unit']} jawaban unit, {changed['tpi']} jawaban TPI"
            + (
                f" (operator, status '{current.get_status_display()}' tidak diubah)"
                if abaikan_kunci and current.status != S.DRAFT
                else ""
            ),
        )
        audit_record(
            aksi=AksiAudit.LKE_IMPOR,
            objek=current,
            ringkasan=f"LKE {current.tahun} diimpor dari {sumber}: {changed['unit']} soal "
            f"(unit) dan {changed['tpi']} soal (TPI) berubah",
            aktor=by,
            satuan_kerja_id=current.satuan_kerja_id,
            waktu=pada,
        )
    return changed


# --- states ------------------------------------------------------------------------------


def penilaian_pindah(
    *,
    penilaian: PenilaianLke,
    ke: StatusPenilaian,
    by: User | None,
    catatan: str = "",
    pada: datetime.datetime | None = None,
) -> PenilaianLke:
    """Move the assessment one step (access decided by the caller through
    ``lke.access``); a reopening needs a note. Conditional on the state read, so two
    people pressing at once move it once."""
    pada = pada or timezone.now()
    key = (penilaian.status, str(ke))
    if key not in TRANSISI:
        raise ValidationError(
            f"Penilaian berstatus '{penilaian.get_status_display()}' tidak dapat "
            f"dipindah ke '{StatusPenilaian(ke).label}'."
        )
    aksi, _ = TRANSISI[key]
    if aksi == AksiPenilaian.DIBUKA_KEMBALI and not catatan.strip():
        raise ValidationError("Tuliskan alasan membuka kembali penilaian.")
    if key == (S.DRAFT, S.DIAJUKAN):
        answered = JawabanLke.objects.filter(penilaian=penilaian).exclude(jawaban_unit="").count()
        if answered == 0:
            raise ValidationError(
                "Belum ada soal yang dijawab unit; penilaian belum dapat diajukan."
            )
    with transaction.atomic():
        moved = PenilaianLke.objects.filter(pk=penilaian.pk, status=penilaian.status).update(
            status=ke, revisi=F("revisi") + 1
        )
        if not moved:
            raise StatusBerubah("Status penilaian baru saja diubah orang lain. Muat ulang halaman.")
        PeristiwaPenilaian.objects.create(
            penilaian=penilaian,
            waktu=pada,
            aktor=by,
            aksi=aksi,
            status_lama=key[0],
            status_baru=key[1],
            catatan=catatan.strip()[:2000],
        )
        audit_record(
            aksi=AksiAudit.LKE_STATUS,
            objek=penilaian,
            ringkasan=f"LKE {penilaian.tahun}: {aksi.label} "
            f"({StatusPenilaian(key[0]).label} -> {StatusPenilaian(key[1]).label})"
            + (f". Alasan: {catatan.strip()}" if catatan.strip() else ""),
            aktor=by,
            satuan_kerja_id=penilaian.satuan_kerja_id,
            waktu=pada,
        )
    penilaian.status = ke
    return penilaian


# --- surveys, areas, deadlines ------------------------------------------------------------


def survei_catat(
    *,
    satuan_kerja: SatuanKerja,
    tahun: int,
    jenis: JenisSurvei,
    triwulan: int,
    nilai: Decimal,
    responden: int,
    sumber: str,
    by: User | None,
) -> SurveiIndeks:
    """Record (or correct) a quarter's survey result."""
    survei = SurveiIndeks(
        satuan_kerja=satuan_kerja,
        tahun=tahun,
        jenis=jenis,
        triwulan=triwulan,
        nilai=nilai,
        responden=responden,
        sumber=sumber.strip(),
        dicatat_oleh=by,
    )
    existing = SurveiIndeks.objects.filter(
        satuan_kerja=satuan_kerja, tahun=tahun, jenis=jenis, triwulan=triwulan
    ).first()
    if existing is not None:
        survei.pk = existing.pk
    survei.full_clean(validate_unique=False)
    with transaction.atomic():
        survei.save()
        audit_record(
            aksi=AksiAudit.LKE_SURVEI,
            objek=survei,
            ringkasan=f"{jenis} {tahun} triwulan {triwulan}: {nilai} ({responden} responden, "
            f"{sumber.strip()[:100]})",
            aktor=by,
            satuan_kerja_id=satuan_kerja.pk,
        )
    return survei


def survei_pakai(*, penilaian: PenilaianLke, survei: SurveiIndeks, by: User | None) -> PenilaianLke:
    """Use this survey's value as the unit's answer to its Hasil question (IPAK ->
    soal 125, IPKP -> soal 127): chosen explicitly, kept on the assessment."""
    if survei.satuan_kerja_id != penilaian.satuan_kerja_id:
        raise ValidationError("Survei bukan milik satuan kerja ini.")
    struktur = scoring.Struktur.of(penilaian.master)
    soal_id = struktur.hasil[HASIL_SURVEI[JenisSurvei(survei.jenis)]]
    soal = SoalLke.objects.get(master_id=penilaian.master_id, soal_id=soal_id)
    with transaction.atomic():
        field = "survei_ipak" if survei.jenis == JenisSurvei.IPAK else "survei_ipkp"
        jawaban_simpan(
            penilaian=penilaian,
            soal=soal,
            pihak=Pihak.UNIT,
            by=by,
            isian=Isian(
                jawaban=str(survei.nilai),
                catatan=(
                    f"{survei.get_jenis_display()} triwulan {survei.triwulan} {survei.tahun}: "
                    f"{survei.responden} responden, sumber: {survei.sumber}"
                ),
            ),
        )
        PenilaianLke.objects.filter(pk=penilaian.pk).update(**{field: survei})
        PeristiwaPenilaian.objects.create(
            penilaian=penilaian,
            aktor=by,
            aksi=AksiPenilaian.SURVEI_DIPILIH,
            status_lama=penilaian.status,
            status_baru=penilaian.status,
            catatan=str(survei),
        )
    setattr(penilaian, field, survei)
    return penilaian


def pemetaan_simpan(
    *, penilaian: PenilaianLke, area: int, tim_ids: Iterable[int], by: User | None
) -> None:
    """Set the teams that answer an LKE area (empty: back to the plan's default)."""
    if not 1 <= area <= 6:
        raise ValidationError("Area harus 1 sampai 6.")
    ids = sorted(set(tim_ids))
    teams = list(TimKerja.objects.filter(pk__in=ids, satuan_kerja_id=penilaian.satuan_kerja_id))
    if len(teams) != len(ids):
        raise ValidationError("Tim harus tim dari satuan kerja ini.")
    with transaction.atomic():
        PemetaanArea.objects.filter(penilaian=penilaian, area=area).delete()
        PemetaanArea.objects.bulk_create(
            PemetaanArea(penilaian=penilaian, area=area, tim=t) for t in teams
        )
        _raise_revisi(penilaian)
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=penilaian,
            ringkasan=f"LKE {penilaian.tahun} area {area} dijawab oleh: "
            + (", ".join(t.nama for t in teams) or "tim pemilik langkah di area itu (bawaan)"),
            aktor=by,
            satuan_kerja_id=penilaian.satuan_kerja_id,
        )


def batas_waktu_simpan(
    *,
    penilaian: PenilaianLke,
    batas_mandiri: datetime.date | None,
    batas_evaluasi: datetime.date | None,
    by: User | None,
) -> None:
    if batas_mandiri and batas_evaluasi and batas_evaluasi < batas_mandiri:
        raise ValidationError("Batas evaluasi TPI tidak boleh sebelum batas penilaian mandiri.")
    with transaction.atomic():
        PenilaianLke.objects.filter(pk=penilaian.pk).update(
            batas_mandiri=batas_mandiri, batas_evaluasi=batas_evaluasi
        )
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=penilaian,
            ringkasan=f"LKE {penilaian.tahun}: batas penilaian mandiri {batas_mandiri or '-'}, "
            f"batas evaluasi TPI {batas_evaluasi or '-'}",
            aktor=by,
            satuan_kerja_id=penilaian.satuan_kerja_id,
        )
    penilaian.batas_mandiri, penilaian.batas_evaluasi = batas_mandiri, batas_evaluasi


def tautan_soal_simpan(
    *, langkah: LangkahAksi, soal_ids: Iterable[int], master: MasterLke, by: User | None
) -> None:
    """Set the questions a step serves (of one master)."""
    ids = sorted(set(soal_ids))
    soals = list(SoalLke.objects.filter(master=master, soal_id__in=ids))
    if len(soals) != len(ids):
        raise ValidationError(f"Soal tidak dikenal di master {master.tahun}.")
    with transaction.atomic():
        TautanSoal.objects.filter(langkah=langkah, soal__master=master).delete()
        TautanSoal.objects.bulk_create(TautanSoal(langkah=langkah, soal=s) for s in soals)
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=langkah,
            ringkasan=f"Langkah aksi '{langkah.teks[:80]}' melayani soal LKE: "
            + (", ".join(str(i) for i in ids) or "-"),
            aktor=by,
            satuan_kerja_id=langkah.rencana.satuan_kerja_id,
        )


def ambang_simpan(*, tahun: int, nilai: Mapping[tuple[str, str], Decimal], by: User | None) -> None:
    """Set a year's thresholds ((predicate, criterion) -> value), audited."""
    with transaction.atomic():
        for (predikat, kriteria), batas in nilai.items():
            row = AmbangPredikat(tahun=tahun, predikat=predikat, kriteria=kriteria, batas=batas)
            row.full_clean(validate_unique=False)
            AmbangPredikat.objects.update_or_create(
                tahun=tahun, predikat=predikat, kriteria=kriteria, defaults={"batas": batas}
            )
        audit_record(
            aksi=AksiAudit.LKE_PENGATURAN,
            objek=AmbangPredikat.objects.filter(tahun=tahun).first() or MasterLke(),
            ringkasan=f"Ambang predikat {tahun}: "
            + "; ".join(f"{p} {k} >= {v}" for (p, k), v in sorted(nilai.items())),
            aktor=by,
            satuan_kerja_id=None,
        )
