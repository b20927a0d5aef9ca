from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "ZI Tracker: Administrasi Rencana Aksi Zona Integritas"
admin.site.site_title = "ZI Tracker"
admin.site.index_title = "Meja kerja koordinator ZI"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
