"""Response headers every page gets."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Sets ``Content-Security-Policy`` (settings.CONTENT_SECURITY_POLICY) on every
    response that has none of its own: an evidence download sets a stricter one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


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


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling (settings.AXES_CLIENT_IP_CALLABLE).
    Behind nginx (``DJANGO_BEHIND_TLS_PROXY``) it is the last address of
    ``X-Forwarded-For``, the one nginx itself saw (a client can prepend anything, but not
    append after nginx); otherwise the connection's own address."""
    if settings.ZI_TRUST_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
