"""A real S3-protocol server on this machine for the tests and the load test: moto's
server mode (``moto[server]``, a development dependency) in a thread of this process,
listening on 127.0.0.1 at a free port. The app talks to it over HTTP exactly as it would
to MinIO, Ceph or a cloud: signed requests, multipart uploads, signed URLs.

    with moto_s3() as env:        # {"ZI_EVIDENCE_STORAGE": "s3", "AWS_…": …}
        ...                       # the bucket env["AWS_STORAGE_BUCKET_NAME"] exists

``env`` holds the same environment variables an operator sets (README, "Several
servers: object storage"), so it can be given to a gunicorn process as it is, or put
into Django's settings with ``apply_to_settings``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

REGION = "us-east-1"
ACCESS_KEY = "zi-uji"
SECRET_KEY = "zi-uji-rahasia"
START_SECONDS = 10


class S3ServerUnavailable(RuntimeError):
    """moto is not installed, or its server did not start."""


def client(env: dict[str, str]) -> Any:
    """A boto3 S3 client for the server ``env`` describes."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_S3_REGION_NAME"],
    )


def create_bucket(env: dict[str, str], name: str) -> None:
    client(env).create_bucket(Bucket=name)


def apply_to_settings(env: dict[str, str], settings: Any, *, bucket: str | None = None) -> None:
    """Point Django's settings (``django.conf.settings``, or pytest-django's ``settings``
    fixture, which undoes it after the test) at the server: the AWS_* names, then the
    evidence storage (changing STORAGES makes Django build the storage anew)."""
    for name, value in env.items():
        if name.startswith("AWS_"):
            setattr(settings, name, value)
    if bucket is not None:
        settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.STORAGES = {**settings.STORAGES, "evidence": settings.EVIDENCE_STORAGES["s3"]}


def _env(port: int, bucket: str) -> dict[str, str]:
    return {
        "ZI_EVIDENCE_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_REGION_NAME": REGION,
    }


@contextmanager
def moto_s3_process(bucket: str = "zi-bukti") -> Iterator[dict[str, str]]:
    """Like ``moto_s3`` but the server runs in its own process (``python -m moto.server``),
    as a real S3 server would: the load test's users and the server do not share this
    process's interpreter lock. Its request log goes to a temporary file."""
    import socket
    import subprocess
    import sys
    import tempfile
    import time

    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        raise S3ServerUnavailable(
            f"moto[server] tidak terpasang ({exc}); pasang dependensi dev: pip install -e '.[dev]'"
        ) from None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryFile(prefix="zi-moto-") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise S3ServerUnavailable("server S3 (moto) tidak dapat dimulai") from None
                    time.sleep(0.1)
            env = _env(port, bucket)
            create_bucket(env, bucket)
            yield env
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def moto_s3(bucket: str = "zi-bukti") -> Iterator[dict[str, str]]:
    """Start moto's S3 server, create ``bucket``, yield the environment pointing at it;
    stop the server on leaving. Raises S3ServerUnavailable when it cannot start."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        raise S3ServerUnavailable(
            f"moto[server] tidak terpasang ({exc}); pasang dependensi dev: pip install -e '.[dev]'"
        ) from None

    class Server(ThreadedMotoServer):
        """ThreadedMotoServer whose start() does not wait forever when binding fails."""

        error: BaseException | None = None

        def _server_entry(self) -> None:
            try:
                super()._server_entry()
            except BaseException as exc:
                self.error = exc
                self._server_ready_event.set()

    # Every request would be logged at INFO by werkzeug.
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    server = Server(ip_address="127.0.0.1", port=0, verbose=False)
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(START_SECONDS)
    if starter.is_alive() or server.error is not None or server._server is None:
        werkzeug_log.setLevel(level)
        raise S3ServerUnavailable(f"server S3 (moto) tidak dapat dimulai: {server.error}")
    try:
        env = _env(server.get_host_and_port()[1], bucket)
        create_bucket(env, bucket)
        yield env
    finally:
        server.stop()
        werkzeug_log.setLevel(level)
