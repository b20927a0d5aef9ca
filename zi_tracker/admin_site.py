from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse


class ZiAdminSite(admin.AdminSite):
    """The Django admin is the deployment coordinator's workbench and is open to
    superusers only. It is not scoped by unit, so a merely "staff" account must not get
    in: with model permissions it could see or grant itself rights in any unit. Unit
    roles (admin, pimpinan, reviewer, members) use the app's own pages."""

    site_header = "ZI Tracker: Administrasi Rencana Aksi Zona Integritas"
    site_title = "ZI Tracker"
    index_title = "Meja kerja koordinator ZI"
    site_url = "/"

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The form with the username's length enforced (imported here: this module is
        # loaded while the apps are, before forms that need the user model can be).
        from zi_tracker.forms import AdminMasukForm

        self.login_form = AdminMasukForm
        return super().login(request, extra_context)

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


class ZiAdminConfig(AdminConfig):
    default_site = "zi_tracker.admin_site.ZiAdminSite"
