from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Reminders and notifications: the bell, e-mail and WhatsApp, through an outbox.
    A layer above the documents (a month's summary carries the Laporan monev PDF)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplan.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan"

    def ready(self) -> None:
        # The evidence layer announces a returned version with a signal sent inside its
        # review transaction; the receiver writes the notification and its outbox rows in
        # that same transaction.
        from actionplan.notifications import receivers
        from evidence.signals import bukti_dikembalikan

        bukti_dikembalikan.connect(receivers.saat_dikembalikan, dispatch_uid="zi-dikembalikan")
