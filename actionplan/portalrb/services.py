"""Writes of the proposals: units proposed, the freeze and its reopening, the
evaluators' links, the agency's API tokens, a unit's predicate, and the fetch log.
Each write is audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplan.audit import audit_record
from actionplan.enums import AksiAudit
from actionplan.lke.enums import Predikat
from actionplan.lke.models import PredikatUnit
from actionplan.models import SatuanKerja
from actionplan.portalrb import selectors
from actionplan.portalrb.enums import Kategori, StatusUsulan
from actionplan.portalrb.models import Pengambilan, Snapshot, TokenApi, UnitDiusulkan, Usulan

TOKEN_PREFIX = "zirb_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _terbuka(usulan: Usulan) -> None:
    if usulan.final:
        raise ValidationError(
            "Usulan sudah final dan jawabannya dibekukan. Buka kembali usulan untuk mengubahnya."
        )


def usulan_get_or_create(*, instansi: SatuanKerja, tahun: int) -> Usulan:
    if instansi.induk_id is not None:
        raise ValidationError("Usulan dibuat oleh instansi (satuan kerja teratas).")
    if not 2000 <= tahun <= 2100:
        raise ValidationError("Tahun tidak sah.")
    usulan, _ = Usulan.objects.get_or_create(instansi=instansi, tahun=tahun)
    return usulan


def unit_usulkan(
    *,
    usulan: Usulan,
    satuan_kerja: SatuanKerja,
    kategori: Kategori,
    by: User | None,
) -> UnitDiusulkan:
    """Propose a unit of the agency (again: change its category)."""
    _terbuka(usulan)
    if kategori not in Kategori.values:
        raise ValidationError("Kategori harus WBK, WBK-AFIRMASI atau WBBM.")
    if not selectors.agency_units(usulan.instansi_id).filter(pk=satuan_kerja.pk).exists():
        raise ValidationError(f"{satuan_kerja.nama} bukan unit instansi ini.")
    if kategori == Kategori.WBBM:
        holds = PredikatUnit.objects.filter(
            satuan_kerja=satuan_kerja, predikat=Predikat.WBK
        ).first()
        if holds is None:
            raise ValidationError(
                f"{satuan_kerja.nama} belum tercatat berpredikat WBK; unit yang diusulkan "
                "WBBM harus sudah WBK."
            )
    with transaction.atomic():
        row, _ = UnitDiusulkan.objects.update_or_create(
            usulan=usulan,
            satuan_kerja=satuan_kerja,
            defaults={"kategori": kategori, "afirmasi": kategori == Kategori.WBK_AFIRMASI},
        )
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=row,
            ringkasan=f"{satuan_kerja.nama} diusulkan {kategori} untuk {usulan.tahun}",
            aktor=by,
            satuan_kerja_id=usulan.instansi_id,
        )
    return row


def unit_batalkan(*, usulan: Usulan, satuan_kerja_id: int, by: User | None) -> None:
    _terbuka(usulan)
    with transaction.atomic():
        row = UnitDiusulkan.objects.filter(usulan=usulan, satuan_kerja_id=satuan_kerja_id).first()
        if row is None:
            raise ValidationError("Unit ini tidak ada dalam usulan.")
        nama = row.satuan_kerja.nama
        row.delete()
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=usulan,
            ringkasan=f"{nama} dibatalkan dari usulan {usulan.tahun}",
            aktor=by,
            satuan_kerja_id=usulan.instansi_id,
        )


def usulan_finalkan(*, usulan: Usulan, by: User | None, base: str | None = None) -> Usulan:
    """Freeze: every proposed unit's answers are written as the exact bytes PortalRB
    will get until the proposal is reopened. Every unit needs a TPI-evaluated LKE.
    ``base``: the address the evidence links start with (else ZI_SITE_URL)."""
    _terbuka(usulan)
    with transaction.atomic():
        locked = Usulan.objects.select_for_update().get(pk=usulan.pk)
        _terbuka(locked)
        rows = list(UnitDiusulkan.objects.filter(usulan=locked).select_related("satuan_kerja"))
        if not rows:
            raise ValidationError("Belum ada unit yang diusulkan.")
        missing = []
        snapshots = []
        for row in rows:
            penilaian = selectors.penilaian_dievaluasi(row.satuan_kerja, locked.tahun)
            if penilaian is None:
                missing.append(row.satuan_kerja.nama)
                continue
            data = selectors.jawaban_unit(locked, row.satuan_kerja, penilaian, base=base)
            snapshots.append(
                Snapshot(usulan=locked, satuan_kerja=row.satuan_kerja, isi=selectors.as_bytes(data))
            )
        if missing:
            raise ValidationError(
                "LKE unit berikut belum dievaluasi TPI: " + ", ".join(sorted(missing)) + "."
            )
        Snapshot.objects.filter(usulan=locked).delete()
        Snapshot.objects.bulk_create(snapshots)
        locked.status = StatusUsulan.FINAL
        locked.dibekukan_pada = timezone.now()
        locked.save(update_fields=["status", "dibekukan_pada"])
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=locked,
            ringkasan=f"Usulan {locked.tahun} difinalkan: jawaban {len(rows)} unit dibekukan",
            aktor=by,
            satuan_kerja_id=locked.instansi_id,
        )
    usulan.status, usulan.dibekukan_pada = locked.status, locked.dibekukan_pada
    return usulan


def usulan_buka(*, usulan: Usulan, by: User | None, alasan: str) -> Usulan:
    """Reopen on purpose: PortalRB gets live answers again (audited, with a reason)."""
    if not alasan.strip():
        raise ValidationError("Tuliskan alasan membuka kembali usulan.")
    with transaction.atomic():
        moved = Usulan.objects.filter(pk=usulan.pk, status=StatusUsulan.FINAL).update(
            status=StatusUsulan.TERBUKA, dibekukan_pada=None
        )
        if not moved:
            raise ValidationError("Usulan tidak berstatus final.")
        Snapshot.objects.filter(usulan=usulan).delete()
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=usulan,
            ringkasan=f"Usulan {usulan.tahun} dibuka kembali. Alasan: {alasan.strip()}",
            aktor=by,
            satuan_kerja_id=usulan.instansi_id,
        )
    usulan.status = StatusUsulan.TERBUKA
    return usulan


def usulan_periode(*, usulan: Usulan, berakhir: datetime.date | None, by: User | None) -> None:
    """The end of the proposal period: the evaluators' links die after it."""
    with transaction.atomic():
        Usulan.objects.filter(pk=usulan.pk).update(berakhir=berakhir)
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=usulan,
            ringkasan=f"Akhir periode pengusulan {usulan.tahun}: {berakhir or '-'}",
            aktor=by,
            satuan_kerja_id=usulan.instansi_id,
        )
    usulan.berakhir = berakhir


def tautan_cabut(*, usulan: Usulan, by: User | None, base: str | None = None) -> None:
    """Revoke every evaluators' link given so far (a frozen proposal's snapshots are
    written again with new links)."""
    with transaction.atomic():
        Usulan.objects.filter(pk=usulan.pk).update(versi_tautan=F("versi_tautan") + 1)
        usulan.refresh_from_db()
        if usulan.final:
            for snap in Snapshot.objects.filter(usulan=usulan).select_related("satuan_kerja"):
                penilaian = selectors.penilaian_dievaluasi(snap.satuan_kerja, usulan.tahun)
                if penilaian is not None:
                    data = selectors.jawaban_unit(usulan, snap.satuan_kerja, penilaian, base=base)
                    snap.isi = selectors.as_bytes(data)
                    snap.save(update_fields=["isi"])
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=usulan,
            ringkasan=f"Semua tautan bukti usulan {usulan.tahun} dicabut",
            aktor=by,
            satuan_kerja_id=usulan.instansi_id,
        )


def token_buat(*, instansi: SatuanKerja, nama: str, by: User | None) -> tuple[TokenApi, str]:
    """A new token; the text is returned once and never stored."""
    if instansi.induk_id is not None:
        raise ValidationError("Token dibuat untuk instansi (satuan kerja teratas).")
    nama = nama.strip() or "PortalRB"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = TokenApi.objects.create(
            instansi=instansi,
            nama=nama[:100],
            awalan=raw[:12],
            hash=token_hash(raw),
            dibuat_oleh=by,
        )
        audit_record(
            aksi=AksiAudit.PORTALRB_TOKEN,
            objek=token,
            ringkasan=f"Token API PortalRB dibuat: {token.awalan}… ({token.nama})",
            aktor=by,
            satuan_kerja_id=instansi.pk,
        )
    return token, raw


def token_cabut(*, token: TokenApi, by: User | None) -> None:
    with transaction.atomic():
        TokenApi.objects.filter(pk=token.pk, dicabut_pada__isnull=True).update(
            dicabut_pada=timezone.now()
        )
        audit_record(
            aksi=AksiAudit.PORTALRB_TOKEN,
            objek=token,
            ringkasan=f"Token API PortalRB dicabut: {token.awalan}… ({token.nama})",
            aktor=by,
            satuan_kerja_id=token.instansi_id,
        )


def predikat_catat(
    *, satuan_kerja: SatuanKerja, predikat: Predikat, sejak: datetime.date, by: User | None
) -> PredikatUnit:
    if sejak > timezone.localdate():
        raise ValidationError("Tanggal predikat tidak boleh di masa depan.")
    with transaction.atomic():
        row, _ = PredikatUnit.objects.update_or_create(
            satuan_kerja=satuan_kerja, predikat=predikat, defaults={"sejak": sejak}
        )
        audit_record(
            aksi=AksiAudit.PORTALRB_USULAN,
            objek=row,
            ringkasan=f"{satuan_kerja.nama} berpredikat {predikat} sejak {sejak:%d-%m-%Y}",
            aktor=by,
            satuan_kerja_id=satuan_kerja.pk,
        )
    return row


def pengambilan_catat(
    *,
    token: TokenApi | None,
    instansi_id: int | None,
    satuan_kerja_id: int | None,
    jalur: str,
    status: int,
    kode: str,
    ip: str,
) -> None:
    """Log a fetch and put it in the agency's audit trail (who, which unit, status)."""
    with transaction.atomic():
        row = Pengambilan.objects.create(
            token=token,
            instansi_id=instansi_id,
            satuan_kerja_id=satuan_kerja_id,
            jalur=jalur[:300],
            status=status,
            kode=kode[:40],
            alamat_ip=ip[:45],
        )
        if token is not None:
            TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=row.waktu)
        audit_record(
            aksi=AksiAudit.PORTALRB_AMBIL,
            objek=row,
            ringkasan=f"PortalRB ({token.awalan + '…' if token else 'tanpa token'}) GET {jalur}: "
            f"{status}{' ' + kode if kode else ''}",
            aktor=None,
            satuan_kerja_id=instansi_id,
            waktu=row.waktu,
        )
