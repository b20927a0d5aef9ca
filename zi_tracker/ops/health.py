"""Health: the check a load balancer polls, and the 503 page when the database does not
answer."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


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


class DatabaseUnavailableMiddleware:
    """A database that does not answer (restarting, or SQLite locked past its timeout)
    gets a 503 page in Indonesian with ``Retry-After``, not a server error. The page asks
    the user to look before sending a form again (a commit may have succeeded just before
    the connection dropped). Django opens a new connection on the next request by itself
    (``conn_health_checks``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import OperationalError, connection
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        connection.close_if_unusable_or_obsolete()
        # The page needs no database: no user, no navigation.
        body = render_to_string("503.html", {})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "5"
        return response
