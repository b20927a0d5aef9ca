"""What the documents app keeps: the Excel import's previews, in the database so the
confirm may land on any server."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImporPratinjau(models.Model):
    """An uploaded workbook between its preview and its confirm, found by a random token
    and only by the admin who uploaded it. Previews never confirmed are deleted after
    ``actionplan.documents.impor.PRATINJAU_UMUR`` (on each new preview, and by the
    ``pratinjau_impor_bersihkan`` command)."""

    token = models.CharField("token", max_length=64, unique=True)
    pemilik = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="pemilik", on_delete=models.CASCADE
    )
    dibuat = models.DateTimeField("dibuat", default=timezone.now, db_index=True)
    nama_berkas = models.CharField("nama berkas", max_length=255, blank=True)
    isi = models.BinaryField("isi berkas")

    class Meta:
        verbose_name = "pratinjau impor"
        verbose_name_plural = "pratinjau impor"

    def __str__(self) -> str:
        return f"Pratinjau impor {self.nama_berkas or self.token[:8]}"
