"""The proxy's side facing the apps: HTTP/1.1 parsed by httptools, each request handed whole to the proxy.

Not uvicorn: an ASGI cycle (a scope, a task and message dicts per request) cost the proxy more than the
mock spends answering, and the proxy needs none of it to relay bytes. One worker per connection takes its
requests in turn, pipelined ones queued; a short body is read whole first, a longer one streamed, reading
paused while the upstream is behind. A late head, a body stalled past any upstream's patience, or bytes
that are not HTTP get the mock's own refusal; an idle connection is closed.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from typing import cast

import httptools

from mockserver.arguments import PROG
from mockserver.errors import BadRequest, HTTPError
from mockserver.numbers import whole_number
from mockserver.server import head_too_slow, not_http, refusal

from .answers import AnswerWriter
from .body import BodyStream
from .limits import MAX_HEAD, QUEUED, REQUEST_KEPT, Pace, Timeouts
from .message import Headers, Incoming, target_of

_FRAMING = frozenset({b"content-length", b"transfer-encoding", b"expect"})


Handler = Callable[[Incoming, AnswerWriter], Awaitable[None]]
"""What answers a request, through the writer's `answer`, `start`, `send` and `end`."""


class Front(asyncio.Protocol):
    """One connection from an app; `handler` answers each of its requests in turn."""

    def __init__(self, handler: Handler, connections: set[Front], timeouts: Timeouts) -> None:
        self._handler = handler
        self._connections = connections
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpRequestParser(self)
        self._loop = asyncio.get_running_loop()
        self._queue: deque[Incoming] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._url = b""
        self._headers: Headers = []
        self._body: bytearray | BodyStream = bytearray()
        self._busy = False
        self._held = {"queue": False, "body": False, "ended": False}
        self._pace = Pace(timeouts, self._loop.time())
        self._body_size = 0
        self._in_message = False
        """Set from a request's first byte to its last: a connection taking a body in is not idle."""
        self._head_size = 0
        self._framing: dict[bytes, bytes] = {}
        """The headers of the request being read that say how its body comes, and Expect."""
        self._timer = self._loop.call_later(timeouts.shortest, self._check_time)
        self.out = AnswerWriter()
        """Where the answers go: the handler writes each through it."""
        self.worker: asyncio.Task[None] | None = None

    # The transport's side.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are no subclass of asyncio's
        self.out.transport = self.transport
        self._connections.add(self)
        self.worker = self._loop.create_task(self._work())

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._upgrade_asked()
        except httptools.HttpParserError as exc:
            self._refuse(not_http(str(exc)))

    def _upgrade_asked(self) -> None:
        """Answer a request for another protocol in HTTP/1.1 (as uvicorn did `curl --http2`'s h2c), or refuse it."""
        asked = self._queue[-1] if self._queue and self._queue[-1].headers is self._headers else None
        if asked is not None and asked.upgrade_relayable:
            asked.keep_alive = False  # the parser takes nothing after an upgrade: this request is the last one
            self.hold_reading(True, "ended")
            return
        if asked is not None:
            self._queue.pop()  # queued once whole, but refused: it never reaches the upstream
        self._refuse(BadRequest("the proxy relays no protocol upgrade (WebSocket): send plain HTTP/1.1."))

    def connection_lost(self, exc: Exception | None) -> None:
        self._timer.cancel()
        self._connections.discard(self)
        if isinstance(self._body, BodyStream):
            self._body.end(gone=True)
        for incoming in self._queue:
            if isinstance(incoming.body, BodyStream):
                incoming.body.end(gone=True)
        self._queue.clear()  # nobody is left to answer: an app's request must not reach the upstream unasked
        if self.worker is not None and not self._busy:
            self.worker.cancel()
        self.out.resume()
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def pause_writing(self) -> None:
        self.out.pause()

    def resume_writing(self) -> None:
        self.out.resume()

    def hold_reading(self, hold: bool, why: str = "body") -> None:
        """Pause reading from the app (or resume, once nothing else holds it) while its bytes cannot be taken."""
        if self._held[why] is hold:
            return
        self._held[why] = hold
        if self.transport is None or self.transport.is_closing():
            return
        if any(self._held.values()):
            self.transport.pause_reading()
        else:
            self.transport.resume_reading()
            if self._pace.body_since is not None:
                self._pace.body_since = self._loop.time()  # the proxy, not the app, kept the body waiting

    # The parser's side.

    def on_message_begin(self) -> None:
        self._url, self._headers, self._body, self._framing = b"", [], bytearray(), {}
        self._pace.head_since, self._pace.body_since, self._body_size = self._loop.time(), None, 0
        self._in_message = True
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._url += url
        self._head_size += len(url)
        if self._head_size > MAX_HEAD:
            self._head_too_long()

    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()  # as uvicorn gives them: every check and report reads one case
        self._headers.append((lowered, value))
        if lowered in _FRAMING:
            self._framing[lowered] = value
        self._head_size += len(name) + len(value)
        if self._head_size > MAX_HEAD:
            self._head_too_long()

    def _head_too_long(self) -> None:
        if not (self.out.refused or self.out.gone):
            message = f"the request line and headers are over {MAX_HEAD >> 10} KiB: send at most that much."
            self._refuse(BadRequest(message, status_code=431))

    def on_headers_complete(self) -> None:
        self._pace.head_since = None
        framing = self._framing
        expect = framing.get(b"expect", b"").lower() == b"100-continue"
        if expect and not self._busy and not self._queue:
            self.out.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # behind another answer it would cut into it
        length = framing.get(b"content-length")
        if length is None and b"transfer-encoding" not in framing:
            return  # no body (RFC 9112 6.3): the request goes on once the parser calls it complete
        self._pace.body_since = self._loop.time()
        declared = whole_number(length) if length is not None else None
        if declared is None or declared > REQUEST_KEPT:
            self._body = BodyStream(self.hold_reading)
            self._queue_request()

    def on_body(self, body: bytes) -> None:
        self._body_size += len(body)
        if isinstance(self._body, BodyStream):
            self._body.feed(body)
            self._pace.body_since = self._loop.time()
        else:
            self._body += body

    def on_message_complete(self) -> None:
        self._in_message = False
        self._pace.body_since = None
        if isinstance(self._body, BodyStream):
            self._body.end()
        else:
            self._queue_request()

    def _queue_request(self) -> None:
        if self.out.gone or self.out.closing:
            return  # refused, the app left, or the proxy stops: the parser may still be going through what came
        parser = self._parser
        method = parser.get_method().decode("latin-1")
        body = self._body if isinstance(self._body, BodyStream) else bytes(self._body)
        http_11 = parser.get_http_version() == "1.1"
        incoming = Incoming(method, target_of(self._url), self._headers, body, parser.should_keep_alive(), http_11)
        self._queue.append(incoming)
        if len(self._queue) > QUEUED:
            self.hold_reading(True, "queue")
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    # The answering side.

    async def _work(self) -> None:
        while True:
            while not self._queue:
                if self.transport is None or self.transport.is_closing() or self.out.closing:
                    self.out.finish()
                    return
                self._pace.idle_since = self._loop.time()
                self._waiter = self._loop.create_future()
                await self._waiter
            incoming = self._queue.popleft()
            self.out.begin(incoming.keep_alive, incoming.http_11)
            if len(self._queue) <= QUEUED // 2:
                self.hold_reading(False, "queue")
            self._busy = True
            try:
                await self._handler(incoming, self.out)
            except Exception as exc:  # a fault of the proxy's own: this app loses its connection, no other
                where = f"{incoming.method} {incoming.path}: {type(exc).__name__}: {exc}"
                print(f"{PROG} proxy: could not relay {where}", file=sys.stderr, flush=True)
                self.out.close()
                return
            finally:
                self._busy = False
            if isinstance(incoming.body, BodyStream):
                incoming.body.drop()
            if not self.out.keep_alive:
                self.out.close()
                return

    def stop(self) -> None:
        """Close once the request under way (if any) is answered; the ones queued behind it are not taken."""
        self.out.closing = True
        self._queue.clear()
        if not self._busy:
            self.out.close()

    def _refuse(self, error: HTTPError) -> None:
        body, under_way = self._body, False
        if self._in_message and isinstance(body, BodyStream):
            if body.dropped:
                # Its request was answered without it: a refusal would be a second answer. The connection closes
                # once that answer is written, if it still is.
                self.out.keep_alive = False
                if not self._busy:
                    self.out.close()
                return
            # Its body now never ends (reading stops here): a request queued with it never reaches the upstream,
            # and one under way is cut off there, or it would wait on the rest for ever, and this refusal with it.
            queued = len(self._queue)
            self._queue = deque(incoming for incoming in self._queue if incoming.body is not body)
            under_way = self._busy and len(self._queue) == queued  # not queued: its request is being answered
            body.end(gone=True)
        if self._busy or self._queue:
            # Answers go in the order of the requests: those sent before the bad bytes are answered first.
            self.out.defer(refusal(error), under_way)
            self.hold_reading(True, "ended")
            return
        self.out.write(refusal(error))
        self.out.close()

    def _check_time(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        now, pace = self._loop.time(), self._pace
        if pace.head_late(now) and not self._busy:
            self._refuse(head_too_slow(pace.timeouts.head_s))
            return
        body_due = self._body_due()
        if body_due is not None and now >= body_due:
            self._body_late()  # a short body goes on as it comes, and is then waited for as a long one
            if self.transport.is_closing():
                return
            body_due = self._body_due()
        idle = not (self._in_message or self._busy or self._queue)
        if idle and pace.idle_over(now):
            self.out.close()
            return
        self._timer = self._loop.call_at(pace.next_check(now, body_due, idle), self._check_time)

    def _body_due(self) -> float | None:
        # While reading is held, the proxy is the one not taking the body: the app is not late.
        return None if any(self._held.values()) else self._pace.body_due(isinstance(self._body, BodyStream))

    def _body_late(self) -> None:
        body = self._body
        if not isinstance(body, BodyStream):
            # Not all there in time, the request goes on with what came, and the rest as it comes.
            self._body, self._pace.body_since = BodyStream(self.hold_reading), self._loop.time()
            if body:
                self._body.feed(bytes(body))
            self._queue_request()
            return
        self._pace.body_since = None
        self._refuse(self._pace.stalled(self._body_size))
