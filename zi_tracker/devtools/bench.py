"""The benchmark behind ``python manage.py bench``: real requests through the whole WSGI
stack (every middleware, the session and login) against the configured database, each
page timed beside a floor measured in the same run.

The floor is a trivial view behind the same middleware and login; it is mounted only in
this module's URLconf (``ROOT_URLCONF`` is switched for the run), never in the app's.
Requests are made by hand-built WSGI environs rather than Django's test client, so the
20 MB upload is read from a file on disk the way a server hands it over, and the memory
measured is what the app allocates while handling it.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CSRF_SECRET = "b" * 32  # a bench-only token; Django accepts an unmasked 32-char secret


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """The floor: as little as a page can do behind the same middleware and login."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/floor/", floor),
    path("", include("zi_tracker.urls")),
]


@dataclass
class Result:
    name: str
    url: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    ratio: float | None = None  # median / floor median
    status: int = 200
    bytes: int = 0
    extra: dict = field(default_factory=dict)


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


class Driver:
    """Sends requests through Django's WSGI handler with a logged-in user's cookies.

    The database connection is kept between requests (as with ``DJANGO_CONN_MAX_AGE``
    set, the production advice), so an upload can run inside the bench's own transaction
    and be rolled back."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        self.host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "127.0.0.1"
        self.host = self.host.lstrip(".").replace("*", "") or "127.0.0.1"

    def close(self) -> None:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)

    def session_for(self, user: User) -> str:
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    def environ(
        self,
        method: str,
        url: str,
        session: str,
        *,
        body: io.IOBase | None = None,
        length: int = 0,
        content_type: str = "",
    ) -> dict:
        path, _, query = url.partition("?")
        if session.startswith("Bearer "):  # PortalRB's API: a token, no session
            return {
                **self.environ(
                    method, url, "", body=body, length=length, content_type=content_type
                ),
                "HTTP_AUTHORIZATION": session,
                "HTTP_COOKIE": "",
            }
        cookies = SimpleCookie()
        cookies[settings.SESSION_COOKIE_NAME] = session
        cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        return {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": self.host,
            "SERVER_PORT": "443" if settings.SESSION_COOKIE_SECURE else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "HTTP_COOKIE": cookies.output(header="", sep=";").strip(),
            "HTTP_X_CSRFTOKEN": CSRF_SECRET,
            "HTTP_REFERER": f"https://{self.host}/",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(length),
            "wsgi.input": body or io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "https" if settings.SESSION_COOKIE_SECURE else "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def call(self, environ: dict) -> tuple[int, int]:
        """One request; returns (status code, response size). The body is consumed as a
        server would, so streamed responses are timed in full."""
        status_line: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Any:  # WSGI's write() callable; Django's handler never uses it
            status_line.append(status)

        response = self.handler(environ, start_response)
        size = 0
        try:
            for chunk in response:
                size += len(chunk)
        finally:
            if hasattr(response, "close"):
                response.close()
        return int(status_line[0].split()[0]), size


def measure(
    driver: Driver,
    name: str,
    url: str,
    session: str,
    *,
    runs: int,
    warmup: int = 10,
    before_each: Callable[[], None] | None = None,
) -> Result:
    """One page alone (``before_each`` runs before every request, e.g. to clear the
    caches): see ``measure_interleaved``."""
    return measure_interleaved(
        driver, [(name, url, session)], runs=runs, warmup=warmup, before_each=before_each
    )[0]


def measure_interleaved(
    driver: Driver,
    pages: list[tuple[str, str, str]],
    *,
    runs: int,
    warmup: int = 10,
    before_each: Callable[[], None] | None = lambda: None,
) -> list[Result]:
    """Median and p95 of ``runs`` GETs of each page (name, url, session) after ``warmup``
    unmeasured ones (enough for psycopg to have prepared the page's statements, which it
    does at the fifth run), and the query count of one more. One request of each page in
    turn: a drift of the machine's speed during the run (another process, the CPU's
    clock) then weighs on the floor and the pages alike instead of on whichever was
    measured at the time."""
    before_each = before_each or (lambda: None)
    for _ in range(warmup):
        for _, url, session in pages:
            before_each()
            driver.call(driver.environ("GET", url, session))
    samples: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    last: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        for name, url, session in pages:
            before_each()
            environ = driver.environ("GET", url, session)
            start = time.perf_counter()
            last[name] = driver.call(environ)
            samples[name].append(time.perf_counter() - start)
    results = []
    for name, url, session in pages:
        before_each()
        with CaptureQueriesContext(connection) as queries:
            driver.call(driver.environ("GET", url, session))
        results.append(
            Result(
                name=name,
                url=url,
                runs=runs,
                median_ms=round(statistics.median(samples[name]) * 1000, 2),
                p95_ms=round(p95(samples[name]) * 1000, 2),
                queries=len(queries),
                status=last[name][0],
                bytes=last[name][1],
            )
        )
    return results


def _pdf_tail(base: int) -> bytes:
    """A one-page PDF's objects, cross-reference table and trailer, for objects starting
    at byte ``base`` of the file."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body = b""
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(base + len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = base + len(body)
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    table += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body + table + trailer


def _pdf_like(size: int) -> str:
    """A well-formed PDF of ``size`` bytes (the upload's parser checks the structure):
    a one-page document whose header is followed by a comment grown to the size,
    written to a temporary file in 1 MiB pieces; the cross-reference offsets count it."""
    handle, name = tempfile.mkstemp(suffix=".pdf")
    head = b"%PDF-1.4\n"
    padding = max(0, size - len(head) - 2 - len(_pdf_tail(size)))
    tail = _pdf_tail(len(head) + padding + 2)
    padding = max(0, size - len(head) - 2 - len(tail))
    tail = _pdf_tail(len(head) + padding + 2)
    with os.fdopen(handle, "wb") as out:
        out.write(head + b"%")
        left = padding
        piece = b"x" * (1 << 20)
        while left > 0:
            out.write(piece[: min(left, len(piece))])
            left -= min(left, len(piece))
        out.write(b"\n" + tail)
    return name


def _multipart(path: str, bulan: int, boundary: str) -> tuple[str, int]:
    """Write the multipart body of an upload to a temporary file: (file name, length)."""
    handle, name = tempfile.mkstemp(suffix=".multipart")
    with os.fdopen(handle, "wb") as out, open(path, "rb") as src:
        out.write(
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{CSRF_SECRET}\r\n"
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="bulan"\r\n\r\n'
                f"{bulan}\r\n"
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="berkas"; filename="bukti-bench.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
        )
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return name, os.path.getsize(name)


def upload(driver: Driver, session: str, langkah_id: int, bulan: int, size: int) -> Result:
    """One upload of a ``size``-byte PDF to a step's month, timed, with its query count
    and the peak of memory the app allocated while handling it (tracemalloc) besides the
    process's peak resident size. Everything it wrote is rolled back and its file removed,
    so the bench leaves the data set as it found it."""
    from evidence.files import remove_stored
    from evidence.models import BerkasBukti

    source = _pdf_like(size)
    body_path, length = _multipart(source, bulan, "zibenchboundary")
    stored: list[str] = []
    try:
        with open(body_path, "rb") as body:
            environ = driver.environ(
                "POST",
                f"/langkah/{langkah_id}/unggah/",
                session,
                body=body,
                length=length,
                content_type="multipart/form-data; boundary=zibenchboundary",
            )
            with transaction.atomic():
                last = BerkasBukti.objects.order_by("-pk").values_list("pk", flat=True).first()
                tracemalloc.start()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    status, _ = driver.call(environ)
                    elapsed = time.perf_counter() - start
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                stored = list(
                    BerkasBukti.objects.filter(pk__gt=last or 0).values_list("lokasi", flat=True)
                )
                transaction.set_rollback(True)
    finally:
        for name in (source, body_path):
            os.unlink(name)
        remove_stored(stored)
    if status != 302 or len(stored) != 1:
        raise RuntimeError(f"Unggahan uji gagal: HTTP {status}, {len(stored)} berkas tersimpan.")
    return Result(
        name=f"unggah {size / 1_000_000:g} MB",
        url=f"/langkah/{langkah_id}/unggah/",
        runs=1,
        median_ms=round(elapsed * 1000, 2),
        p95_ms=round(elapsed * 1000, 2),
        queries=len(queries),
        status=status,
        bytes=size,
        extra={
            "peak_alloc_mb": round(peak / 1_048_576, 2),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
    )


def clear_caches() -> None:
    """Every cache of this process: the uncached rows start from nothing."""
    from django.core.cache import caches

    for each in caches.all():
        each.clear()


def as_dict(result: Result) -> dict:
    return asdict(result)
