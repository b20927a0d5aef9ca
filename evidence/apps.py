from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Bukti fisik uploaded during the year; filled in by the evidence issue."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Bukti Dukung"
