"""The load test's proxy on real sockets: a new connection goes to the instance with the
fewest connections open, and a refused instance is skipped."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from zi_tracker.devtools.proxy import Proxy


class Backend:
    """A TCP server that answers each connection with its own name once the client has
    sent a line, and keeps every connection it accepted until told to stop."""

    def __init__(self, name: bytes) -> None:
        self.name = name
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        """The name once asked, then the connection held until the client ends it."""
        with conn:
            if conn.recv(100):
                conn.sendall(self.name)
            while conn.recv(100):
                pass

    def close(self) -> None:
        # Shut down first: a plain close leaves the socket listening while the accepting
        # thread is blocked on it.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()


def _open(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def _ask(conn: socket.socket) -> bytes:
    conn.sendall(b"hallo\n")
    return conn.recv(100)


def _settled(proxy: Proxy, port: int, busy: int) -> None:
    """Wait until the proxy has seen its connections to ``port`` end down to ``busy``."""
    for _ in range(500):
        if proxy._busy[port] == busy:
            return
        time.sleep(0.01)
    raise AssertionError(f"the proxy still counts {proxy._busy[port]} open on {port}")


def test_a_new_connection_goes_to_the_instance_with_fewest_open():
    a, b = Backend(b"A"), Backend(b"B")
    ports = {b"A": a.port, b"B": b.port}
    try:
        with Proxy([a.port, b.port]) as proxy:
            slow = _open(proxy.port)  # a slow request, held open on one instance
            busy = _ask(slow)
            other = b"B" if busy == b"A" else b"A"
            quick = _open(proxy.port)
            assert _ask(quick) == other
            quick.close()
            _settled(proxy, ports[other], 0)
            # In turn it would be the busy one's; the idle one has fewer open.
            with _open(proxy.port) as nxt:
                assert _ask(nxt) == other
            slow.close()
            _settled(proxy, ports[busy], 0)
            assert proxy.served[a.port] + proxy.served[b.port] == 3
    finally:
        a.close()
        b.close()


def test_a_refused_instance_is_skipped():
    a, b = Backend(b"A"), Backend(b"B")
    b.close()  # stopped: connections to it are refused
    try:
        with Proxy([a.port, b.port]) as proxy:
            for _ in range(3):
                with _open(proxy.port) as conn:
                    assert _ask(conn) == b"A"
            assert proxy.refused[b.port] == 1  # then left out for DOWN_SECONDS
    finally:
        a.close()
