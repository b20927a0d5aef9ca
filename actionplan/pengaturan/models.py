"""What the unit set-up keeps beside the plan's own models.

- ``Pegawai``: the unit an account was made for, with the NIP (optional). The account
  (name, e-mail, active) is Django's user; the WhatsApp number is the notifications'
  ``Profil``; roles and teams are the plan's ``PeranPengguna`` and ``TimKerja``.
- ``ImporAkun``: an uploaded sheet of accounts, read and checked, waiting for the admin
  to confirm it (the preview lives here, not in a temporary file).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionplan.models import SatuanKerja
from actionplan.pengaturan.enums import StatusImpor


class Pegawai(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.PROTECT,
        related_name="pegawai",
    )
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.PROTECT, related_name="pegawai"
    )
    nip = models.CharField("NIP", max_length=30, blank=True)

    class Meta:
        verbose_name = "akun satuan kerja"
        verbose_name_plural = "akun satuan kerja"
        ordering = ["satuan_kerja_id", "user_id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.satuan_kerja})"


class ImporAkun(models.Model):
    satuan_kerja = models.ForeignKey(
        SatuanKerja, verbose_name="satuan kerja", on_delete=models.CASCADE, related_name="+"
    )
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diunggah oleh",
        on_delete=models.PROTECT,
        related_name="+",
    )
    waktu = models.DateTimeField("waktu", default=timezone.now)
    nama_berkas = models.CharField("nama berkas", max_length=200)
    status = models.CharField(
        "status", max_length=20, choices=StatusImpor.choices, default=StatusImpor.PRATINJAU
    )
    # [{"baris": 2, "nama": …, "email": …, "tim": …, "peran": …, "galat": [...]}, …]
    baris = models.JSONField("baris", default=list)

    class Meta:
        verbose_name = "impor akun"
        verbose_name_plural = "impor akun"
        ordering = ["-waktu", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StatusImpor.values), name="pengaturan_imporakun_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama_berkas} ({self.get_status_display()})"

    @property
    def galat(self) -> int:
        return sum(1 for b in self.baris if b.get("galat"))
