"""A small least-connections TCP proxy on 127.0.0.1, standing where nginx or a load balancer
stands in front of several app servers: for the load test and the fault tests with two
gunicorn instances.

Each client connection goes to the instance with the fewest connections open (in turn
when they are even). An instance that refuses the
connection (stopped, killed) is skipped and left out for ``DOWN_SECONDS``; the connection
goes to the next one, so a client never sees a dead instance once it is known dead. A
request already inside an instance when it dies is lost with it (the client sees the
connection drop), as behind any proxy: a form is never sent twice on the client's behalf.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from typing import Any

DOWN_SECONDS = 5.0
CONNECT_SECONDS = 1.0
CHUNK = 64 * 1024
BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\nContent-Length: 33\r\n\r\nTidak ada server aplikasi aktif.\n"
)


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes until ``source`` ends, then end ``target``'s sending side."""
    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


class Proxy:
    """``with Proxy([port_a, port_b]) as proxy:`` listens on ``proxy.port``."""

    def __init__(self, backends: list[int]) -> None:
        if not backends:
            raise ValueError("A proxy needs at least one backend port.")
        self.backends = list(backends)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.served: Counter[int] = Counter()  # backend port -> connections given to it
        self.refused: Counter[int] = Counter()  # backend port -> connections it refused
        self._down_until: dict[int, float] = {}
        self._busy: Counter[int] = Counter()  # backend port -> connections open to it now
        self._next = 0
        self._lock = threading.Lock()
        self._stopping = False

    def __enter__(self) -> Proxy:
        self.listener.listen(256)
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self.listener.close()

    def _order(self) -> list[int]:
        """The backends to try for the next connection: live ones first, the one with the
        fewest connections open first (nginx's ``least_conn``: a slow answer on one
        instance does not queue the next requests behind it), ties in turn."""
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % len(self.backends)
            ring = self.backends[start:] + self.backends[:start]
            now = time.monotonic()
            live = sorted(
                (port for port in ring if self._down_until.get(port, 0.0) <= now),
                key=lambda port: self._busy[port],
            )
            return live + [port for port in ring if port not in live]

    def _connect(self) -> tuple[socket.socket, int] | None:
        for port in self._order():
            try:
                upstream = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_SECONDS)
            except OSError:
                with self._lock:
                    self.refused[port] += 1
                    self._down_until[port] = time.monotonic() + DOWN_SECONDS
                continue
            upstream.settimeout(None)
            with self._lock:
                self.served[port] += 1
                self._busy[port] += 1
                self._down_until.pop(port, None)
            return upstream, port
        return None

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        found = self._connect()
        if found is None:
            with contextlib.suppress(OSError):
                client.sendall(BAD_GATEWAY)
            client.close()
            return
        upstream, port = found
        try:
            back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
            back.start()
            _pump(client, upstream)
            back.join()
        finally:
            client.close()
            upstream.close()
            with self._lock:
                self._busy[port] -= 1
