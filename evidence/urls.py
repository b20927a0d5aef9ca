from django.urls import path

from evidence import views

urlpatterns = [
    path("langkah/<int:pk>/", views.langkah_detail, name="langkah-detail"),
    path("langkah/<int:pk>/unggah/", views.unggah, name="bukti-unggah"),
    path("bukti/<int:pk>/review/", views.review, name="bukti-review"),
    path("bukti/<int:pk>/tarik/", views.tarik, name="bukti-tarik"),
    path("langkah/<int:pk>/bulan/<int:bulan>/pesan/", views.pesan, name="slot-pesan"),
    path("berkas/<int:pk>/unduh/", views.unduh, name="berkas-unduh"),
    path("berkas/<int:pk>/pratinjau/", views.pratinjau, name="berkas-pratinjau"),
    path("berkas/<int:pk>/pratinjau.png", views.pratinjau_gambar, name="berkas-pratinjau-gambar"),
    path("review/", views.antrean, name="antrean"),
    path("review/setujui/", views.antrean_setujui, name="antrean-setujui"),
]
