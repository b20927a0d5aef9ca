"""Choices of the unit set-up."""

from django.db import models


class SumberRencana(models.TextChoices):
    """Where a new year's plan comes from."""

    KOSONG = "kosong", "Kosong"
    TAHUN_LALU = "tahun_lalu", "Salinan rencana tahun sebelumnya"
    INDUK = "induk", "Salinan rencana satuan kerja di atas (templat)"
    EXCEL = "excel", "Impor dari Excel (lembar Data hasil ekspor ZI Tracker)"


class JenisBaris(models.TextChoices):
    """The rows of the plan the editor adds, moves and removes."""

    AREA = "area", "Area perubahan"
    KOMPONEN = "komponen", "Komponen"
    INDIKATOR = "indikator", "Indikator"
    LANGKAH = "langkah", "Langkah aksi"


class StatusImpor(models.TextChoices):
    PRATINJAU = "pratinjau", "Pratinjau"
    DITERAPKAN = "diterapkan", "Diterapkan"
