from django.apps import AppConfig


class LkeConfig(AppConfig):
    name = "actionplan.lke"
    label = "lke"
    verbose_name = "Lembar Kerja Evaluasi ZI"
