from django.apps import AppConfig


class PortalRbConfig(AppConfig):
    name = "actionplan.portalrb"
    label = "portalrb"
    verbose_name = "Pengusulan ke PortalRB"
