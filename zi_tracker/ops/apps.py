from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "zi_tracker.ops"
    label = "ops"
    verbose_name = "Operasi"
