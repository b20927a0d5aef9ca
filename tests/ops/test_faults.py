"""Faults against the real server (gunicorn on 127.0.0.1): a worker killed in the middle
of uploads leaves no record without its file and no file that verify_storage does not
list; PostgreSQL restarted under the app is survived without restarting the app."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from evidence.models import BerkasBukti, Bukti
from tests import files
from zi_tracker.devtools.loadtest import _session, upload_body
from zi_tracker.ops.serving import Server
from zi_tracker.ops.verify_storage import check_storage, remove_orphans

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("production"),
    pytest.mark.django_db(transaction=True),
]


def _upload_request(port: int, cookie: str, langkah: int, bulan: int, size: int):
    """The bytes of an upload request: (headers, body)."""
    content_type, body = upload_body(bulan, files.pdf(size=size).read())
    head = (
        f"POST /langkah/{langkah}/unggah/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head, body


def _kill_worker_and_wait(server: Server) -> None:
    (worker,) = server.worker_pids()
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if pids and pids != [worker] and server.get("/sehat/")[0] == 200:
            return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not replace the killed worker")


def test_worker_killed_during_uploads_leaves_nothing_unaccounted(live, settings, production_static):
    world = live
    with Server(workers=1, threads=1, static_root=production_static) as server:
        cookie = _session(world.users["anggota"], server.secret_key)
        head, body = _upload_request(
            server.port, cookie, world.langkah.pk, world.today.month, 3_000_000
        )
        # Killed while the body is still arriving.
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(head + body[: len(body) // 2])
            time.sleep(0.3)
            _kill_worker_and_wait(server)
        # Killed at moments after the whole body has arrived: while it is parsed,
        # checked, written to the store, or committed.
        for delay in (0.0, 0.02, 0.05, 0.08, 0.12, 0.2):
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(head + body)
                time.sleep(delay)
                _kill_worker_and_wait(server)
        # Every record has its complete file; whatever else was left is listed.
        report = check_storage()
        assert report.missing == [] and report.wrong_size == [] and report.wrong_hash == []
        for bukti in Bukti.objects.all():
            assert bukti.berkas.count() == 1
        remove_orphans(report, older_than_minutes=0)
        assert check_storage().ok
        # And the app goes on: the next upload is stored and verified.
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(head + body)
            reply = sock.recv(200)
        assert reply.startswith(b"HTTP/1.1 302"), reply
        assert check_storage().ok
        assert BerkasBukti.objects.count() == Bukti.objects.count() >= 1


@pytest.mark.pg_restart
def test_the_app_answers_again_after_postgresql_restarts(live, production_static):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (this run uses SQLite)")
    if not shutil.which("pg_ctlcluster"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs pg_ctlcluster to restart PostgreSQL")
        pytest.skip("pg_ctlcluster not available")
    world = live
    with Server(workers=2, threads=2, static_root=production_static) as server:
        cookie = _session(world.users["pimpinan"], server.secret_key)
        page = f"/rencana/{world.rencana.pk}/dasbor/"
        assert server.get(page, cookie)[0] == 200
        connection.close()  # this process's own connection would not survive either
        version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
        )
        deadline = time.monotonic() + 30
        statuses = []
        while time.monotonic() < deadline:
            status, _ = server.get(page, cookie)
            statuses.append(status)
            if status == 200:
                break
            time.sleep(0.2)
        # The same gunicorn processes answer again: Django reconnects by itself; while
        # the database was away the answer was the Indonesian 503 page, never a 500.
        assert statuses[-1] == 200, statuses
        assert set(statuses) <= {200, 503}, statuses
        assert server.process.poll() is None


def test_an_unavailable_database_gets_the_503_page(rf):
    from django.db import OperationalError

    from zi_tracker.ops.health import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(
        rf.get("/tugas/"), OperationalError("connection refused")
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Layanan sedang tidak tersedia sebentar" in response.content.decode()
    assert middleware.process_exception(rf.get("/"), ValueError("lain")) is None
