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


class WithoutForbiddenTraceback(logging.Filter):
    """A 403 is an answer, not an error: Django logs "Forbidden (…)" with the
    PermissionDenied traceback attached; keep the line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
