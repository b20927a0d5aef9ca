"""Writes of the unit set-up: the plan's rows, the decree, teams, accounts, the units
below. Each checks its rule, says what is wrong in Indonesian (``ValidationError``) and
changes nothing then; each change is in the audit trail."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, models, transaction
from django.db.models import Max, ProtectedError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actionplan import revisions
from actionplan.access import Akses, admin_units, can_give_role
from actionplan.audit import audit_record
from actionplan.enums import AksiAudit, Peran, nama_bulan
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)
from actionplan.notifications.models import Profil, telepon_valid
from actionplan.pengaturan.enums import JenisBaris, StatusImpor, SumberRencana
from actionplan.pengaturan.models import ImporAkun, Pegawai
from actionplan.services import RencanaSudahAda, langkah_aksi_set_bulan, rencana_salin

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A number no row keeps: the middle step of swapping two rows' numbers under their
# unique constraint.
_SEMENTARA = 32000


def _catat_rencana(rencana: RencanaAksi, aksi: AksiAudit, ringkasan: str, oleh: User) -> None:
    """A change of the plan in the audit trail; after the decree is signed it is marked
    as a change after signing."""
    if rencana.ditetapkan:
        ringkasan = f"Perubahan setelah penetapan ({AksiAudit(aksi).label.lower()}): {ringkasan}"
        aksi = AksiAudit.RENCANA_PASCA_PENETAPAN
    audit_record(
        aksi=aksi,
        objek=rencana,
        ringkasan=ringkasan,
        aktor=oleh,
        satuan_kerja_id=rencana.satuan_kerja_id,
    )


def _pesan(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the year's plan --------------------------------------------------------------------


def rencana_buat(
    *,
    satuan_kerja: SatuanKerja,
    tahun: int,
    sumber: str,
    oleh: User,
    berkas: bytes | None = None,
) -> RencanaAksi:
    """The unit's plan for ``tahun``: empty, a copy of its latest earlier plan, a copy
    of the plan of the unit above (its template: that year's, else its latest), or an
    empty plan filled from an Excel workbook's Data sheet (the documents' import; teams
    the sheet names and the unit lacks are created with it). All or nothing."""
    if not 2000 <= tahun <= 2100:
        raise ValidationError("Tahun harus antara 2000 dan 2100.")
    if RencanaAksi.objects.filter(satuan_kerja=satuan_kerja, tahun=tahun).exists():
        raise ValidationError(f"{satuan_kerja} sudah memiliki rencana aksi tahun {tahun}.")
    if sumber == SumberRencana.TAHUN_LALU:
        asal = (
            RencanaAksi.objects.filter(satuan_kerja=satuan_kerja, tahun__lt=tahun)
            .order_by("-tahun")
            .first()
        )
        if asal is None:
            raise ValidationError(f"{satuan_kerja} belum memiliki rencana aksi sebelum {tahun}.")
        return _salin(asal, satuan_kerja, tahun, oleh)
    if sumber == SumberRencana.INDUK:
        induk = satuan_kerja.induk
        asal = None
        if induk is not None:
            asal = (
                RencanaAksi.objects.filter(satuan_kerja=induk, tahun__lte=tahun)
                .order_by("-tahun")
                .first()
            )
        if asal is None:
            raise ValidationError("Satuan kerja di atas belum memiliki rencana aksi untuk disalin.")
        return _salin(asal, satuan_kerja, tahun, oleh)
    if sumber == SumberRencana.KOSONG:
        with transaction.atomic():
            return _rencana_kosong(satuan_kerja, tahun, oleh)
    if sumber == SumberRencana.EXCEL:
        if not berkas:
            raise ValidationError("Pilih berkas Excel (.xlsx) hasil ekspor ZI Tracker.")
        return _rencana_dari_excel(satuan_kerja, tahun, berkas, oleh)
    raise ValidationError("Pilih asal rencana aksi.")


def _salin(asal: RencanaAksi, satuan_kerja: SatuanKerja, tahun: int, oleh: User) -> RencanaAksi:
    try:
        return rencana_salin(rencana=asal, satuan_kerja=satuan_kerja, tahun=tahun, oleh=oleh)
    except RencanaSudahAda as exc:
        raise ValidationError(str(exc)) from None


def _rencana_kosong(satuan_kerja: SatuanKerja, tahun: int, oleh: User) -> RencanaAksi:
    nama = satuan_kerja.nama.upper()
    judul = f"RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS DI LINGKUNGAN {nama} TAHUN {tahun}"
    rencana = RencanaAksi(
        satuan_kerja=satuan_kerja,
        tahun=tahun,
        judul=judul,
        judul_tabel=judul,
        instansi_penetap=nama,
        # Filled in when the decree is signed (rencana_tetapkan).
        nomor_keputusan="…",
        tanggal_penetapan=datetime.date(tahun, 1, 2),
        tempat_penetapan="…",
        jabatan_penandatangan="…",
        nama_penandatangan="…",
    )
    rencana.full_clean()
    rencana.save()
    audit_record(
        aksi=AksiAudit.RENCANA_DITAMBAH,
        objek=rencana,
        ringkasan=f"Rencana aksi {tahun} dibuat kosong",
        aktor=oleh,
        satuan_kerja_id=satuan_kerja.pk,
    )
    return rencana


def _rencana_dari_excel(
    satuan_kerja: SatuanKerja, tahun: int, berkas: bytes, oleh: User
) -> RencanaAksi:
    # The documents' Data-sheet parser and import, not a second one.
    from actionplan.documents.xlsx import DataSheetXLSX, import_workbook

    try:
        dataset = DataSheetXLSX().create_dataset(berkas)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("Berkas tidak dapat dibaca sebagai Excel (.xlsx).") from None
    names = {str(v).strip() for v in (dataset["tim"] if "tim" in (dataset.headers or []) else [])}
    with transaction.atomic():
        rencana = _rencana_kosong(satuan_kerja, tahun, oleh)
        ada = set(TimKerja.objects.filter(satuan_kerja=satuan_kerja).values_list("nama", flat=True))
        for nama in sorted(n for n in names - ada if n and n != "None"):
            TimKerja.objects.create(satuan_kerja=satuan_kerja, nama=nama[:200])
        result = import_workbook(rencana, berkas)
        if result.has_errors() or result.has_validation_errors():
            messages = [str(e.error) for e in result.base_errors]
            for row in result.invalid_rows[:10]:
                messages += [m for ms in row.error_dict.values() for m in ms]
            for row in result.error_rows[:10]:
                messages += [str(e.error) for e in row.errors]
            transaction.set_rollback(True)
            raise ValidationError(["Impor dibatalkan; tidak ada yang disimpan.", *messages[:10]])
    return rencana


KEPUTUSAN_FIELDS = (
    "judul",
    "judul_tabel",
    "instansi_penetap",
    "nomor_keputusan",
    "tanggal_penetapan",
    "tempat_penetapan",
    "jabatan_penandatangan",
    "nama_penandatangan",
    "salinan_instansi",
    "salinan_jabatan",
    "salinan_nama",
    "salinan_jabatan_keputusan",
    "menimbang",
    "mengingat",
    "menetapkan",
    "diktum",
)


KEPUTUSAN_LABEL = {
    f.name: str(f.verbose_name)
    for f in RencanaAksi._meta.concrete_fields
    if f.name in KEPUTUSAN_FIELDS
}


@transaction.atomic
def keputusan_ubah(*, rencana: RencanaAksi, data: dict, oleh: User) -> list[str]:
    """The decree's fields; returns the names of those that changed."""
    rencana = RencanaAksi.objects.select_for_update().get(pk=rencana.pk)
    changed = [f for f in KEPUTUSAN_FIELDS if f in data and getattr(rencana, f) != data[f]]
    if not changed:
        return []
    for f in changed:
        setattr(rencana, f, data[f])
    rencana.full_clean()
    rencana.save(update_fields=changed)
    revisions.bump(pk=rencana.pk)
    labels = ", ".join(KEPUTUSAN_LABEL[f] for f in changed)
    _catat_rencana(rencana, AksiAudit.RENCANA_DIUBAH, f"Data keputusan diubah: {labels}", oleh)
    return changed


# --- rows of the plan -------------------------------------------------------------------

_MODEL = {
    JenisBaris.AREA: AreaPerubahan,
    JenisBaris.KOMPONEN: Komponen,
    JenisBaris.INDIKATOR: Indikator,
    JenisBaris.LANGKAH: LangkahAksi,
}
# The row's number field and its parent field (the siblings it is numbered among).
_NOMOR = {
    JenisBaris.AREA: ("nomor", "rencana"),
    JenisBaris.KOMPONEN: ("nomor", "area"),
    JenisBaris.INDIKATOR: ("urutan", "komponen"),
    JenisBaris.LANGKAH: ("urutan", "indikator"),
}
_KE_RENCANA = {
    JenisBaris.AREA: "rencana",
    JenisBaris.KOMPONEN: "area__rencana",
    JenisBaris.INDIKATOR: "komponen__area__rencana",
    JenisBaris.LANGKAH: "indikator__komponen__area__rencana",
}
_LABEL = {
    JenisBaris.AREA: "area",
    JenisBaris.KOMPONEN: "komponen",
    JenisBaris.INDIKATOR: "indikator",
    JenisBaris.LANGKAH: "langkah aksi",
}


def baris_get(*, rencana: RencanaAksi, jenis: str, pk: int) -> Any:
    """A row of this plan (``ValidationError`` when the plan has no such row): an
    AreaPerubahan, Komponen, Indikator or LangkahAksi as ``jenis`` says."""
    if jenis not in _MODEL:
        raise ValidationError("Jenis baris tidak dikenal.")
    row = (
        _MODEL[JenisBaris(jenis)]
        ._default_manager.filter(pk=pk, **{_KE_RENCANA[JenisBaris(jenis)]: rencana})
        .first()
    )
    if row is None:
        raise ValidationError(
            f"{_LABEL[JenisBaris(jenis)].capitalize()} tidak ada di rencana aksi ini."
        )
    return row


def _teks(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"Teks {label} wajib diisi.")
    return value


@transaction.atomic
def area_simpan(
    *,
    rencana: RencanaAksi,
    nomor: int,
    nama: str,
    nama_singkat: str = "",
    oleh: User,
    pk: int | None = None,
) -> AreaPerubahan:
    """Add area ``nomor`` (I-VI) or change an area's names."""
    nama = _teks(nama, "area perubahan")
    if pk is None:
        if not 1 <= nomor <= 6:
            raise ValidationError("Nomor area perubahan harus I sampai VI.")
        if rencana.area.filter(nomor=nomor).exists():
            raise ValidationError(f"Area {nomor} sudah ada di rencana aksi ini.")
        area = AreaPerubahan.objects.create(
            rencana=rencana, nomor=nomor, nama=nama, nama_singkat=nama_singkat.strip()[:100]
        )
        _catat_rencana(
            rencana,
            AksiAudit.RENCANA_DITAMBAH,
            f"Area {area.romawi} ditambahkan: {nama[:80]}",
            oleh,
        )
        return area
    area = baris_get(rencana=rencana, jenis=JenisBaris.AREA, pk=pk)
    assert isinstance(area, AreaPerubahan)
    area.nama, area.nama_singkat = nama, nama_singkat.strip()[:100]
    area.full_clean()
    area.save()
    _catat_rencana(
        rencana, AksiAudit.RENCANA_DIUBAH, f"Area {area.romawi} diubah: {nama[:80]}", oleh
    )
    return area


@transaction.atomic
def komponen_simpan(
    *, rencana: RencanaAksi, nama: str, oleh: User, area: int | None = None, pk: int | None = None
) -> Komponen:
    """Add a komponen at the end of an area, or rename one (a komponen may be unnamed)."""
    nama = (nama or "").strip()
    if pk is None:
        induk = baris_get(rencana=rencana, jenis=JenisBaris.AREA, pk=area or 0)
        nomor = (Komponen.objects.filter(area=induk).aggregate(m=Max("nomor"))["m"] or 0) + 1
        komponen = Komponen.objects.create(area=induk, nomor=nomor, nama=nama)
        _catat_rencana(
            rencana,
            AksiAudit.RENCANA_DITAMBAH,
            f"Komponen {induk.romawi}.{nomor} ditambahkan: {nama[:80]}",
            oleh,
        )
        return komponen
    komponen = baris_get(rencana=rencana, jenis=JenisBaris.KOMPONEN, pk=pk)
    assert isinstance(komponen, Komponen)
    komponen.nama = nama
    komponen.save()
    _catat_rencana(
        rencana, AksiAudit.RENCANA_DIUBAH, f"Komponen {komponen.nomor} diubah: {nama[:80]}", oleh
    )
    return komponen


@transaction.atomic
def indikator_simpan(
    *,
    rencana: RencanaAksi,
    teks: str,
    oleh: User,
    komponen: int | None = None,
    pk: int | None = None,
) -> Indikator:
    teks = _teks(teks, "indikator")
    if pk is None:
        induk = baris_get(rencana=rencana, jenis=JenisBaris.KOMPONEN, pk=komponen or 0)
        urutan = (Indikator.objects.filter(komponen=induk).aggregate(m=Max("urutan"))["m"] or 0) + 1
        indikator = Indikator.objects.create(komponen=induk, urutan=urutan, teks=teks)
        _catat_rencana(
            rencana, AksiAudit.RENCANA_DITAMBAH, f"Indikator ditambahkan: {teks[:80]}", oleh
        )
        return indikator
    indikator = baris_get(rencana=rencana, jenis=JenisBaris.INDIKATOR, pk=pk)
    assert isinstance(indikator, Indikator)
    indikator.teks = teks
    indikator.save()
    _catat_rencana(rencana, AksiAudit.RENCANA_DIUBAH, f"Indikator diubah: {teks[:80]}", oleh)
    return indikator


def _bukti_items(bukti: Iterable[str]) -> list[str]:
    return [" ".join(b.split()) for b in bukti if b and b.strip()]


@transaction.atomic
def langkah_simpan(
    *,
    rencana: RencanaAksi,
    teks: str,
    bukti: Sequence[str],
    bulan: Iterable[int],
    tim: TimKerja | None,
    oleh: User,
    indikator: int | None = None,
    pk: int | None = None,
) -> LangkahAksi:
    """Add a step at the end of an indikator, or change one: its text, bukti fisik
    items (one per line), months and team (a team of the plan's unit)."""
    teks = _teks(teks, "langkah aksi")
    items = _bukti_items(bukti)
    bulan = sorted(set(bulan))
    if tim is None:
        raise ValidationError("Pilih tim penanggung jawab.")
    if tim.satuan_kerja_id != rencana.satuan_kerja_id:
        raise ValidationError("Tim penanggung jawab harus dari satuan kerja pemilik rencana aksi.")
    if pk is None:
        induk = baris_get(rencana=rencana, jenis=JenisBaris.INDIKATOR, pk=indikator or 0)
        urutan = (
            LangkahAksi.objects.filter(indikator=induk).aggregate(m=Max("urutan"))["m"] or 0
        ) + 1
        langkah = LangkahAksi(indikator=induk, urutan=urutan, teks=teks, tim=tim)
        aksi, kata = AksiAudit.RENCANA_DITAMBAH, "ditambahkan"
    else:
        found = baris_get(rencana=rencana, jenis=JenisBaris.LANGKAH, pk=pk)
        assert isinstance(found, LangkahAksi)
        langkah = found
        langkah.teks, langkah.tim = teks, tim
        aksi, kata = AksiAudit.RENCANA_DIUBAH, "diubah"
    langkah.full_clean()
    langkah.save()
    if [b.teks for b in langkah.bukti_fisik.all()] != items:
        langkah.bukti_fisik.all().delete()
        BuktiFisik.objects.bulk_create(
            BuktiFisik(langkah_aksi=langkah, urutan=n, teks=t) for n, t in enumerate(items, start=1)
        )
    try:
        with transaction.atomic():
            langkah_aksi_set_bulan(langkah=langkah, bulan=bulan)
    except ProtectedError:
        raise ValidationError(
            "Bulan yang sudah memiliki bukti tidak dapat dihapus dari jadwal; tarik buktinya dulu."
        ) from None
    months = ", ".join(nama_bulan(b)[:3] for b in bulan) or "tanpa bulan"
    _catat_rencana(rencana, aksi, f"Langkah aksi {kata}: {teks[:80]} ({tim.nama}; {months})", oleh)
    return langkah


def _siblings(jenis: JenisBaris, row: models.Model) -> models.QuerySet:
    _, parent = _NOMOR[jenis]
    return _MODEL[jenis]._default_manager.filter(**{f"{parent}_id": getattr(row, f"{parent}_id")})


@transaction.atomic
def baris_pindah(*, rencana: RencanaAksi, jenis: str, pk: int, naik: bool, oleh: User) -> None:
    """Move a komponen, indikator or step one place up or down among its siblings (their
    numbers are swapped). Areas keep their number I-VI."""
    if jenis == JenisBaris.AREA:
        raise ValidationError("Area perubahan bernomor tetap (I-VI) dan tidak dapat dipindah.")
    row = baris_get(rencana=rencana, jenis=jenis, pk=pk)
    kind = JenisBaris(jenis)
    field, _ = _NOMOR[kind]
    nomor = getattr(row, field)
    siblings = _siblings(kind, row)
    other = (
        siblings.filter(**{f"{field}__lt": nomor}).order_by(f"-{field}")
        if naik
        else siblings.filter(**{f"{field}__gt": nomor}).order_by(field)
    ).first()
    if other is None:
        raise ValidationError(
            f"{_LABEL[kind].capitalize()} ini sudah di urutan {'pertama' if naik else 'terakhir'}."
        )
    lain = getattr(other, field)
    model = _MODEL[kind]._default_manager
    model.filter(pk=row.pk).update(**{field: _SEMENTARA})
    model.filter(pk=other.pk).update(**{field: nomor})
    model.filter(pk=row.pk).update(**{field: lain})
    revisions.bump(pk=rencana.pk)
    _catat_rencana(
        rencana,
        AksiAudit.RENCANA_DIUBAH,
        f"{_LABEL[kind].capitalize()} dipindah {'naik' if naik else 'turun'}: {str(row)[:80]}",
        oleh,
    )


@transaction.atomic
def baris_hapus(*, rencana: RencanaAksi, jenis: str, pk: int, oleh: User) -> None:
    """Remove a row; refused while rows hang under it or evidence on a step. The
    siblings after it move up one number (the Lampiran's numbering has no gaps)."""
    row = baris_get(rencana=rencana, jenis=jenis, pk=pk)
    kind = JenisBaris(jenis)
    field, _ = _NOMOR[kind]
    nomor, teks = getattr(row, field), str(row)[:80]
    siblings = _siblings(kind, row)
    try:
        with transaction.atomic():
            row.delete()
    except ProtectedError:
        if kind == JenisBaris.LANGKAH:
            raise ValidationError(
                "Langkah aksi ini sudah memiliki bukti yang diunggah; tidak dapat dihapus."
            ) from None
        raise ValidationError(
            f"{_LABEL[kind].capitalize()} ini masih berisi baris di bawahnya; hapus isinya dulu."
        ) from None
    if kind != JenisBaris.AREA:
        for sibling in siblings.filter(**{f"{field}__gt": nomor}).order_by(field):
            _MODEL[kind]._default_manager.filter(pk=sibling.pk).update(
                **{field: getattr(sibling, field) - 1}
            )
    revisions.bump(pk=rencana.pk)
    _catat_rencana(
        rencana, AksiAudit.RENCANA_DIHAPUS, f"{_LABEL[kind].capitalize()} dihapus: {teks}", oleh
    )


# --- teams ------------------------------------------------------------------------------


def _audit_unit(
    unit_id: int, aksi: AksiAudit, objek: models.Model, ringkasan: str, oleh: User
) -> None:
    audit_record(aksi=aksi, objek=objek, ringkasan=ringkasan, aktor=oleh, satuan_kerja_id=unit_id)


@transaction.atomic
def tim_simpan(
    *, satuan_kerja: SatuanKerja, nama: str, oleh: User, tim: TimKerja | None = None
) -> TimKerja:
    """Create a team, or rename one; names are unique within the unit."""
    nama = " ".join((nama or "").split())
    if not nama:
        raise ValidationError("Nama tim wajib diisi.")
    if len(nama) > 200:
        raise ValidationError("Nama tim paling panjang 200 huruf.")
    others = TimKerja.objects.filter(satuan_kerja=satuan_kerja, nama__iexact=nama)
    if tim is not None:
        others = others.exclude(pk=tim.pk)
    if others.exists():
        raise ValidationError(f"Tim '{nama}' sudah ada di {satuan_kerja}.")
    if tim is None:
        urutan = (
            TimKerja.objects.filter(satuan_kerja=satuan_kerja).aggregate(m=Max("urutan"))["m"] or 0
        ) + 1
        tim = TimKerja.objects.create(satuan_kerja=satuan_kerja, nama=nama, urutan=urutan)
        _audit_unit(satuan_kerja.pk, AksiAudit.TIM_DIUBAH, tim, f"Tim dibuat: {nama}", oleh)
        return tim
    lama = tim.nama
    tim.nama = nama
    tim.save(update_fields=["nama"])
    # The team's name is printed in the Lampiran.
    revisions.bump(satuan_kerja=satuan_kerja.pk)
    _audit_unit(
        satuan_kerja.pk, AksiAudit.TIM_DIUBAH, tim, f"Tim {lama} diganti nama: {nama}", oleh
    )
    return tim


@transaction.atomic
def tim_anggota_ubah(*, tim: TimKerja, user: User, masuk: bool, oleh: User) -> None:
    """Add a member (an active account of the team's unit) or remove one."""
    if masuk:
        if not user.is_active:
            raise ValidationError("Akun nonaktif tidak dapat menjadi anggota tim.")
        if not _akun_unit(user, tim.satuan_kerja_id):
            raise ValidationError(f"{_nama(user)} bukan akun {tim.satuan_kerja}.")
        tim.anggota.add(user)
    else:
        tim.anggota.remove(user)
    kata = "masuk ke" if masuk else "dikeluarkan dari"
    _audit_unit(
        tim.satuan_kerja_id, AksiAudit.TIM_DIUBAH, tim, f"{_nama(user)} {kata} {tim.nama}", oleh
    )


# --- accounts ---------------------------------------------------------------------------


def _nama(user: User) -> str:
    return user.get_full_name() or user.username


def _akun_unit(user: User, unit_id: int) -> bool:
    """Whether the account belongs to the unit: made for it, a role in it or a team."""
    return (
        Pegawai.objects.filter(user=user, satuan_kerja_id=unit_id).exists()
        or PeranPengguna.objects.filter(user=user, satuan_kerja_id=unit_id).exists()
        or TimKerja.objects.filter(anggota=user, satuan_kerja_id=unit_id).exists()
    )


def akun_unit_lain(user: User, units: set[int] | None) -> bool:
    """Whether the account also belongs to a unit outside ``units`` (None: every unit)."""
    if units is None:
        return False
    mine = set(Pegawai.objects.filter(user=user).values_list("satuan_kerja_id", flat=True))
    mine |= set(PeranPengguna.objects.filter(user=user).values_list("satuan_kerja_id", flat=True))
    mine |= set(TimKerja.objects.filter(anggota=user).values_list("satuan_kerja_id", flat=True))
    return bool(mine - units)


@dataclass
class DataAkun:
    nama: str
    email: str
    nip: str = ""
    telepon: str = ""
    peran: tuple[str, ...] = ()
    tim: tuple[int, ...] = ()  # TimKerja ids of the unit


def _periksa_akun(data: DataAkun, satuan_kerja: SatuanKerja, user: User | None) -> DataAkun:
    errors = []
    nama = " ".join(data.nama.split())
    email = data.email.strip().lower()
    telepon = data.telepon.strip().replace(" ", "").replace("-", "")
    if not nama:
        errors.append("Nama wajib diisi.")
    if len(nama) > 150:
        errors.append("Nama paling panjang 150 huruf.")
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"Alamat e-mail '{email}' tidak sah.")
    User = get_user_model()
    others = User.objects.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email))
    if user is not None:
        others = others.exclude(pk=user.pk)
    if email and others.exists():
        errors.append(f"Alamat e-mail {email} sudah dipakai akun lain.")
    if telepon:
        try:
            telepon_valid(telepon)
        except ValidationError as exc:
            errors.append(_pesan(exc))
    if len(data.nip.strip()) > 30:
        errors.append("NIP paling panjang 30 angka.")
    bad = [p for p in data.peran if p not in Peran.values]
    if bad:
        errors.append(f"Peran tidak dikenal: {', '.join(bad)}.")
    own = set(TimKerja.objects.filter(satuan_kerja=satuan_kerja).values_list("pk", flat=True))
    if set(data.tim) - own:
        errors.append(f"Tim harus tim {satuan_kerja}.")
    if errors:
        raise ValidationError(errors)
    return DataAkun(
        nama,
        email,
        data.nip.strip(),
        telepon,
        tuple(sorted(set(data.peran))),
        tuple(sorted(set(data.tim))),
    )


def _pisah_nama(nama: str) -> tuple[str, str]:
    first, _, last = nama.partition(" ")
    return first[:150], last[:150]


def _tulis_akun(user: User, data: DataAkun, satuan_kerja: SatuanKerja) -> list[str]:
    """Write the checked data; returns what changed, for the audit."""
    changed = []
    first, last = _pisah_nama(data.nama)
    if (user.first_name, user.last_name, user.email) != (first, last, data.email):
        user.first_name, user.last_name, user.email = first, last, data.email
        user.save(update_fields=["first_name", "last_name", "email"])
        changed.append("nama/e-mail")
    pegawai, _ = Pegawai.objects.get_or_create(user=user, defaults={"satuan_kerja": satuan_kerja})
    if pegawai.nip != data.nip:
        pegawai.nip = data.nip
        pegawai.save(update_fields=["nip"])
        changed.append("NIP")
    profil, _ = Profil.objects.get_or_create(user=user)
    if profil.telepon != data.telepon:
        profil.telepon = data.telepon
        profil.save(update_fields=["telepon"])
        changed.append("WhatsApp")
    roles = set(
        PeranPengguna.objects.filter(user=user, satuan_kerja=satuan_kerja).values_list(
            "peran", flat=True
        )
    )
    if roles != set(data.peran):
        PeranPengguna.objects.filter(user=user, satuan_kerja=satuan_kerja).exclude(
            peran__in=data.peran
        ).delete()
        PeranPengguna.objects.bulk_create(
            PeranPengguna(user=user, satuan_kerja=satuan_kerja, peran=p)
            for p in set(data.peran) - roles
        )
        changed.append("peran: " + (", ".join(Peran(p).label for p in data.peran) or "tanpa peran"))
    teams = set(
        TimKerja.objects.filter(satuan_kerja=satuan_kerja, anggota=user).values_list(
            "pk", flat=True
        )
    )
    if teams != set(data.tim):
        for tim in TimKerja.objects.filter(pk__in=teams - set(data.tim)):
            tim.anggota.remove(user)
        for tim in TimKerja.objects.filter(pk__in=set(data.tim) - teams):
            tim.anggota.add(user)
        changed.append("tim")
    return changed


def _boleh_peran(akses: Akses, satuan_kerja: SatuanKerja, peran: Sequence[str]) -> None:
    if peran and not can_give_role(akses, satuan_kerja.pk):
        raise ValidationError(f"Anda tidak dapat memberi peran di {satuan_kerja}.")


def akun_buat(
    *, satuan_kerja: SatuanKerja, data: DataAkun, oleh: User, situs: str, kirim: bool = True
) -> User:
    """A new account of the unit (its e-mail is its user name), with its roles in the
    unit and teams; it gets an e-mail with a link to set its password."""
    _boleh_peran(Akses.of(oleh), satuan_kerja, data.peran)
    with transaction.atomic():
        data = _periksa_akun(data, satuan_kerja, None)
        user = _akun_baru(satuan_kerja, data, oleh)
    if kirim:
        akun_kirim_tautan_sandi(user=user, situs=situs)
    return user


def _akun_baru(satuan_kerja: SatuanKerja, data: DataAkun, oleh: User) -> User:
    first, last = _pisah_nama(data.nama)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=data.email, email=data.email, first_name=first, last_name=last
            )
    except IntegrityError:
        raise ValidationError(f"Alamat e-mail {data.email} sudah dipakai akun lain.") from None
    Pegawai.objects.create(user=user, satuan_kerja=satuan_kerja, nip=data.nip)
    _tulis_akun(user, data, satuan_kerja)
    peran = ", ".join(Peran(p).label for p in data.peran) or "anggota"
    _audit_unit(
        satuan_kerja.pk,
        AksiAudit.AKUN_DIBUAT,
        user,
        f"Akun dibuat: {data.nama} <{data.email}> ({peran})",
        oleh,
    )
    return user


@transaction.atomic
def akun_ubah(*, satuan_kerja: SatuanKerja, user: User, data: DataAkun, oleh: User) -> list[str]:
    """Change an account of the unit: name, e-mail, NIP, WhatsApp, roles and teams in
    this unit (its roles elsewhere stay as they are)."""
    roles = set(
        PeranPengguna.objects.filter(user=user, satuan_kerja=satuan_kerja).values_list(
            "peran", flat=True
        )
    )
    if set(data.peran) != roles:
        _boleh_peran(Akses.of(oleh), satuan_kerja, data.peran or ("x",))
    if (
        user.pk == oleh.pk
        and Peran.ADMIN in roles
        and Peran.ADMIN not in data.peran
        and not oleh.is_superuser
    ):
        raise ValidationError("Anda tidak dapat mencabut peran admin Anda sendiri.")
    data = _periksa_akun(data, satuan_kerja, user)
    if data.email != user.email and user.username == user.email:
        user.username = data.email
        user.save(update_fields=["username"])
    changed = _tulis_akun(user, data, satuan_kerja)
    if changed:
        aksi = (
            AksiAudit.PERAN_DIUBAH
            if any(c.startswith("peran") for c in changed)
            else AksiAudit.AKUN_DIUBAH
        )
        _audit_unit(
            satuan_kerja.pk, aksi, user, f"Akun {_nama(user)} diubah: {'; '.join(changed)}", oleh
        )
    return changed


@transaction.atomic
def akun_aktif(*, satuan_kerja: SatuanKerja, user: User, aktif: bool, oleh: User) -> None:
    """Deactivate an account (never deleted: its history stays) or activate it again.
    Only an account wholly within the units the admin sets up."""
    if user.pk == oleh.pk:
        raise ValidationError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if user.is_superuser or user.is_staff:
        raise ValidationError("Akun operator aplikasi hanya diatur lewat halaman Administrasi.")
    if akun_unit_lain(user, admin_units(Akses.of(oleh))):
        raise ValidationError(
            f"{_nama(user)} juga anggota satuan kerja lain; hubungi operator aplikasi."
        )
    if user.is_active == aktif:
        return
    user.is_active = aktif
    user.save(update_fields=["is_active"])
    aksi = AksiAudit.AKUN_DIUBAH if aktif else AksiAudit.AKUN_DINONAKTIFKAN
    kata = "diaktifkan kembali" if aktif else "dinonaktifkan"
    _audit_unit(satuan_kerja.pk, aksi, user, f"Akun {_nama(user)} {kata}", oleh)


def akun_kirim_tautan_sandi(*, user: User, situs: str) -> bool:
    """E-mail the account a link to set its password (Django's reset link, in
    Indonesian); ``situs`` is the site's address. False when it could not be sent."""
    if not user.email or not user.is_active:
        return False
    protocol, _, domain = situs.rstrip("/").partition("://")
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": "ZI Tracker",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    try:
        PasswordResetForm().send_mail(
            "registration/akun_baru_subject.txt",
            "registration/akun_baru_email.txt",
            context,
            None,
            user.email,
        )
    except Exception:  # an SMTP failure must not undo the account; the page says so
        return False
    return True


# --- importing accounts -----------------------------------------------------------------

KOLOM = ("nama", "email", "tim", "peran")
PERAN_KATA = {
    "": "",
    "anggota": "",
    "admin": Peran.ADMIN,
    "koordinator": Peran.ADMIN,
    "pimpinan": Peran.PIMPINAN,
    "reviewer": Peran.REVIEWER,
    "tpi": Peran.REVIEWER,
}
MAKS_BARIS = 500


def _baca_lembar(nama_berkas: str, isi: bytes) -> list[list[str]]:
    if nama_berkas.lower().endswith(".csv"):
        try:
            text = isi.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = isi.decode("latin-1")
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    if nama_berkas.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(isi), read_only=True, data_only=False).worksheets[0]
        except Exception:  # not a workbook: openpyxl raises many kinds
            raise ValidationError("Berkas tidak dapat dibaca sebagai Excel (.xlsx).") from None
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).strip() for v in row]
            if any(c.startswith("=") for c in cells):
                raise ValidationError("Lembar berisi rumus; isi nilai saja, tanpa rumus.")
            rows.append(cells)
        return rows
    raise ValidationError("Unggah berkas .xlsx atau .csv.")


@transaction.atomic
def impor_akun_baca(
    *, satuan_kerja: SatuanKerja, nama_berkas: str, isi: bytes, oleh: User
) -> ImporAkun:
    """Read a sheet of accounts (columns nama, email, tim, peran; the first row names
    them) and check every row; the result waits in ``ImporAkun`` for confirmation."""
    rows = [r for r in _baca_lembar(nama_berkas, isi) if any(r)]
    if not rows:
        raise ValidationError("Lembar kosong.")
    header = [h.strip().lower().replace("-", "").replace(" ", "") for h in rows[0]]
    missing = [k for k in ("nama", "email") if k not in header]
    if missing:
        raise ValidationError(
            "Baris pertama harus berisi judul kolom: nama, email, tim, peran "
            f"(tidak ada: {', '.join(missing)})."
        )
    if len(rows) - 1 > MAKS_BARIS:
        raise ValidationError(
            f"Terlalu banyak baris ({len(rows) - 1}); paling banyak {MAKS_BARIS}."
        )
    col = {k: header.index(k) for k in KOLOM if k in header}
    baris = []
    for n, row in enumerate(rows[1:], start=2):
        cell = {k: (row[i] if i < len(row) else "") for k, i in col.items()}
        baris.append({"baris": n, **{k: cell.get(k, "") for k in KOLOM}})
    impor = ImporAkun.objects.create(
        satuan_kerja=satuan_kerja,
        oleh=oleh,
        nama_berkas=nama_berkas[:200],
        baris=_periksa_impor(satuan_kerja, baris, oleh),
    )
    return impor


def _periksa_impor(satuan_kerja: SatuanKerja, baris: list[dict], oleh: User) -> list[dict]:
    teams = {t.nama.lower(): t.pk for t in TimKerja.objects.filter(satuan_kerja=satuan_kerja)}
    akses = Akses.of(oleh)
    seen: dict[str, int] = {}
    for b in baris:
        galat = []
        tim_ids = []
        for nama_tim in filter(None, (t.strip() for t in b["tim"].replace(";", ",").split(","))):
            if nama_tim.lower() not in teams:
                galat.append(f"Tim '{nama_tim}' tidak ada di {satuan_kerja}.")
            else:
                tim_ids.append(teams[nama_tim.lower()])
        peran = []
        for kata in filter(
            None, (p.strip().lower() for p in b["peran"].replace(";", ",").split(","))
        ):
            if kata not in PERAN_KATA:
                galat.append(
                    f"Peran '{kata}' tidak dikenal (admin, pimpinan, reviewer atau anggota)."
                )
            elif PERAN_KATA[kata]:
                peran.append(str(PERAN_KATA[kata]))
        if peran and not can_give_role(akses, satuan_kerja.pk):
            galat.append(f"Anda tidak dapat memberi peran di {satuan_kerja}.")
        email = b["email"].strip().lower()
        if email in seen:
            galat.append(f"E-mail {email} sudah ada di baris {seen[email]}.")
        seen.setdefault(email, b["baris"])
        try:
            _periksa_akun(
                DataAkun(b["nama"], email, peran=tuple(peran), tim=tuple(tim_ids)),
                satuan_kerja,
                None,
            )
        except ValidationError as exc:
            galat += exc.messages
        b.update({"galat": galat, "tim_ids": tim_ids, "peran_ids": peran})
    return baris


def impor_akun_terapkan(*, impor: ImporAkun, oleh: User, situs: str) -> list[User]:
    """Create every account of a checked sheet, all or nothing: the rows are checked
    again (something may have changed since the preview); each new account gets its
    set-password e-mail once all are saved."""
    with transaction.atomic():
        impor = ImporAkun.objects.select_for_update().get(pk=impor.pk)
        if impor.status != StatusImpor.PRATINJAU:
            raise ValidationError("Impor ini sudah diterapkan.")
        baris = _periksa_impor(impor.satuan_kerja, impor.baris, oleh)
        bad = [b for b in baris if b["galat"]]
        if bad:
            impor.baris = baris
            impor.save(update_fields=["baris"])
            raise ValidationError(
                f"Impor dibatalkan: {len(bad)} baris tidak valid (lihat pratinjau). "
                "Tidak ada akun yang dibuat."
            )
        users = [
            _akun_baru(
                impor.satuan_kerja,
                DataAkun(
                    b["nama"],
                    b["email"].strip().lower(),
                    peran=tuple(b["peran_ids"]),
                    tim=tuple(b["tim_ids"]),
                ),
                oleh,
            )
            for b in baris
        ]
        impor.status = StatusImpor.DITERAPKAN
        impor.save(update_fields=["status"])
        _audit_unit(
            impor.satuan_kerja_id,
            AksiAudit.AKUN_DIIMPOR,
            impor,
            f"{len(users)} akun diimpor dari {impor.nama_berkas}",
            oleh,
        )
    for user in users:
        akun_kirim_tautan_sandi(user=user, situs=situs)
    return users


# --- units below ------------------------------------------------------------------------


@transaction.atomic
def unit_buat(*, induk: SatuanKerja, slug: str, nama: str, oleh: User) -> SatuanKerja:
    slug, nama = slug.strip().lower(), " ".join(nama.split())
    errors = []
    try:
        validate_slug(slug)
    except ValidationError:
        errors.append(
            "Kode hanya huruf kecil, angka, tanda hubung dan garis bawah, mis. kpu-kab-cilacap."
        )
    if not nama:
        errors.append("Nama satuan kerja wajib diisi.")
    if SatuanKerja.objects.filter(slug=slug).exists():
        errors.append(f"Kode {slug} sudah dipakai satuan kerja lain.")
    if errors:
        raise ValidationError(errors)
    unit = SatuanKerja(nama=nama, slug=slug, induk=induk)
    unit.full_clean()
    unit.save()
    _audit_unit(
        induk.pk,
        AksiAudit.UNIT_DIUBAH,
        unit,
        f"Satuan kerja dibuat di bawah {induk}: {nama} ({slug})",
        oleh,
    )
    return unit


@transaction.atomic
def unit_pindah(*, unit: SatuanKerja, induk: SatuanKerja, oleh: User) -> None:
    """Move a unit under another; both within what the admin sets up, never under
    itself or a unit below it, never their own top unit."""
    units = admin_units(Akses.of(oleh))
    own = Akses.of(oleh).units_with(Peran.ADMIN)
    if units is not None and (
        unit.pk not in units or induk.pk not in units or unit.pk in (own or set())
    ):
        raise ValidationError("Satuan kerja hanya dapat dipindah di dalam wilayah yang Anda atur.")
    cursor: SatuanKerja | None = induk
    while cursor is not None:
        if cursor.pk == unit.pk:
            raise ValidationError("Satuan kerja tidak dapat dipindah ke bawah dirinya sendiri.")
        cursor = cursor.induk
    if unit.induk_id == induk.pk:
        return
    lama = unit.induk
    unit.induk = induk
    unit.save(update_fields=["induk"])
    revisions.bump(satuan_kerja=unit.pk)
    _audit_unit(
        unit.pk, AksiAudit.UNIT_DIUBAH, unit, f"{unit} dipindah dari {lama} ke {induk}", oleh
    )


@transaction.atomic
def unit_aktif(*, unit: SatuanKerja, aktif: bool, oleh: User) -> None:
    """Deactivate a unit (it leaves the lists; its plans, evidence and audit stay) or
    activate it again. Not the admin's own unit."""
    own = Akses.of(oleh).units_with(Peran.ADMIN)
    if own is not None and unit.pk in own:
        raise ValidationError("Anda tidak dapat menonaktifkan satuan kerja Anda sendiri.")
    if not aktif and SatuanKerja.objects.filter(induk=unit, aktif=True).exists():
        raise ValidationError(f"{unit} masih memiliki satuan kerja aktif di bawahnya.")
    if unit.aktif == aktif:
        return
    unit.aktif = aktif
    unit.save(update_fields=["aktif"])
    kata = "diaktifkan kembali" if aktif else "dinonaktifkan"
    _audit_unit(unit.pk, AksiAudit.UNIT_DIUBAH, unit, f"Satuan kerja {unit} {kata}", oleh)


def unit_buat_dengan_koordinator(
    *, induk: SatuanKerja, slug: str, nama: str, koordinator: DataAkun, oleh: User, situs: str
) -> tuple[SatuanKerja, User]:
    """A unit below ``induk`` and its first coordinator (an account with the admin role
    there), together or not at all; the coordinator gets the set-password e-mail."""
    with transaction.atomic():
        unit = unit_buat(induk=induk, slug=slug, nama=nama, oleh=oleh)
        koordinator.peran = (Peran.ADMIN,)
        user = akun_buat(satuan_kerja=unit, data=koordinator, oleh=oleh, situs=situs, kirim=False)
    akun_kirim_tautan_sandi(user=user, situs=situs)
    return unit, user
