from django.db import models


class StatusBukti(models.TextChoices):
    """A submission's state. Only DIAJUKAN can be reviewed or withdrawn."""

    DIAJUKAN = "diajukan", "Menunggu review"
    DISETUJUI = "disetujui", "Disetujui"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan untuk perbaikan"
    DITARIK = "ditarik", "Ditarik"
    DIGANTIKAN = "digantikan", "Digantikan versi baru"


class JenisPeristiwa(models.TextChoices):
    DIAJUKAN = "diajukan", "Diunggah"
    DIAJUKAN_ULANG = "diajukan_ulang", "Diunggah ulang (versi baru)"
    DISETUJUI = "disetujui", "Disetujui"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan untuk perbaikan"
    DITARIK = "ditarik", "Ditarik"
    DIGANTIKAN = "digantikan", "Digantikan versi baru"


class JenisBerkas(models.TextChoices):
    """Accepted file kinds, recognised by content. Value = canonical extension."""

    PDF = "pdf", "PDF"
    JPEG = "jpg", "gambar JPEG"
    PNG = "png", "gambar PNG"
    DOCX = "docx", "dokumen Word"
    XLSX = "xlsx", "lembar kerja Excel"
    PPTX = "pptx", "presentasi PowerPoint"
    ODT = "odt", "dokumen ODF"
    ODS = "ods", "lembar kerja ODF"
    ODP = "odp", "presentasi ODF"


# The statuses of a version that counts for its slot: not withdrawn and not replaced.
COUNTING = (StatusBukti.DIAJUKAN, StatusBukti.DISETUJUI, StatusBukti.DIKEMBALIKAN)
