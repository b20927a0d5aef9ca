from django.urls import path

from zi_tracker.ops import health

urlpatterns = [
    path("sehat/", health.sehat, name="sehat"),
]
