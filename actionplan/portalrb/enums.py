from django.db import models


class Kategori(models.TextChoices):
    """A proposed unit's category, as PortalRB names them."""

    WBK = "WBK", "WBK"
    WBK_AFIRMASI = "WBK-AFIRMASI", "WBK (afirmasi)"
    WBBM = "WBBM", "WBBM"


class StatusUsulan(models.TextChoices):
    TERBUKA = "terbuka", "Terbuka (masih disusun)"
    FINAL = "final", "Final (jawaban dibekukan)"
