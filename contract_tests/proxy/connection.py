"""One connection to the upstream, as the proxy uses it: one exchange at a time, the answer parsed by httptools.

It wakes the proxy once per answer, when it is whole (the proxy holds an answer back to judge it), and
reads no further ahead of the app than `BUFFERED` bytes; an answer that breaks off, or is not HTTP, or
does not come in time, is `NoAnswer`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any, cast

import httptools

UPSTREAM_TIMEOUT_S = 120.0
"""How long the upstream may take to connect, to take a piece of a request body, to answer whole (or
`BUFFERED` bytes of it), or between two reads of a longer answer, before it counts as no answer."""
BUFFERED = 256 << 10
"""The most answer bytes read ahead of the app: past it the proxy reads no more until the app has taken them."""

Headers = list[tuple[bytes, bytes]]


class NoAnswer(Exception):
    """The upstream gave no whole answer: refused, dropped, not HTTP, or too slow; `problem` says which."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class Connection(asyncio.Protocol):
    """One connection to the upstream, carrying one exchange at a time; httptools calls its `on_*` methods."""

    def __init__(self, timeout_s: float = UPSTREAM_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.dropped = False
        """The upstream closed the connection (the proxy did not)."""
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Done once the connection is closed."""
        self._writable: asyncio.Future[None] | None = None
        self._settling: asyncio.Future[None] | None = None
        """Done once the answer is `_settled`, while a body waits to be sent."""
        self._timer: asyncio.TimerHandle | None = None
        self._deadline = 0.0
        self.idle_since = 0.0
        """When the connection last finished an exchange (the loop's clock)."""
        self._begin(False)

    def _begin(self, head_only: bool) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self.status = 0
        self.reason = b""
        self.headers: Headers = []
        self._head = False
        self.untouched = True
        """No byte of the answer has come: the upstream may not have taken the request at all."""
        self.done = False
        self._keep_alive = False
        self._eager = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._error: NoAnswer | None = None
        self._waiter: asyncio.Future[None] | None = None

    async def send(self, head: bytes, body: bytes | AsyncIterable[bytes], chunked: bool, head_only: bool) -> None:
        """Send one request (its body in chunks if `chunked`); return once the answer is whole, or `BUFFERED` of it.

        The proxy holds an answer back until it is whole anyway, to judge it: waking for its head, then
        for each piece of its body, would cost a turn of the loop each and tell nothing.
        """
        assert self.transport is not None
        self._begin(head_only)
        if isinstance(body, bytes):
            self.transport.write(head + body)
        else:
            self.transport.write(head)
            if not await self._send_body(aiter(body), chunked):
                self._keep_alive = False  # the request was cut off on it: the connection carries no other
        while not (self.done or self._buffered > BUFFERED):
            try:
                await self._wait()
            except NoAnswer:
                if not self._head:
                    raise
                return  # the head came, and `read` tells the app the answer was broken off

    async def _send_body(self, pieces: AsyncIterator[bytes], chunked: bool) -> bool:
        """Send a body as the app sends it; return whether it went whole, not cut short by the upstream.

        An upstream may answer before the body is whole (a 413, or its own 408 for an app that stalls), and
        close or not: its answer is what the app must get, so the rest of the body is not waited for.
        """
        assert self.transport is not None
        while True:
            following = asyncio.ensure_future(anext(pieces, None))
            if not await self._until(following):
                _forget(following)
                return False
            piece = following.result()
            if piece is None:
                break
            self.transport.write(b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece)
            if self._writable is not None and not await self._until(self._writable, self.timeout_s):
                if not self._settled:
                    self._fail(f"the upstream took none of the request body for {self.timeout_s:g} s")
                return False
        if chunked:
            self.transport.write(b"0\r\n\r\n")
        return True

    async def _until(self, event: asyncio.Future[Any], timeout_s: float | None = None) -> bool:
        """Wait for `event`; return False instead once the answer is `_settled` or `timeout_s` up."""
        if not (event.done() or self._settled):
            settling = self._settling = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait((event, settling), timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
            finally:
                self._settling = None
        return event.done() and not self._settled

    @property
    def _settled(self) -> bool:
        """Whether the answer is whole, or in as far as the proxy reads ahead of the app, or the connection closed."""
        # An answer longer than `BUFFERED` is read no further until the app takes it: waiting on for the rest of
        # the body would keep it from the app, which may be waiting for it before it sends more (or never will).
        return self.done or self.closed or self._buffered > BUFFERED

    async def read(self, limit: int) -> tuple[bytes, bool]:
        """Return the answer's body up to just past `limit` bytes, and whether that is all of it."""
        if self.done and len(self._chunks) == 1 and self._buffered <= limit:
            return self._take(), True  # the usual answer: whole, in one piece, and no copy of it made
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
        self._eager = True
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
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        # One timer per connection, checking a deadline each wait moves on: a timer armed and cancelled
        # per wait cost more than the rest of relaying a small answer.
        self._deadline = loop.time() + self.timeout_s
        if self._timer is None:
            self._timer = loop.call_at(self._deadline, self._check_time)
        try:
            await waiter
        finally:
            self._waiter = None
        if self._error is not None:
            raise self._error

    def _check_time(self) -> None:
        self._timer = None
        if self._waiter is None or self.closed:
            return  # nothing is awaited: the next wait arms the timer again
        if self._waiter.get_loop().time() >= self._deadline:
            self._time_out()
        else:
            self._timer = self._waiter.get_loop().call_at(self._deadline, self._check_time)

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        settling = self._settling
        if settling is not None and not settling.done() and self._settled:
            settling.set_result(None)

    def _fail(self, problem: str) -> None:
        if not self.done and self._error is None:
            self._error = NoAnswer(problem)
        self.close()
        self._wake()

    def _time_out(self) -> None:
        self._fail(f"no answer within {self.timeout_s:g} s")

    def close(self) -> None:
        """Close the connection, dropping what is not yet sent: it carries no other request."""
        self.closed = True
        if self.transport is not None:
            # Not close(): that waits to send what is written first, for ever if the upstream reads no more.
            self.transport.abort()

    @property
    def reusable(self) -> bool:
        """Say whether the answer is whole and the connection may carry the next request."""
        return self.done and self._keep_alive and not self.closed

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are no subclass of asyncio's

    def data_received(self, data: bytes) -> None:
        self.untouched = False
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(f"the answer is not HTTP: {exc}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.dropped, self.closed = not self.closed, True
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

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if status < 200:
            self.headers, self.reason = [], b""  # an interim answer (100 Continue): the app gets the final one only
            return
        self.status, self._head = status, True
        # The parser forgets whether the connection stays open once the answer is complete: ask it now.
        self._keep_alive = self._parser.should_keep_alive()
        self.done = self._head_only
        if self.done:
            self._wake()

    def on_body(self, body: bytes) -> None:
        if self._head_only:
            return
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > BUFFERED and self.transport is not None:
            self.transport.pause_reading()
            self._wake()
        elif self._eager:
            self._wake()

    def on_message_complete(self) -> None:
        if self._head:
            self.done = True
            self._wake()


def _forget(task: asyncio.Future[Any]) -> None:
    """Cancel `task`, or take its outcome if it has one, so that no exception of it goes unretrieved."""
    if not task.done():
        task.cancel()
    elif not task.cancelled():
        task.exception()
