from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "actionplan.documents"
    label = "documents"
    verbose_name = "Dokumen resmi"
