from django.urls import path

from actionplan.pengaturan import views

urlpatterns = [
    path("pengaturan/", views.index, name="pengaturan"),
    path("pengaturan/rencana/<int:pk>/", views.rencana, name="pengaturan-rencana"),
    path("pengaturan/rencana/<int:pk>/keputusan/", views.keputusan, name="pengaturan-keputusan"),
    path("pengaturan/rencana/<int:pk>/tetapkan/", views.tetapkan, name="pengaturan-tetapkan"),
    path("pengaturan/rencana/<int:pk>/baris/", views.baris, name="pengaturan-baris"),
    path(
        "pengaturan/rencana/<int:pk>/indikator/<int:indikator>/langkah-baru/",
        views.langkah_baru,
        name="pengaturan-langkah-baru",
    ),
    path(
        "pengaturan/rencana/<int:pk>/langkah/<int:langkah>/",
        views.langkah,
        name="pengaturan-langkah",
    ),
    path(
        "pengaturan/rencana/<int:pk>/baris/<str:jenis>/<int:baris>/<str:aksi>/",
        views.baris_aksi,
        name="pengaturan-baris-aksi",
    ),
    path("pengaturan/tim/<int:pk>/", views.tim_ubah, name="pengaturan-tim-ubah"),
    path("pengaturan/<slug:slug>/", views.unit, name="pengaturan-unit"),
    path(
        "pengaturan/<slug:slug>/rencana-baru/", views.rencana_buat, name="pengaturan-rencana-buat"
    ),
    path("pengaturan/<slug:slug>/tim/", views.tim, name="pengaturan-tim"),
    path("pengaturan/<slug:slug>/orang/", views.orang, name="pengaturan-orang"),
    path("pengaturan/<slug:slug>/orang/baru/", views.orang_baru, name="pengaturan-orang-baru"),
    path("pengaturan/<slug:slug>/orang/impor/", views.impor, name="pengaturan-impor"),
    path(
        "pengaturan/<slug:slug>/orang/impor/<int:pk>/",
        views.impor_pratinjau,
        name="pengaturan-impor-pratinjau",
    ),
    path(
        "pengaturan/<slug:slug>/orang/<int:user>/", views.orang_ubah, name="pengaturan-orang-ubah"
    ),
    path("pengaturan/<slug:slug>/unit/", views.unit_bawah, name="pengaturan-unit-bawah"),
    path("pengaturan/<slug:slug>/unit/<slug:anak>/", views.unit_ubah, name="pengaturan-unit-ubah"),
]
