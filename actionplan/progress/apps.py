from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "actionplan.progress"
    label = "progress"
    verbose_name = "Kemajuan"
