"""What progress keeps of its own: the monev meeting's narrative per area and month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.models import RencanaAksi


class CatatanMonev(models.Model):
    """The month's narrative of one change area for the progress report (Laporan monev):
    its obstacles (kendala) and the follow-up (tindak lanjut), written by the unit's
    admin. Written by ``progress.services.catatan_monev_simpan`` (audited)."""

    rencana = models.ForeignKey(
        RencanaAksi,
        verbose_name="rencana aksi",
        on_delete=models.CASCADE,
        related_name="catatan_monev",
    )
    bulan = models.PositiveSmallIntegerField("bulan")
    area = models.PositiveSmallIntegerField("area perubahan (nomor)")
    kendala = models.TextField("kendala", blank=True)
    tindak_lanjut = models.TextField("tindak lanjut", blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diubah oleh",
        on_delete=models.PROTECT,
        related_name="+",
    )
    diubah_pada = models.DateTimeField("diubah pada", default=timezone.now)

    class Meta:
        verbose_name = "catatan monev"
        verbose_name_plural = "catatan monev"
        ordering = ["rencana_id", "bulan", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["rencana", "bulan", "area"], name="progress_catatanmonev_unique"
            ),
            models.CheckConstraint(
                condition=Q(bulan__gte=1, bulan__lte=12), name="progress_catatanmonev_bulan_1_12"
            ),
            models.CheckConstraint(
                condition=Q(area__gte=1, area__lte=6), name="progress_catatanmonev_area_1_6"
            ),
        ]

    def __str__(self) -> str:
        return f"Catatan monev {self.rencana} bulan {self.bulan} area {self.area}"
