"""The proxy's side facing the apps: HTTP/1.1 parsed by httptools, each request handed whole to the proxy.

Not uvicorn: an ASGI cycle (a scope, a task and message dicts per request) cost the proxy more than the
mock spends answering, and the proxy needs none of it to relay bytes. A connection's requests are taken
one after another by one worker, pipelined ones queued; a body declared short is read whole first, a
longer one streamed as it comes, reading paused while the upstream is behind. A head that does not
arrive in time, a body that stalls past any upstream's patience, or bytes that are not HTTP, get the
mock's own refusal; an idle connection is closed.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from typing import cast

import httptools

from mockserver.arguments import PROG
from mockserver.errors import BadRequest, HTTPError, RequestTimeout
from mockserver.numbers import whole_number
from mockserver.server import head_too_slow, not_http, refusal

from .answers import AnswerWriter
from .body import BodyStream
from .message import Headers, Incoming, target_of
from .timeouts import Timeouts

_FRAMING = frozenset({b"content-length", b"transfer-encoding", b"expect"})
QUEUED = 16
"""The most pipelined requests queued behind the one under way; past it the connection is read no further."""
MAX_HEAD = 64 << 10
"""The longest request line and headers taken (bytes): past it the app gets 431, as a head that never ends
would otherwise grow without bound."""
REQUEST_KEPT = 64 << 10
"""The longest body (declared by Content-Length) read whole before the request goes on, in one write; of a
longer one, as many bytes are kept to judge the request by."""


Handler = Callable[[Incoming, AnswerWriter], Awaitable[None]]
"""What answers a request, through the writer's `answer`, `start`, `send` and `end`."""


class Front(asyncio.Protocol):
    """One connection from an app; `handler` answers each of its requests in turn."""

    def __init__(self, handler: Handler, connections: set[Front], timeouts: Timeouts) -> None:
        self._handler = handler
        self._timeouts = timeouts
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
        self._refused = b""
        """The refusal of bad bytes that came behind requests still to be answered: written after their answers."""
        self._head_since: float | None = None
        self._body_since: float | None = None
        """When the body being read began or (streamed) a piece of it last came; None when none is awaited."""
        self._body_size = 0
        self._in_message = False
        """Set from a request's first byte to its last: a connection taking a body in is not idle."""
        self._head_size = 0
        self._framing: dict[bytes, bytes] = {}
        """The headers of the request being read that say how its body comes, and Expect."""
        self._idle_since = self._loop.time()
        self._timer = self._loop.call_later(self._patience(), self._check_time)
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
        """Answer a request asking for another protocol (h2c) in HTTP/1.1; refuse a WebSocket or a CONNECT.

        uvicorn answered the first kind as plain HTTP, and `curl --http2` asks for h2c; the others cannot be relayed.
        """
        asked = self._queue[-1] if self._queue and self._queue[-1].headers is self._headers else None
        upgrade = b",".join(value for name, value in self._headers if name == b"upgrade").lower()
        if asked is not None and asked.method != "CONNECT" and b"websocket" not in upgrade:
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
            if self._body_since is not None:
                self._body_since = self._loop.time()  # the proxy, not the app, kept the body waiting

    # The parser's side.

    def on_message_begin(self) -> None:
        self._url, self._headers, self._body, self._framing = b"", [], bytearray(), {}
        self._head_since, self._body_since, self._body_size = self._loop.time(), None, 0
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
        if not (self._refused or self.out.gone):
            message = f"the request line and headers are over {MAX_HEAD >> 10} KiB: send at most that much."
            self._refuse(BadRequest(message, status_code=431))

    def on_headers_complete(self) -> None:
        self._head_since = None
        framing = self._framing
        expect = framing.get(b"expect", b"").lower() == b"100-continue"
        if expect and not self._busy and not self._queue:
            self.out.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # behind another answer it would cut into it
        length = framing.get(b"content-length")
        if length is None and b"transfer-encoding" not in framing:
            return  # no body (RFC 9112 6.3): the request goes on once the parser calls it complete
        self._body_since = self._loop.time()
        declared = whole_number(length) if length is not None else None
        if declared is None or declared > REQUEST_KEPT:
            self._body = BodyStream(self.hold_reading)
            self._queue_request()

    def on_body(self, body: bytes) -> None:
        self._body_size += len(body)
        if isinstance(self._body, BodyStream):
            self._body.feed(body)
            self._body_since = self._loop.time()
        else:
            self._body += body

    def on_message_complete(self) -> None:
        self._in_message = False
        self._body_since = None
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
                    self.out.write(self._refused)
                    self.out.close()
                    return
                self._idle_since = self._loop.time()
                self._waiter = self._loop.create_future()
                await self._waiter
            incoming = self._queue.popleft()
            self.out.keep_alive, self.out.http_11 = incoming.keep_alive, incoming.http_11
            if len(self._queue) <= QUEUED // 2:
                self.hold_reading(False, "queue")
            self._busy = True
            try:
                await self._handler(incoming, self.out)
            except Exception as exc:  # a fault of the proxy's own: this app loses its connection, no other
                where = f"{incoming.method} {incoming.path}"
                print(
                    f"{PROG} proxy: could not relay {where}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True
                )
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
        body = self._body
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
            self._queue = deque(incoming for incoming in self._queue if incoming.body is not body)
            body.end(gone=True)
        if self._busy or self._queue:
            # Answers go in the order of the requests: those sent before the bad bytes are answered first.
            self._refused = refusal(error)
            self.out.closing = True
            self.hold_reading(True, "ended")
            return
        self.out.write(refusal(error))
        self.out.close()

    def _check_time(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        now, timeouts = self._loop.time(), self._timeouts
        if self._head_since is not None and now - self._head_since >= timeouts.head_s and not self._busy:
            self._refuse(head_too_slow(timeouts.head_s))
            return
        body_due = self._body_due()
        if body_due is not None and now >= body_due:
            self._body_late()  # a short body goes on as it comes, and is then waited for as a long one
            if self.transport.is_closing():
                return
            body_due = self._body_due()
        idle = not (self._in_message or self._busy or self._queue)
        if idle and now - self._idle_since >= timeouts.keep_alive_s:
            self.out.close()
            return
        # Next at the earliest deadline now running, so that each is kept to within the loop's own lag, and
        # within the shortest timeout: a deadline that begins meanwhile (the keep-alive once a body that had
        # 120 s is in) ends no sooner, so it is looked at in time; one that moves on makes this check early.
        due = [self._head_since + timeouts.head_s] if self._head_since is not None else []
        due += [body_due] if body_due is not None else []
        due += [self._idle_since + timeouts.keep_alive_s] if idle else []
        at, latest = min(due, default=now), now + self._patience()
        self._timer = self._loop.call_at(at if now < at < latest else latest, self._check_time)

    def _body_due(self) -> float | None:
        """Return when the body being read is late, or None if none is awaited from the app."""
        # While reading is held, the proxy is the one not taking the body: the app is not late.
        if self._body_since is None or any(self._held.values()):
            return None
        timeouts = self._timeouts
        return self._body_since + (timeouts.stall_s if isinstance(self._body, BodyStream) else timeouts.body_s)

    def _patience(self) -> float:
        """Return the shortest of the timeouts: no deadline that begins after a check is missed by more."""
        timeouts = self._timeouts
        return min(timeouts.head_s, timeouts.body_s, timeouts.stall_s, timeouts.keep_alive_s)

    def _body_late(self) -> None:
        body = self._body
        if not isinstance(body, BodyStream):
            # Not all there in time, the request goes on with what came, and the rest as it comes.
            self._body, self._body_since = BodyStream(self.hold_reading), self._loop.time()
            if body:
                self._body.feed(bytes(body))
            self._queue_request()
            return
        self._body_since = None
        message = (
            f"The request body stalled: none of it came for {self._timeouts.stall_s:g} seconds "
            f"({self._body_size} bytes came), and the upstream had not answered: send the body without pausing."
        )
        self._refuse(RequestTimeout(message))
