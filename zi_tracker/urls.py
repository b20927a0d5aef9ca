from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from actionplan import views as plan_views
from evidence import views as evidence_views
from zi_tracker.forms import MasukForm
from zi_tracker.views import sehat

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, form_class=MasukForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("rencana/", plan_views.rencana_list, name="rencana-list"),
    path("rencana/<int:pk>/", plan_views.rencana_detail, name="rencana-detail"),
    path("rencana/<int:pk>/dasbor/", plan_views.dasbor, name="dasbor"),
    path("rencana/<int:pk>/daftar/", plan_views.daftar_slot, name="daftar-slot"),
    path("rencana/<int:pk>/unduh/<str:dokumen>/", plan_views.unduh_dokumen, name="unduh-dokumen"),
    path("tugas/", plan_views.tugas_saya, name="tugas-saya"),
    path("rekap/", plan_views.rekap, name="rekap"),
    path("langkah/<int:pk>/", plan_views.langkah_detail, name="langkah-detail"),
    path("langkah/<int:pk>/unggah/", evidence_views.unggah, name="bukti-unggah"),
    path("bukti/<int:pk>/review/", evidence_views.review, name="bukti-review"),
    path("bukti/<int:pk>/tarik/", evidence_views.tarik, name="bukti-tarik"),
    path("berkas/<int:pk>/unduh/", evidence_views.unduh, name="berkas-unduh"),
    path("review/", evidence_views.antrean, name="antrean"),
    path("audit/", plan_views.audit, name="audit"),
    path("admin/", admin.site.urls),
    path("sehat/", sehat, name="sehat"),
]
