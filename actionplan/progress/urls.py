from django.urls import path

from actionplan.progress import views

urlpatterns = [
    path("rencana/<int:pk>/dasbor/", views.dasbor, name="dasbor"),
    path("rencana/<int:pk>/monev/", views.monev_catatan, name="monev-catatan"),
    path("rencana/<int:pk>/daftar/", views.daftar_slot, name="daftar-slot"),
    path("tugas/", views.tugas_saya, name="tugas-saya"),
    path("tim/", views.kemajuan_tim, name="kemajuan-tim"),
    path("rekap/", views.rekap, name="rekap"),
    path("cari/", views.cari, name="cari"),
]
