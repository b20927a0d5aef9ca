from django.urls import path

from actionplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rencana/", views.rencana_list, name="rencana-list"),
    path("rencana/<int:pk>/", views.rencana_detail, name="rencana-detail"),
    path("audit/", views.audit, name="audit"),
]
