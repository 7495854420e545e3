"""Slow and oversized requests against `ausbildung serve` (real gunicorn on a loopback port).

Attack: one anonymous client opens a few connections and sends half a request line (or announces a body and
sends it a byte at a time). gunicorn's sync workers read each request in the worker that runs the
application, so four such connections held both workers and `/api/v1/health` did not answer for 12 s. A
POST of 304 MB was read and spooled to disk before the platform refused it.

Defence: `ausbildung serve` runs threaded workers whose reads have deadlines (ausbildung.serving:
REQUEST_HEADER_TIMEOUT, REQUEST_BODY_TIMEOUT), and a request announcing more than MAX_REQUEST_BODY bytes is
answered 413 from its headers (core.middleware.RequestBodyLimitMiddleware) before its body is read.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import run

HEADER_TIMEOUT = 2  # seconds, REQUEST_HEADER_TIMEOUT of the server under test
PROBE_PASSWORD = "probe-password-for-the-served-platform"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def _health(port: int, timeout: float) -> tuple[float, bytes]:
    """Seconds until /api/v1/health answered, and the start of its answer."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = sock.recv(64)
    return time.monotonic() - started, answer


def _still_open(sock: socket.socket) -> bool:
    """Whether the server has not closed this connection (nothing to read yet; no end of stream)."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


@pytest.fixture(scope="module")
def server(_migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`ausbildung serve` on a free port over a migrated SQLite copy; stopped after the module's tests."""
    folder = tmp_path_factory.mktemp("served")
    database = folder / "cli.sqlite3"
    shutil.copyfile(_migrated_template, database)
    created = run(
        ["manage", "createsuperuser", "--no-input", "--username", "probe", "--email", "probe@example.org"],
        folder,
        DJANGO_SUPERUSER_PASSWORD=PROBE_PASSWORD,
    )
    assert created.returncode == 0, created.stderr
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="test-secret-key-for-the-served-platform",
        WEB_CONCURRENCY="2",
        REQUEST_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        REQUEST_BODY_TIMEOUT=str(HEADER_TIMEOUT),
        LOG_LEVEL="WARNING",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "ausbildung.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if _health(port, 2)[1].startswith(b"HTTP/1.1 200"):
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("ausbildung serve did not come up within 30 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_half_open_and_slow_body_clients_do_not_stall_the_server(server):
    port = server
    attackers = []
    try:
        for _ in range(4):  # half a request line, never finished
            sock = _connect(port)
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            attackers.append(sock)
        for _ in range(4):  # a body announced, a few bytes of it sent
            sock = _connect(port)
            sock.sendall(
                b"POST /anmelden/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a"
            )
            attackers.append(sock)
        time.sleep(0.5)  # the server has picked them all up
        elapsed, answer = _health(port, timeout=5)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        # The answer came while the server still held all eight: none of them was dropped by its deadline
        # first (a stalled server answers only once the deadlines free its workers). This does not depend
        # on how fast a loaded machine is, as a time limit would.
        held = [sock for sock in attackers if _still_open(sock)]
        assert len(held) == len(attackers), (
            f"/api/v1/health answered after {elapsed:.2f} s, once {len(attackers) - len(held)} slow clients "
            "had been disconnected"
        )
    finally:
        for sock in attackers:
            sock.close()


def test_a_client_that_never_finishes_its_headers_is_disconnected(server):
    port = server
    with _connect(port) as sock:
        sock.settimeout(HEADER_TIMEOUT + 8)
        started = time.monotonic()
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = sock.recv(1024)  # blocks until the server gives up on us
        elapsed = time.monotonic() - started
    assert answer == b"", "the server closes the connection without answering"
    assert elapsed < HEADER_TIMEOUT + 6, f"held for {elapsed:.1f} s"


def test_an_oversized_body_is_refused_before_it_is_sent(server):
    port = server
    with _connect(port) as sock:
        sock.sendall(
            b"POST /anmelden/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 304000000\r\n\r\n--x\r\n"
        )
        answer = sock.recv(4096)  # only the headers and 5 bytes of the announced 304 MB were sent
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    _, health = _health(port, timeout=5)
    assert health.startswith(b"HTTP/1.1 200")


def test_a_body_that_stops_arriving_is_not_handed_on_truncated(server):
    """A login whose body stops short must not be read as the complete form it happens to look like."""
    port = server
    with _connect(port) as sock:
        sock.sendall(b"GET /anmelden/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        page = b""
        while chunk := sock.recv(65536):
            page += chunk
    token = re.search(rb"csrftoken=([A-Za-z0-9]+)", page)
    assert token is not None
    body = f"username=probe&password={PROBE_PASSWORD}".encode()
    request = (
        b"POST /anmelden/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Cookie: csrftoken=" + token.group(1) + b"\r\nX-CSRFToken: " + token.group(1) + b"\r\n"
        b"Content-Length: " + str(len(body) + 100).encode() + b"\r\n\r\n" + body
    )
    for close_early in (False, True):  # the client goes quiet, or closes its side of the connection
        with _connect(port) as sock:
            sock.settimeout(HEADER_TIMEOUT + 8)
            started = time.monotonic()
            sock.sendall(request)
            if close_early:
                sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(1024)
            elapsed = time.monotonic() - started
        # Read as a short form the body would sign "probe" in (302); the view gets no form data instead.
        assert answer.startswith(b"HTTP/1.1 200"), (close_early, answer[:100])
        assert elapsed < HEADER_TIMEOUT + 6, f"held for {elapsed:.1f} s"
