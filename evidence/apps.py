from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Bukti fisik uploaded during the year, their review and files. Every change of a
    version goes through evidence.services, which raises the plan's revision once per
    transaction (actionplan.revisions.raise_for_evidence)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Bukti Dukung"
