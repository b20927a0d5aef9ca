from django.urls import path

from actionplan.portalrb import api, bukti, views

urlpatterns = [
    path("portalrb/", views.beranda, name="portalrb-beranda"),
    path("portalrb/<slug:slug>/token/", views.token, name="portalrb-token"),
    path("portalrb/<slug:slug>/riwayat/", views.riwayat, name="portalrb-riwayat"),
    path("portalrb/<slug:slug>/<int:tahun>/", views.usulan, name="portalrb-usulan"),
    # PortalRB's pull API: the base URL to register is https://<host>/api/portalrb
    path("api/portalrb/pengusulan/unit-wbk", api.unit_wbk, name="portalrb-api-wbk"),
    path("api/portalrb/pengusulan/unit-wbbm", api.unit_wbbm, name="portalrb-api-wbbm"),
    path(
        "api/portalrb/lke/jawaban-unit/<str:unit_id>",
        api.jawaban_unit,
        name="portalrb-api-jawaban",
    ),
    # The evaluators' read-only evidence pages (no account; a signed, expiring token).
    path("bukti-lke/<str:token>/", bukti.halaman, name="portalrb-bukti"),
    path("bukti-lke/<str:token>/berkas/<int:pk>/", bukti.berkas, name="portalrb-bukti-berkas"),
]
