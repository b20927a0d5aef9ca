from django.urls import path

from actionplan.documents import lke_views, views

urlpatterns = [
    path("rencana/<int:pk>/unduh/<str:dokumen>/", views.unduh_dokumen, name="unduh-dokumen"),
    path("lke/<slug:slug>/<int:tahun>/lke.xlsx", lke_views.lke_excel, name="lke-excel"),
    path("lke/<slug:slug>/<int:tahun>/lke.pdf", lke_views.lke_pdf_view, name="lke-pdf"),
    path("lke/<slug:slug>/<int:tahun>/impor/", lke_views.lke_impor, name="lke-impor"),
]
