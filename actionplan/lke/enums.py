"""The LKE's fixed vocabularies; importable anywhere without cycles."""

from django.db import models


class Level(models.TextChoices):
    """A node of the master's tree, as PortalRB names its levels."""

    KOMPONEN = "komponen", "Komponen"
    SUB_KOMPONEN = "sub_komponen", "Sub-komponen"
    AREA = "area_perubahan", "Area perubahan"
    SUB_AREA = "sub_area", "Sub-area"


class Bagian(models.TextChoices):
    """Which part of the score a node belongs to."""

    PEMENUHAN = "pemenuhan", "Pemenuhan"
    REFORM = "reform", "Reform"
    HASIL = "hasil", "Hasil"


class JenisJawaban(models.TextChoices):
    """A question's answer type (PortalRB's ``jenis_jawaban``; its 'Jumlah' and 'jumlah'
    are one type)."""

    YA_TIDAK = "YA_TIDAK", "Ya/Tidak"
    ABC = "ABC", "Pilihan A-C"
    ABCD = "ABCD", "Pilihan A-D"
    ABCDE = "ABCDE", "Pilihan A-E"
    JUMLAH = "JUMLAH", "Jumlah"
    INDEKS = "INDEKS", "Indeks 0-4"

    @classmethod
    def from_portalrb(cls, value: str) -> "JenisJawaban":
        text = value.strip()
        if text.lower() == "jumlah":
            return cls.JUMLAH
        if text == "0-4":
            return cls.INDEKS
        return cls(text.upper())


class StatusPenilaian(models.TextChoices):
    """An assessment's state: the unit answers (draft), the admin submits (the unit's
    answers lock), the TPI evaluates, the TPI finalises (everything locks). Reopening
    goes one step back, explicitly and audited."""

    DRAFT = "draft", "Draf (diisi unit)"
    DIAJUKAN = "diajukan", "Diajukan ke TPI"
    DIEVALUASI = "dievaluasi", "Dievaluasi TPI"
    FINAL = "final", "Final"


class AksiPenilaian(models.TextChoices):
    DIBUAT = "dibuat", "Penilaian dibuat"
    DIAJUKAN = "diajukan", "Diajukan ke TPI"
    DIEVALUASI = "dievaluasi", "Evaluasi TPI selesai"
    DIFINALKAN = "difinalkan", "Difinalkan"
    DIBUKA_KEMBALI = "dibuka_kembali", "Dibuka kembali"
    DIIMPOR = "diimpor", "Diimpor dari Excel"
    SURVEI_DIPILIH = "survei_dipilih", "Nilai survei dipilih"
    PEMETAAN_DIUBAH = "pemetaan_diubah", "Pembagian area diubah"


class Pihak(models.TextChoices):
    """Whose column of an answer: the unit's self-assessment or the TPI's evaluation."""

    UNIT = "unit", "Unit"
    TPI = "tpi", "TPI"


class JenisSurvei(models.TextChoices):
    IPAK = "IPAK", "Indeks Persepsi Anti Korupsi (IPAK)"
    IPKP = "IPKP", "Indeks Persepsi Kualitas Pelayanan (IPKP)"


class Predikat(models.TextChoices):
    WBK = "WBK", "Wilayah Bebas dari Korupsi (WBK)"
    WBBM = "WBBM", "Wilayah Birokrasi Bersih dan Melayani (WBBM)"


class Kriteria(models.TextChoices):
    """The criteria a predicate's thresholds are set on (values per year, as data)."""

    TOTAL = "total", "Nilai total"
    PENGUNGKIT = "pengungkit", "Komponen pengungkit"
    AREA = "area", "Setiap area (pemenuhan + reform), % dari bobot"
    BIROKRASI = "birokrasi", "Birokrasi bersih dan akuntabel"
    IPAK = "ipak", "Nilai IPAK (bagian dari 17,5)"
    CAPAIAN = "capaian", "Capaian kinerja (bagian dari 5)"
    IPKP = "ipkp", "Nilai IPKP (bagian dari 17,5)"
    SUDAH_WBK = "sudah_wbk", "Sudah berpredikat WBK"


_S = StatusPenilaian
# The assessment's moves: (from, to) -> (event, whose move: "admin" or "tpi").
TRANSISI: dict[tuple[str, str], tuple[AksiPenilaian, str]] = {
    (_S.DRAFT, _S.DIAJUKAN): (AksiPenilaian.DIAJUKAN, "admin"),
    (_S.DIAJUKAN, _S.DIEVALUASI): (AksiPenilaian.DIEVALUASI, "tpi"),
    (_S.DIEVALUASI, _S.FINAL): (AksiPenilaian.DIFINALKAN, "tpi"),
    (_S.DIAJUKAN, _S.DRAFT): (AksiPenilaian.DIBUKA_KEMBALI, "admin"),
    (_S.DIEVALUASI, _S.DIAJUKAN): (AksiPenilaian.DIBUKA_KEMBALI, "tpi"),
    (_S.FINAL, _S.DIEVALUASI): (AksiPenilaian.DIBUKA_KEMBALI, "tpi"),
}
