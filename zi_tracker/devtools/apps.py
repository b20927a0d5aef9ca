from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "zi_tracker.devtools"
    label = "devtools"
    verbose_name = "Alat pengembang"
