"""Views of the project itself (not of a domain app)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def sehat(request: HttpRequest) -> HttpResponse:
    """Health check for a load balancer or monitoring: 200 when the database answers,
    503 when it does not. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("basis data tidak menjawab\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
