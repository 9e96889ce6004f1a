"""Running the app on uvicorn: in the foreground for the CLI, or in a background thread for tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import errno
import os
import signal
import socket
import threading
import time
from http import HTTPStatus
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .arguments import PROG
from .edges import edge_for
from .errors import BadRequest, HTTPError, RequestTimeout, UsageError
from .http.injection import ABORT_EXTENSION
from .limits import HEAD_TIMEOUT_S
from .wire import JSON_MEDIA_TYPE

_START_TIMEOUT_S = 10.0


def _log_config() -> dict[str, Any]:
    """Return uvicorn's logging setup, with each line it prints starting as every line of the command does."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["default"]["fmt"] = f"{PROG}: %(message)s"
    config["formatters"]["access"]["fmt"] = f'{PROG}: %(client_addr)s - "%(request_line)s" %(status_code)s'
    return config


def bind_socket(host: str = "127.0.0.1", port: int = 0, port_hint: str = "--port") -> socket.socket:
    """Bind a listening TCP socket, or raise UsageError saying why it cannot be had (`port_hint`: how to choose)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on host {host!r}: {exc.strerror}; give an address such as 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use; choose another with {port_hint}") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def refusal(error: HTTPError, headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """Return `error` as a whole HTTP/1.1 answer in JSON that closes the connection, `headers` first.

    For a stream that is not HTTP, or a head that did not come in time: there is no path to tell which
    edge it was for, so the root edge words it.
    """
    body = edge_for("").render(error)
    status = HTTPStatus(error.status_code)
    head = [b"HTTP/1.1 %d %s\r\n" % (status.value, status.phrase.encode())]
    head += [name + b": " + value + b"\r\n" for name, value in headers or []]
    head.append(
        b"content-type: %s\r\ncontent-length: %d\r\nconnection: close\r\n\r\n" % (JSON_MEDIA_TYPE.encode(), len(body))
    )
    return b"".join(head) + body


def not_http(problem: str) -> BadRequest:
    """Return the refusal of bytes that are not HTTP/1.1, the parser's `problem` first."""
    return BadRequest(f"{problem.rstrip('.')}: the bytes sent are not a valid HTTP/1.1 request.")


def head_too_slow(timeout_s: float) -> RequestTimeout:
    """Return the refusal of a request head that did not arrive whole within `timeout_s`."""
    return RequestTimeout(
        f"The request line and headers did not arrive within {timeout_s:g} seconds: "
        "send the whole request head at once."
    )


class _MockProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with drops for the app, JSON refusals and a timeout on request heads."""

    head_timeout_s = HEAD_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # One timer per connection, checking the time a head began: a timer armed and cancelled per
        # request would cost the hot path about as much as the mock's own work on it.
        self._head_since: float | None = self.loop.time()
        self._head_begun = False
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._check_head)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_timer.cancel()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Answer a stream that is not HTTP in the API's error shape, then close, as uvicorn does."""
        self._refuse(not_http(msg))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_since = self.loop.time()
        self._head_begun = True
        # ASGI has no message for "drop the connection"; the injected drop fault needs one.
        self.scope["extensions"] = {ABORT_EXTENSION: {"abort": self.transport.abort}}

    def on_headers_complete(self) -> None:
        self._head_since = None
        super().on_headers_complete()

    def _check_head(self) -> None:
        if self.transport.is_closing():
            return
        wait = self.head_timeout_s
        if self._head_since is not None:
            late = self.loop.time() - self._head_since - self.head_timeout_s
            answering = self.cycle is not None and not self.cycle.response_complete
            if late >= 0 and not answering:
                self._let_head_go()
                return
            # A pipelined head waits while the answer before it is written; it is checked again later.
            wait = -late if late < 0 else self.head_timeout_s
        self._head_timer = self.loop.call_later(wait, self._check_head)

    def _let_head_go(self) -> None:
        if not self._head_begun:
            # Nothing was sent: an idle or pre-opened connection is closed without an answer, since
            # a client that never asked (a browser opens connections ahead) may not expect one.
            self.transport.close()
            return
        self._refuse(head_too_slow(self.head_timeout_s))

    def _refuse(self, error: HTTPError) -> None:
        """Write `error` as a whole JSON answer, outside any ASGI cycle, and close the connection."""
        self.transport.write(refusal(error, self.server_state.default_headers))
        self.transport.close()


def make_server(
    app: ASGIApp, access_log: bool = False, head_timeout_s: float = HEAD_TIMEOUT_S, date_header: bool = True
) -> uvicorn.Server:
    """Return a uvicorn server for `app` on uvloop and httptools, quiet unless `access_log`.

    Without `date_header` uvicorn adds no `Date`: a proxy passes on the upstream's own.
    """

    class Protocol(_MockProtocol):
        """The protocol with this server's head timeout."""

    Protocol.head_timeout_s = head_timeout_s
    config = uvicorn.Config(
        app,
        loop="auto",
        http=Protocol,
        # The mock has no WebSocket route. With a WebSocket protocol, uvicorn answers a handshake itself
        # in plain text (403, or 400 when it is malformed) and never answers one that carries a body;
        # without one, it ignores the Upgrade header and the app answers the request in JSON.
        ws="none",
        # The store is opened in each worker process as it starts serving (Starlette's lifespan).
        lifespan="on",
        access_log=access_log,
        log_level="info" if access_log else "warning",
        log_config=_log_config(),
        server_header=False,
        date_header=date_header,
    )
    return uvicorn.Server(config)


def serve_forever(app: ASGIApp, sock: socket.socket, workers: int = 1, access_log: bool = False) -> None:
    """Serve `app` on `sock` until interrupted, in this process or in `workers` forked ones."""
    if workers == 1:
        make_server(app, access_log).run(sockets=[sock])
        return
    children: list[int] = []

    def forward(signum: int, frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    stops = {signal.SIGINT, signal.SIGTERM}
    # A stop that came between a fork and its child's pid being kept would leave that child serving
    # alone: stops wait (blocked) until every child is known, then reach them all.
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    for stop in stops:
        signal.signal(stop, forward)
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
            try:
                # Out of the terminal's process group: Ctrl-C reaches the parent alone, which passes it
                # on once; a second SIGINT would make uvicorn quit without finishing its requests.
                os.setpgid(0, 0)
                for stop in stops:
                    signal.signal(stop, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
                make_server(app, access_log).run(sockets=[sock])
            finally:
                os._exit(0)
        children.append(pid)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
    for child in children:
        os.waitpid(child, 0)


def base_url(sock: socket.socket) -> str:
    """Return the ``http://host:port`` URL of a bound socket, with no trailing slash."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@runtime_checkable
class Serving(Protocol):
    """A server as ServerThread drives it: uvicorn's, or the proxy's own."""

    started: bool
    should_exit: bool

    def run(self, sockets: list[socket.socket]) -> None:
        """Serve on `sockets` until `should_exit` is set."""
        ...


class ServerThread:
    """A real uvicorn serving `app` (or a `Serving` server) on 127.0.0.1 from a background thread; a context manager."""

    def __init__(
        self,
        app: ASGIApp | Serving,
        host: str = "127.0.0.1",
        port: int = 0,
        head_timeout_s: float = HEAD_TIMEOUT_S,
        date_header: bool = True,
    ) -> None:
        self._socket = bind_socket(host, port)
        self.url = base_url(self._socket)
        self._server: Serving
        if isinstance(app, Serving):
            self._server = app
        else:
            self._server = make_server(app, head_timeout_s=head_timeout_s, date_header=date_header)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="apiframe-mock", daemon=True
        )

    def start(self) -> ServerThread:
        """Start serving and return once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the mock server at {self.url} did not start")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(_START_TIMEOUT_S)
        self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
