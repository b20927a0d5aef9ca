"""Real servers for the notification tests: an SMTP server (aiosmtpd) and an HTTP server
standing in for the WhatsApp gateway, each on a free port of this machine."""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WIB)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kotak:
    """Collects what the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class Smtp:
    """A real SMTP server that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.kotak = Kotak()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.kotak, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """The SMTP server, running, and the app sending to it."""
    server = Smtp()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "ZI Tracker <zi@kpu.example.org>"
    yield server
    server.stop()


@dataclass
class Gerbang:
    """An HTTP server standing in for a WhatsApp gateway: records each request and answers
    with ``jawaban``."""

    port: int = 0
    requests: list[dict] = field(default_factory=list)
    jawaban: bytes = b'{"status": true}'
    kode: int = 200


@pytest.fixture
def gerbang():
    state = Gerbang()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body.decode()}
            )
            self.send_response(state.kode)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state.jawaban)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def json_body(request: dict) -> dict:
    return json.loads(request["body"])
