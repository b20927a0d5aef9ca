"""Kinds of notifications, channels and delivery states; importable anywhere."""

from django.db import models


class Jenis(models.TextChoices):
    """What a notification is about. In the app every kind is shown; by e-mail and
    WhatsApp each user chooses per kind (``BAWAAN`` without a choice)."""

    JATUH_TEMPO = "jatuh_tempo", "Langkah aksi jatuh tempo bulan ini"
    TERLAMBAT = "terlambat", "Bukti terlambat atau dikembalikan (mingguan)"
    DIKEMBALIKAN = "dikembalikan", "Bukti dikembalikan reviewer"
    REVIEW_BARU = "review_baru", "Bukti baru untuk direview (harian)"
    REVIEW_MENUNGGU = "review_menunggu", "Bukti menunggu review terlalu lama"
    ESKALASI = "eskalasi", "Eskalasi: bukti menunggu review sangat lama"
    RINGKASAN_MINGGUAN = "ringkasan_mingguan", "Ringkasan mingguan untuk pimpinan"
    RINGKASAN_BULANAN = "ringkasan_bulanan", "Ringkasan akhir bulan untuk pimpinan"
    LKE_BATAS = "lke_batas", "Batas waktu LKE"


class Kanal(models.TextChoices):
    EMAIL = "email", "E-mail"
    WA = "wa", "WhatsApp"


class StatusKiriman(models.TextChoices):
    MENUNGGU = "menunggu", "Menunggu dikirim"
    MENGIRIM = "mengirim", "Sedang dikirim"
    TERKIRIM = "terkirim", "Terkirim"
    GAGAL = "gagal", "Gagal"


# Channels on for a kind until the user chooses otherwise. WhatsApp is for the short
# alerts only: a returned version, the last days before a deadline, an escalation.
BAWAAN: dict[str, frozenset[str]] = {
    Jenis.JATUH_TEMPO: frozenset({Kanal.EMAIL, Kanal.WA}),
    Jenis.TERLAMBAT: frozenset({Kanal.EMAIL}),
    Jenis.DIKEMBALIKAN: frozenset({Kanal.EMAIL, Kanal.WA}),
    Jenis.REVIEW_BARU: frozenset({Kanal.EMAIL}),
    Jenis.REVIEW_MENUNGGU: frozenset({Kanal.EMAIL}),
    Jenis.ESKALASI: frozenset({Kanal.EMAIL, Kanal.WA}),
    Jenis.RINGKASAN_MINGGUAN: frozenset({Kanal.EMAIL}),
    Jenis.RINGKASAN_BULANAN: frozenset({Kanal.EMAIL}),
    Jenis.LKE_BATAS: frozenset({Kanal.EMAIL, Kanal.WA}),
}
