from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Bukti fisik uploaded during the year; filled in by the evidence issue."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Bukti Dukung"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from actionplan.revisions import SLOT_LOOKUP, bump
        from evidence.models import Bukti, PeristiwaBukti

        def version_changed(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
            bump(**{SLOT_LOOKUP: instance.slot_id})

        def event_added(sender, instance, created=False, **kwargs):  # type: ignore[no-untyped-def]
            # Every change of a version's state (also those made with QuerySet.update)
            # writes an event in the same transaction.
            if created:
                bump(**{f"{SLOT_LOOKUP}__bukti": instance.bukti_id})

        post_save.connect(version_changed, sender=Bukti, dispatch_uid="revisi-bukti")
        post_delete.connect(version_changed, sender=Bukti, dispatch_uid="revisi-bukti-d")
        post_save.connect(event_added, sender=PeristiwaBukti, dispatch_uid="revisi-peristiwa")
