"""The LKE's pages. The assessment of a unit and year lives at ``lke/<unit slug>/<year>/``;
the workbook and the PDF are served by ``actionplan.documents``."""

from django.urls import path

from actionplan.lke import views, views_skor

urlpatterns = [
    path("lke/", views.beranda, name="lke-beranda"),
    # Before the unit's pages: 'rekap' and 'ambang' would otherwise read as unit slugs.
    path("lke/rekap/<int:tahun>/", views_skor.rekap, name="lke-rekap"),
    path("lke/ambang/<int:tahun>/", views_skor.ambang, name="lke-ambang"),
    path("lke/<slug:slug>/<int:tahun>/", views.penilaian, name="lke-penilaian"),
    path("lke/<slug:slug>/<int:tahun>/soal/<int:soal_id>/", views.soal, name="lke-soal"),
    path("lke/<slug:slug>/<int:tahun>/status/", views.status, name="lke-status"),
    path("lke/<slug:slug>/<int:tahun>/survei/", views.survei, name="lke-survei"),
    path("lke/<slug:slug>/<int:tahun>/pengaturan/", views.pengaturan, name="lke-pengaturan"),
    path("lke/<slug:slug>/<int:tahun>/riwayat/", views.riwayat, name="lke-riwayat"),
    path("lke/<slug:slug>/<int:tahun>/skor/", views_skor.skor, name="lke-skor"),
    path("lke/langkah/<int:pk>/soal/", views_skor.tautan_langkah, name="lke-tautan-langkah"),
]
