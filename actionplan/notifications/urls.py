from django.urls import path

from actionplan.notifications import views

urlpatterns = [
    path("notifikasi/", views.daftar, name="notifikasi"),
    path("notifikasi/jumlah/", views.jumlah, name="notifikasi-jumlah"),
    path("notifikasi/<int:pk>/baca/", views.baca, name="notifikasi-baca"),
    path("notifikasi/baca-semua/", views.baca_semua, name="notifikasi-baca-semua"),
    path("notifikasi/pengaturan/", views.profil, name="notifikasi-profil"),
    path("notifikasi/kiriman/", views.kiriman, name="notifikasi-kiriman"),
    path(
        "notifikasi/kiriman/<int:pk>/kirim-ulang/", views.kirim_ulang, name="notifikasi-kirim-ulang"
    ),
]
