from django.urls import path

from actionplan.documents import views

urlpatterns = [
    path("rencana/<int:pk>/unduh/<str:dokumen>/", views.unduh_dokumen, name="unduh-dokumen"),
]
