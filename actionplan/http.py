"""What the app reads off a request, for any layer: the client's address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
