"""Choices and fixed vocabularies of the plan; importable anywhere without cycles."""

from django.db import models

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BULAN_CHOICES = [(nomor, nama) for nomor, nama in enumerate(BULAN, start=1)]

ROMAWI = ("I", "II", "III", "IV", "V", "VI")
AREA_CHOICES = [(nomor, romawi) for nomor, romawi in enumerate(ROMAWI, start=1)]


def nama_bulan(bulan: int) -> str:
    return BULAN[bulan - 1]


def romawi(nomor: int) -> str:
    return ROMAWI[nomor - 1]


def nomor_dari_romawi(teks: str) -> int:
    """'IV' -> 4; raises ValueError for anything that is not I-VI."""
    try:
        return ROMAWI.index(teks.strip().upper()) + 1
    except ValueError:
        raise ValueError(f"Area perubahan {teks!r} tidak dikenal (harus I sampai VI).") from None


class KeadaanSlot(models.TextChoices):
    """A slot's evidence as it stands now, kept on the slot by evidence's services in the
    transaction of every change (the values are those of the version's status). With
    ``Slot.keadaan_pada`` it lets progress read the state of any moment after the slot's
    last change without looking at its versions."""

    KOSONG = "kosong", "Belum ada bukti"
    DIAJUKAN = "diajukan", "Menunggu review"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"
    DISETUJUI = "disetujui", "Disetujui"


class Peran(models.TextChoices):
    """A user's role in a satuan kerja. Team members need no row: membership is the role."""

    ADMIN = "admin", "Admin (koordinator ZI)"
    PIMPINAN = "pimpinan", "Pimpinan"
    REVIEWER = "reviewer", "Reviewer / TPI"


class AksiAudit(models.TextChoices):
    BUKTI_DIAJUKAN = "bukti_diajukan", "Bukti diunggah"
    BUKTI_VERSI_BARU = "bukti_versi_baru", "Versi baru bukti diunggah"
    BUKTI_DITARIK = "bukti_ditarik", "Bukti ditarik"
    BUKTI_DISETUJUI = "bukti_disetujui", "Bukti disetujui"
    BUKTI_DIKEMBALIKAN = "bukti_dikembalikan", "Bukti dikembalikan untuk perbaikan"
    PESAN_DIKIRIM = "pesan_dikirim", "Pesan pada bukti bulanan"
    RENCANA_DITAMBAH = "rencana_ditambah", "Data rencana ditambahkan"
    RENCANA_DIUBAH = "rencana_diubah", "Data rencana diubah"
    RENCANA_DIHAPUS = "rencana_dihapus", "Data rencana dihapus"
    RENCANA_DITETAPKAN = "rencana_ditetapkan", "Rencana aksi ditetapkan"
    RENCANA_PASCA_PENETAPAN = "rencana_pasca_penetapan", "Perubahan setelah penetapan"
    AKUN_DIBUAT = "akun_dibuat", "Akun dibuat"
    AKUN_DIUBAH = "akun_diubah", "Akun diubah"
    AKUN_DINONAKTIFKAN = "akun_dinonaktifkan", "Akun dinonaktifkan"
    AKUN_DIIMPOR = "akun_diimpor", "Akun diimpor dari lembar"
    PERAN_DIUBAH = "peran_diubah", "Peran pengguna diubah"
    TIM_DIUBAH = "tim_diubah", "Tim kerja diubah"
    UNIT_DIUBAH = "unit_diubah", "Satuan kerja diubah"
    LKE_JAWABAN = "lke_jawaban", "Jawaban LKE diubah"
    LKE_STATUS = "lke_status", "Status penilaian LKE berubah"
    LKE_IMPOR = "lke_impor", "LKE diimpor dari Excel"
    LKE_SURVEI = "lke_survei", "Hasil survei LKE dicatat"
    LKE_PENGATURAN = "lke_pengaturan", "Pengaturan LKE diubah"
    PORTALRB_USULAN = "portalrb_usulan", "Usulan PortalRB diubah"
    PORTALRB_TOKEN = "portalrb_token", "Token API PortalRB"
    PORTALRB_AMBIL = "portalrb_ambil", "Data diambil PortalRB"
