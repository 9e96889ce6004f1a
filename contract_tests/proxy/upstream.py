"""The proxy's client to the upstream: HTTP/1.1 on kept-alive asyncio connections, answers parsed by httptools.

Not httpx: in front of the mock at 64 connections it relayed 150-450 requests a second, each waiting
~300 ms in its pool (httpcore scans, and polls, every pooled connection for each request, and tries to
import sniffio again on each), where this relays as fast as uvicorn takes them. It needs no more than the
proxy does: one request at a time per connection, the body passed on as it comes both ways, the answer's
bytes untouched (chunked framing undone, as any client does, and content encodings left alone). An idle
connection is kept `IDLE_KEPT_S`; a request of a method that may be sent twice is, when its kept-alive
connection closes under it unanswered, and no other is.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .connection import UPSTREAM_TIMEOUT_S, Connection, Headers, NoAnswer

KEPT_ALIVE = 256
"""The most idle connections kept per upstream for the next request; any more are closed."""
IDLE_KEPT_S = 4.0
"""How long an idle connection is kept for the next request: less than the 5 s after which uvicorn and Node
close theirs, so that a request is not sent on a connection the upstream is closing."""
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
"""Methods whose requests may be sent twice (RFC 9110, 9.2.2): one is sent again on a new connection when a
kept-alive one closes under it before any answer (on the live API a POST may spend credits, so it never is)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an upstream URL's requests go: scheme, host and port, its Host header, and the path put before theirs."""

    tls: bool
    host: str
    port: int
    netloc: bytes
    path: bytes
    """The URL's path without its trailing slash ("" for none): an upstream behind a gateway's prefix keeps it."""

    @classmethod
    @functools.lru_cache(maxsize=16)  # one upstream in practice: its URL is not parsed again for each request
    def of(cls, url: str) -> Origin:
        """Return the origin of an http:// or https:// `url`."""
        parts = urlsplit(url)
        tls = parts.scheme == "https"
        port = parts.port or (443 if tls else 80)
        return cls(tls, parts.hostname or "", port, parts.netloc.encode("idna"), parts.path.rstrip("/").encode())


class Upstream:
    """Kept-alive connections to each upstream origin, one opened whenever none is idle."""

    def __init__(self, idle_kept_s: float = IDLE_KEPT_S, timeout_s: float = UPSTREAM_TIMEOUT_S) -> None:
        self.idle_kept_s, self.timeout_s = idle_kept_s, timeout_s
        self._idle: dict[Origin, list[Connection]] = {}
        self._open: set[Connection] = set()
        """Every connection not yet closed, so that none is left open when the proxy stops."""
        self._tls: ssl.SSLContext | None = None

    async def send(
        self, url: str, method: str, target: str, headers: Headers, body: bytes | AsyncIterable[bytes]
    ) -> Connection:
        """Send a request for `target` under the upstream `url`; return the connection its answer is read from, once in.

        `headers` are sent as given, after the Host; a body of unknown length (not bytes, no Content-Length)
        goes in chunks. Raise NoAnswer if the upstream gives none.
        """
        origin = Origin.of(url)
        lengths = [value for name, value in headers if name.lower() == b"content-length"]
        chunked = not isinstance(body, bytes) and not lengths
        path = origin.path + target.encode("latin-1")
        lines = [b"%b %b HTTP/1.1\r\nhost: %b\r\n" % (method.encode(), path, origin.netloc)]
        lines += [b"%b: %b\r\n" % header for header in headers]
        if chunked:
            lines.append(b"transfer-encoding: chunked\r\n")
        elif isinstance(body, bytes) and body and not lengths:
            lines.append(b"content-length: %d\r\n" % len(body))
        lines.append(b"\r\n")
        head, again = b"".join(lines), isinstance(body, bytes) and method in IDEMPOTENT
        while True:
            connection, reused = await self._connection(origin)
            try:
                await connection.send(head, body, chunked, method == "HEAD")
            except NoAnswer:
                connection.close()
                # A kept-alive connection the upstream closed as the request went out: it took none of it.
                if again and reused and connection.dropped and connection.untouched:
                    continue
                raise
            except BaseException:
                connection.close()
                raise
            return connection

    def release(self, url: str, connection: Connection) -> None:
        """Keep `connection` for the next request if its answer was read whole; else close it."""
        idle = self._idle.setdefault(Origin.of(url), [])
        if connection.reusable and len(idle) < KEPT_ALIVE:
            connection.idle_since = asyncio.get_running_loop().time()
            idle.append(connection)
        else:
            connection.close()

    async def _connection(self, origin: Origin) -> tuple[Connection, bool]:
        """Return a connection to `origin`, and whether it is a kept-alive one carrying its next request."""
        idle = self._idle.get(origin, [])
        loop = asyncio.get_running_loop()
        while idle:
            connection = idle.pop()  # the newest: if it has been idle too long, so have all the others
            if loop.time() - connection.idle_since > self.idle_kept_s:
                for stale in (connection, *idle):
                    stale.close()
                idle.clear()
            elif not connection.closed:
                return connection, True
        tls = None
        if origin.tls:
            tls = self._tls = self._tls or ssl.create_default_context()
        opening = loop.create_connection(lambda: Connection(self.timeout_s), origin.host, origin.port, ssl=tls)
        try:
            _, connection = await asyncio.wait_for(opening, self.timeout_s)
        except (OSError, TimeoutError) as exc:
            reason = "it took too long" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
            raise NoAnswer(f"cannot connect to {origin.host}:{origin.port}: {reason}") from None
        self._open.add(connection)
        connection.lost.add_done_callback(lambda _: self._open.discard(connection))
        return connection, False

    async def aclose(self) -> None:
        """Close every connection, and wait until each is closed."""
        self._idle.clear()
        open_now, self._open = self._open, set()
        for connection in open_now:
            connection.close()
        await asyncio.gather(*(connection.lost for connection in open_now))
