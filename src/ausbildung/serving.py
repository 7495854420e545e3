"""The gunicorn worker of `ausbildung serve`: threads, and a deadline for reading each request.

gunicorn's sync workers read a request in the one thread that also runs the application: four clients that
send half a request line hold two workers until their timeout, and the server answers nobody. The threaded
worker (`gthread`) waits for a connection's first bytes in its event loop, but once a thread reads the
request it blocks until the client sends the rest. This worker bounds that read:

- the request line and headers must arrive within REQUEST_HEADER_TIMEOUT seconds (default 10),
- the body within REQUEST_BODY_TIMEOUT seconds (default 120) after the headers.

A client that misses its deadline is disconnected; the thread serves the next request. Together with more
threads than workers (`--threads`), a handful of slow clients no longer stalls the platform. In production a
buffering reverse proxy (docs/deployment.md) takes the slow clients before they reach gunicorn at all.

After loading the application each worker moves what it loaded into the garbage collector's permanent
generation (`settle_heap`): a worker holds about 160,000 objects after start-up, and every full collection
walked all of them (37 ms on the bench VM), which a request that allocates much (a list of 200 apprentices)
triggered now and then: p95 137 ms against p50 67 ms before, 67 ms against 64 ms after
(bench/retention_nightly.py).
"""

from __future__ import annotations

import errno
import gc
import os
import socket
import time
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


class DeadlineSocket:
    """A client socket whose reads end at a deadline (an absolute `time.monotonic()` value, or None).

    Past the deadline, while the headers are read (`fail_as_eof`), a read returns b"" as if the client had
    closed the connection: gunicorn drops it quietly, nothing has reached the application. While the
    application reads the body, a read raises TimeoutError instead, and a closed connection raises
    ConnectionResetError: gunicorn would hand the application a truncated form as if it were complete
    (Django turns the error into an unreadable request with no form data).
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline: float | None = None
        self.fail_as_eof = True

    def _expired(self) -> bytes:
        if self.fail_as_eof:
            return b""
        raise TimeoutError("the request was not received in time")

    def recv(self, size: int, *args: Any) -> bytes:
        if self.deadline is None:
            return self._sock.recv(size, *args)
        data = self._recv_by_deadline(self.deadline, size, *args)
        if not data and not self.fail_as_eof:
            # The client closed its side in the middle of the body (a request body never ends with the
            # connection): an error, not the end of a shorter form.
            raise ConnectionResetError(errno.ECONNRESET, "the client closed the connection mid-request")
        return data

    def _recv_by_deadline(self, deadline: float, size: int, *args: Any) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return self._expired()
        prior = self._sock.gettimeout()
        self._sock.settimeout(remaining if prior is None else min(prior, remaining))
        try:
            return self._sock.recv(size, *args)
        except TimeoutError:
            return self._expired()
        finally:
            self._sock.settimeout(prior)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def settle_heap() -> None:
    """Load the URL configuration, then move every object so far into the permanent generation (gc.freeze):
    start-up objects live as long as the process, so later collections need not walk them again."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URL patterns now
    gc.collect()
    gc.freeze()


class DeadlineThreadWorker(ThreadWorker):
    """gunicorn's threaded worker with read deadlines per request (see the module docstring)."""

    def load_wsgi(self) -> None:
        super().load_wsgi()
        settle_heap()

    header_timeout = _seconds("REQUEST_HEADER_TIMEOUT", 10.0)
    body_timeout = _seconds("REQUEST_BODY_TIMEOUT", 120.0)

    # Connections handed to the thread pool and not finished yet (changed on the main thread only).
    in_flight = 0

    def enqueue_req(self, conn: TConn) -> None:
        # A new connection: wrap before its parser exists (gunicorn's own TLS wraps the raw socket itself;
        # the platform terminates TLS at the proxy).
        if not isinstance(conn.sock, DeadlineSocket) and not self.cfg.is_ssl:
            conn.sock = DeadlineSocket(conn.sock)
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: TConn, fs: Any) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)

    def accept(self, listener: Any) -> None:
        super().accept(listener)
        if self.in_flight >= self.cfg.threads:
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled: bool) -> None:
        # gunicorn accepts while it holds fewer connections than worker_connections (1000), and queues each
        # one for a thread. When slow clients hold every thread of this worker, a connection it accepts
        # waits for a deadline although the other workers are idle (seen: /api/v1/health answered only after
        # 2 s, when the first slow client was dropped). So a worker whose threads are all taken leaves new
        # connections in the listen queue, where another worker accepts them. The run loop asks again on each
        # turn (at least once a second, and whenever a thread finishes), and accept stops as soon as the last
        # thread is taken.
        super().set_accept_enabled(enabled and self.in_flight < self.cfg.threads)

    def handle(self, conn: TConn) -> Any:
        # The thread reads the next request line and headers from here on.
        self._set_deadline(conn, self.header_timeout, fail_as_eof=True)
        try:
            return super().handle(conn)
        finally:
            self._set_deadline(conn, None)

    def handle_request(self, req: Any, conn: TConn) -> bool:
        # The headers are in; the application reads the body while it runs.
        self._set_deadline(conn, self.body_timeout, fail_as_eof=False)
        return bool(super().handle_request(req, conn))

    @staticmethod
    def _set_deadline(conn: TConn, seconds: float | None, *, fail_as_eof: bool = True) -> None:
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.deadline = None if seconds is None else time.monotonic() + seconds
            conn.sock.fail_as_eof = fail_as_eof
