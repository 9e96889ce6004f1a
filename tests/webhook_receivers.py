"""Real webhook receivers on 127.0.0.1: a scripted HTTP app, a raw TCP answerer, one that hangs, a closed port."""

from __future__ import annotations

import socket
import struct
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver import ServerThread
from mockserver.http.inbox import Inbox, receiver_route

RECEIVER_PATH = "/hook"


@dataclass(frozen=True)
class Receiver:
    """A running receiver: its URL and what it was sent."""

    url: str
    inbox: Inbox


@contextmanager
def receiving(statuses: tuple[int, ...] = ()) -> Iterator[Receiver]:
    """Serve the package's own receiver at /hook, and at /flaky one that answers `statuses` in turn, then 200."""
    inbox = Inbox()
    script = deque(statuses)
    keep = receiver_route(inbox, RECEIVER_PATH).endpoint

    async def flaky(request: Request) -> Response:
        await keep(request)
        return Response(b"{}", script.popleft() if script else 200)

    app = Starlette(routes=[receiver_route(inbox, RECEIVER_PATH), Route("/flaky", flaky, methods=["POST"])])
    with ServerThread(app) as server:
        yield Receiver(server.url, inbox)


class RawReceiver:
    """Answers each connection with `answer` after reading its request, then closes it (after `hold_s`) or resets it."""

    def __init__(self, answer: bytes, reset: bool = False, hold_s: float = 0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests: list[bytes] = []
        self._answer = answer
        self._reset = reset
        self._hold_s = hold_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                self.requests.append(read_request(connection))
                connection.sendall(self._answer)
                self._stop.wait(self._hold_s)
                if self._reset:
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def read_request(connection: socket.socket) -> bytes:
    """Read one request: its head, then as many body bytes as its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line[15:]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length: "))
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


@contextmanager
def hanging() -> Iterator[str]:
    """A port that takes connections (the kernel's backlog accepts them) and never answers; yields its URL."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"


def closed_port_url() -> str:
    """Return the URL of a loopback port that nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
