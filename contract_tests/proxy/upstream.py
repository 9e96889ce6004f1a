"""The proxy's client to the upstream: HTTP/1.1 on kept-alive asyncio connections, answers parsed by httptools.

Not httpx: in front of the mock at 64 connections it relayed 150-450 requests a second, each waiting
~300 ms in its pool (httpcore scans, and polls, every pooled connection for each request, and tries to
import sniffio again on each), where this relays as fast as uvicorn takes them. It needs no more than the
proxy does: one request at a time per connection, the body passed on as it comes both ways, the answer's
bytes untouched (chunked framing undone, as any client does, and content encodings left alone).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools

UPSTREAM_TIMEOUT_S = 120.0
"""How long the upstream may take to connect, or between two reads, before it counts as no answer."""
KEPT_ALIVE = 256
"""The most idle connections kept per upstream for the next request; any more are closed."""
BUFFERED = 256 << 10
"""The most answer bytes read ahead of the app: past it the proxy reads no more until the app has taken them."""

Headers = list[tuple[bytes, bytes]]


class NoAnswer(Exception):
    """The upstream gave no whole answer: refused, dropped, not HTTP, or too slow; `problem` says which."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an upstream URL's requests go: scheme, host and port, and its Host header."""

    tls: bool
    host: str
    port: int
    netloc: bytes

    @classmethod
    @functools.lru_cache(maxsize=16)  # one upstream in practice: its URL is not parsed again for each request
    def of(cls, url: str) -> Origin:
        """Return the origin of an http:// or https:// `url`."""
        parts = urlsplit(url)
        tls = parts.scheme == "https"
        return cls(tls, parts.hostname or "", parts.port or (443 if tls else 80), parts.netloc.encode("idna"))


class Connection(asyncio.Protocol):
    """One connection to the upstream, carrying one exchange at a time; httptools calls its `on_*` methods."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Done once the connection is closed."""
        self._writable: asyncio.Future[None] | None = None
        self._begin(False)

    def _begin(self, head_only: bool) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self.status = 0
        self.headers: Headers = []
        self._head = False
        self.done = False
        self._keep_alive = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._error: NoAnswer | None = None
        self._waiter: asyncio.Future[None] | None = None

    async def send(self, head: bytes, body: bytes | AsyncIterable[bytes], chunked: bool, head_only: bool) -> None:
        """Send one request (the body framed in chunks if `chunked`) and wait for its answer's status and headers."""
        assert self.transport is not None
        self._begin(head_only)
        if isinstance(body, bytes):
            self.transport.write(head + body)
        else:
            self.transport.write(head)
            async for chunk in body:
                self.transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
                if self._writable is not None:
                    await self._writable
            if chunked:
                self.transport.write(b"0\r\n\r\n")
        while not self._head:
            await self._wait()

    async def read(self, limit: int) -> tuple[bytes, bool]:
        """Return the answer's body up to just past `limit` bytes, and whether that is all of it."""
        held = bytearray()
        while len(held) <= limit:
            if self._chunks:
                held += self._take()
            elif self.done:
                return bytes(held), True
            else:
                await self._wait()
        return bytes(held), False

    async def rest(self) -> AsyncIterator[bytes]:
        """Yield the rest of the answer's body as it comes."""
        while True:
            if self._chunks:
                yield self._take()
            elif self.done:
                return
            else:
                await self._wait()

    def _take(self) -> bytes:
        chunk = self._chunks.popleft()
        self._buffered -= len(chunk)
        if self._buffered <= BUFFERED // 2 and self.transport is not None and not self.closed:
            self.transport.resume_reading()
        return chunk

    async def _wait(self) -> None:
        if self._error is not None:
            raise self._error
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        timer = waiter.get_loop().call_later(UPSTREAM_TIMEOUT_S, self._time_out)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None
        if self._error is not None:
            raise self._error

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _fail(self, problem: str) -> None:
        if not self.done and self._error is None:
            self._error = NoAnswer(problem)
        self.close()
        self._wake()

    def _time_out(self) -> None:
        self._fail(f"no answer within {UPSTREAM_TIMEOUT_S:g} s")

    def close(self) -> None:
        """Close the connection: it carries no other request."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    @property
    def reusable(self) -> bool:
        """Say whether the answer is whole and the connection may carry the next request."""
        return self.done and self._keep_alive and not self.closed

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are no subclass of asyncio's

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(f"the answer is not HTTP: {exc}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.lost.done():
            self.lost.set_result(None)
        if self._head and not self.done and not self._framed():
            self.done = True  # an answer with neither length nor chunks ends where the connection does
        self._fail(f"the upstream closed the connection before its answer was whole{f' ({exc})' if exc else ''}")
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    def _framed(self) -> bool:
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" in names or b"transfer-encoding" in names

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if status < 200:
            self.headers = []  # an interim answer (100 Continue): the app gets the final one only
            return
        self.status, self._head = status, True
        # The parser forgets whether the connection stays open once the answer is complete: ask it now.
        self._keep_alive = self._parser.should_keep_alive()
        self.done = self._head_only
        self._wake()

    def on_body(self, body: bytes) -> None:
        if self._head_only:
            return
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > BUFFERED and self.transport is not None:
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._head:
            self.done = True
            self._wake()


class Upstream:
    """Kept-alive connections to each upstream origin, one opened whenever none is idle."""

    def __init__(self) -> None:
        self._idle: dict[Origin, list[Connection]] = {}
        self._open: set[Connection] = set()
        """Every connection not yet closed, so that none is left open when the proxy stops."""
        self._tls: ssl.SSLContext | None = None

    async def send(
        self, url: str, method: str, target: str, headers: Headers, body: bytes | AsyncIterable[bytes]
    ) -> Connection:
        """Send a request to the upstream at `url`; return the connection its answer is read from, once its head is in.

        `headers` are sent as given, after the Host; a body of unknown length (not bytes, no Content-Length)
        goes in chunks. Raise NoAnswer if the upstream gives none.
        """
        origin = Origin.of(url)
        connection = await self._connection(origin)
        lengths = [value for name, value in headers if name.lower() == b"content-length"]
        chunked = not isinstance(body, bytes) and not lengths
        lines = [b"%b %b HTTP/1.1\r\nhost: %b\r\n" % (method.encode(), target.encode("latin-1"), origin.netloc)]
        lines += [b"%b: %b\r\n" % header for header in headers]
        if chunked:
            lines.append(b"transfer-encoding: chunked\r\n")
        elif isinstance(body, bytes) and body and not lengths:
            lines.append(b"content-length: %d\r\n" % len(body))
        lines.append(b"\r\n")
        try:
            await connection.send(b"".join(lines), body, chunked, method == "HEAD")
        except BaseException:
            connection.close()
            raise
        return connection

    def release(self, url: str, connection: Connection) -> None:
        """Keep `connection` for the next request if its answer was read whole; else close it."""
        idle = self._idle.setdefault(Origin.of(url), [])
        if connection.reusable and len(idle) < KEPT_ALIVE:
            idle.append(connection)
        else:
            connection.close()

    async def _connection(self, origin: Origin) -> Connection:
        idle = self._idle.get(origin, [])
        while idle:
            connection = idle.pop()
            if not connection.closed:
                return connection
        tls = None
        if origin.tls:
            tls = self._tls = self._tls or ssl.create_default_context()
        loop = asyncio.get_running_loop()
        opening = loop.create_connection(Connection, origin.host, origin.port, ssl=tls)
        try:
            _, connection = await asyncio.wait_for(opening, UPSTREAM_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            reason = "it took too long" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
            raise NoAnswer(f"cannot connect to {origin.host}:{origin.port}: {reason}") from None
        self._open.add(connection)
        connection.lost.add_done_callback(lambda _: self._open.discard(connection))
        return connection

    async def aclose(self) -> None:
        """Close every connection, and wait until each is closed."""
        self._idle.clear()
        open_now, self._open = self._open, set()
        for connection in open_now:
            connection.close()
        await asyncio.gather(*(connection.lost for connection in open_now))
