"""Running the app under gunicorn the way production does, on 127.0.0.1 only: for the
load test and the fault tests. Production settings (debug off, WhiteNoise with collected
static files) except TLS, which nginx would add in front."""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The URL of the database this process uses (for the test database, its test name)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{quote(s['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


S3_SETTINGS = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
)


def evidence_storage_env() -> dict[str, str]:
    """The environment that gives another process this process's evidence store (the
    local folder, or the S3 bucket a test or the load test switched to)."""
    backend = settings.STORAGES["evidence"]["BACKEND"]
    if backend != settings.EVIDENCE_STORAGES["s3"]["BACKEND"]:
        return {"ZI_EVIDENCE_STORAGE": "local"}
    env = {
        "ZI_EVIDENCE_STORAGE": "s3",
        "ZI_EVIDENCE_S3_DOWNLOAD": settings.ZI_EVIDENCE_S3_DOWNLOAD,
    }
    env.update({name: getattr(settings, name) or "" for name in S3_SETTINGS})
    return env


def cache_env() -> dict[str, str]:
    """The environment that gives another process this process's caches: the same Redis
    and key prefix when they are shared (ZI_CACHE_URL), else its own memory cache."""
    config: dict[str, Any] = settings.CACHES["default"]
    if config["BACKEND"] != "zi_tracker.cache.RedisCache":
        return {"ZI_CACHE_URL": ""}
    return {
        "ZI_CACHE_URL": config["LOCATION"],
        "ZI_CACHE_PREFIX": config["KEY_PREFIX"].removesuffix(":c"),
    }


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (dead, waiting for its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class Server:
    """gunicorn serving this project against this process's database and evidence store."""

    def __init__(
        self,
        *,
        workers: int = 2,
        threads: int = 4,
        timeout: int = 60,
        static_root: Path | None = None,
        secret_key: str | None = None,
    ) -> None:
        """``static_root``: static files already collected for production (tests share
        one collection); without it they are collected into a temporary folder.
        ``secret_key``: another instance's, so sessions work on both behind one proxy."""
        self.port = free_port()
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.process: subprocess.Popen | None = None
        self.own_static = static_root is None
        self.static_root = static_root or Path(tempfile.mkdtemp(prefix="zi-static-"))
        self.log = Path(tempfile.mkstemp(prefix="zi-gunicorn-", suffix=".log")[1])
        self.secret_key = secret_key or secrets.token_urlsafe(50)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": self.secret_key,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_SSL_REDIRECT": "false",
                "DJANGO_SECURE_COOKIES": "false",
                "DJANGO_HSTS_SECONDS": "0",
                "DJANGO_CONN_MAX_AGE": "60",
                "DATABASE_URL": database_url(),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "STATIC_ROOT": str(self.static_root),
                "DJANGO_LOG_LEVEL": "WARNING",
                # The load test's users log in once each; their password hashing is not
                # what is measured, and lockouts would only get in the way.
                "ZI_LOGIN_THROTTLE": "false",
            }
        )
        env.update(evidence_storage_env())
        env.update(cache_env())
        return env

    def __enter__(self) -> Server:
        env = self.env()
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        if self.own_static:
            subprocess.run(
                [sys.executable, manage, "collectstatic", "--noinput", "-v0"], env=env, check=True
            )
        self._log_handle = open(self.log, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "zi_tracker.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--threads={self.threads}",
                f"--timeout={self.timeout}",
                "--graceful-timeout=5",
                # The app is loaded and warmed once, in the master, before the workers are
                # forked (see zi_tracker/wsgi.py): a worker, new or replacing a dead one,
                # serves at once instead of importing and compiling for seconds while the
                # first users wait, and the workers share those pages of memory.
                "--preload",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-2000:]}")
            if self.get("/sehat/")[0] == 200:
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_handle.close()
        if self.own_static:
            shutil.rmtree(self.static_root, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once, as a machine that dies would:
        no graceful shutdown, requests in flight are cut off."""
        assert self.process is not None
        workers = self.worker_pids()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        # Until the last worker is gone its copy of the listening socket still takes
        # connections into the backlog, where they are reset.
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers):
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn workers {workers} did not die")
            time.sleep(0.02)

    def process_ids(self) -> list[int]:
        """The master and its workers."""
        assert self.process is not None
        return [self.process.pid, *self.worker_pids()]

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the gunicorn master)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def get(self, path: str, cookie: str = "") -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, response.read()
        except OSError:
            return 0, b""
        finally:
            conn.close()
