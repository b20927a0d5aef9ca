from django.apps import AppConfig


class PengaturanConfig(AppConfig):
    """Unit set-up by the unit's own admin: the plan editor, teams and accounts, the
    units below. A layer beside the notifications (it stores a new account's WhatsApp
    number in their profile); nothing below imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplan.pengaturan"
    label = "pengaturan"
    verbose_name = "Pengaturan satuan kerja"
