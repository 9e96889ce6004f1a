"""Writing the answers of one connection to its app: whole, or a head and then the body in pieces.

The writer knows what the app can read (HTTP/1.1 chunks, or a body that ends with the connection for
HTTP/1.0) and whether the connection stays open after the answer; it waits while the app is behind.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from .body import AppGone
from .message import Headers


class AnswerWriter:
    """Writes to one app's connection; the front sets `transport`, and `keep_alive` and `http_11` per request."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.keep_alive = True
        self.http_11 = True
        self.closing = False
        """Set when the server stops, or bad bytes came behind requests: none is taken after those under way or
        queued, and the connection closes once they are answered."""
        self.refused = b""
        """A refusal to write once the answers due before it are: of bad bytes behind requests, or of the body of
        the request under way, unless that one is answered after all (one request, one answer)."""
        self._of_under_way = False
        self._answered = False
        self._writable: asyncio.Future[None] | None = None

    def begin(self, keep_alive: bool, http_11: bool) -> None:
        """Ready the writer for the answer to the next request, which keeps its connection open or not."""
        self.keep_alive, self.http_11, self._answered = keep_alive, http_11, False

    def defer(self, refusal: bytes, of_under_way: bool) -> None:
        """Write `refusal` once the answers due before it are written, then close: take no other request."""
        self.refused, self._of_under_way, self.closing = refusal, of_under_way, True

    def finish(self) -> None:
        """Write the refusal deferred, unless it refused the body of a request answered after all; then close."""
        if not (self._of_under_way and self._answered):
            self.write(self.refused)
        self.close()

    def pause(self) -> None:
        """Wait, from the next piece on, until the app has taken what was written (the transport is full)."""
        self._writable = asyncio.get_running_loop().create_future()

    def resume(self) -> None:
        """Let pieces be written again: the app has taken what was written, or is gone."""
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    def answer(
        self, status: int, reason: bytes, headers: Headers, body: bytes, head_only: bool = False, length: bool = False
    ) -> None:
        """Write a whole answer: `headers`, and a Content-Length if a body may follow and `length` says none is."""
        bodied = _may_have_body(status) and not head_only
        if bodied and not length and not any(name.lower() == b"content-length" for name, _ in headers):
            headers = [*headers, (b"content-length", b"%d" % len(body))]
        self.write(self._head(status, reason, headers) + (body if bodied else b""))

    def start(self, status: int, reason: bytes, headers: Headers, head_only: bool = False) -> bool:
        """Write the head of an answer whose body follows in pieces; return whether they go in chunks."""
        bodied = _may_have_body(status) and not head_only
        unframed = bodied and not any(name.lower() == b"content-length" for name, _ in headers)
        chunked = unframed and self.http_11
        if unframed and not chunked:
            # An HTTP/1.0 app reads no chunks (RFC 9112 6.1): the body ends with its connection.
            self.keep_alive = False
        self.write(self._head(status, reason, [*headers, (b"transfer-encoding", b"chunked")] if chunked else headers))
        return chunked

    async def send(self, chunk: bytes, chunked: bool) -> None:
        """Write a piece of an answer's body, waiting while the app is behind; raise AppGone once it has left."""
        if self.gone:
            raise AppGone
        if chunk:
            self.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
        if self._writable is not None:
            await self._writable

    def end(self, chunked: bool) -> None:
        """End an answer whose body went in pieces."""
        if chunked:
            self.write(b"0\r\n\r\n")

    @property
    def gone(self) -> bool:
        """Say whether the connection is closed or closing: nothing written reaches the app."""
        return self.transport is None or self.transport.is_closing()

    def write(self, data: bytes) -> None:
        """Write `data` to the app, unless it is gone."""
        transport = self.transport
        if transport is not None and not transport.is_closing():
            transport.write(data)

    def close(self) -> None:
        """Close the connection."""
        if self.transport is not None:
            self.transport.close()

    def _head(self, status: int, reason: bytes, headers: Headers) -> bytes:
        self._answered = True
        lines = [b"HTTP/1.1 %d %b\r\n" % (status, reason or _phrase(status))]
        lines += [b"%b: %b\r\n" % header for header in headers]
        if self.closing or not self.keep_alive:
            lines.append(b"connection: close\r\n")
        lines.append(b"\r\n")
        return b"".join(lines)


def _may_have_body(status: int) -> bool:
    return status >= 200 and status not in (204, 304)


def _phrase(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""
