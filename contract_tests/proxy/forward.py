"""The proxy itself: an ASGI app that forwards each request unchanged to the upstream and streams its answer back.

Nothing is added or left out but what HTTP says belongs to one connection (hop-by-hop headers) and the
Host, which names the upstream. The answer is held back only up to `JUDGE_LIMIT` bytes, so that the
findings can go into its headers; a longer one is streamed on unjudged, so memory stays bounded. With no
answer at all (refused, dropped, not HTTP, too slow) the app gets a 502 in the mock's error shape.
"""

from __future__ import annotations

import secrets
import sys
import zlib
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.arguments import PROG
from mockserver.edges.v1.errors import render
from mockserver.errors import BadGateway
from mockserver.numbers import whole_number
from mockserver.prefixes import CONTROL_PREFIX

from ..exchange import Answer, Exchange, Request
from .connection import Connection, NoAnswer
from .console import build_console
from .journal import ExchangeJournal
from .secrecy import Redactor
from .upstream import Upstream
from .watch import Findings, Watch

JUDGE_LIMIT = 1 << 20
"""The longest answer (bytes) held back to be judged; a longer one passes unjudged."""
REQUEST_KEPT = 64 << 10
"""The most bytes of a request body kept to judge it by; the whole body is forwarded."""
DRIFT_HEADER = b"x-apiframe-mock-drift"
JUDGE_ERROR = "judge error"
"""Counted for an exchange the judge failed on: passed on unjudged, and said on stderr."""
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer"}
    | {b"transfer-encoding", b"upgrade", b"host", b"proxy-connection"}
)
"""Header names (lower case) that belong to one connection, and the Host, which names the upstream."""


class AppGone(Exception):
    """The app closed the connection before its request body was whole."""


class _CutShort(Exception):
    """The upstream's answer ended before its body was whole, while the proxy still held all of it."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


Observer = Callable[[Exchange, Findings], None]
"""Told of every judged exchange, after its answer went back (the recorder)."""


@dataclass(slots=True)
class Proxy:
    """Forward every request to `upstream`; judge each exchange with `watch`; mark or refuse drift as asked."""

    upstream: str
    watch: Watch
    quiet_headers: bool = False
    enforce: bool = False
    observer: Observer | None = None
    control_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    """The token the journal asks for, as the mock's control API does."""
    journal: ExchangeJournal = field(default_factory=ExchangeJournal)
    client: Upstream = field(default_factory=Upstream)
    console: ASGIApp = field(init=False)

    def __post_init__(self) -> None:
        self.console = build_console(self.journal, self.control_token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] != "http":
            return
        elif scope["path"].startswith(CONTROL_PREFIX):
            await self.console(scope, receive, send)  # the proxy's own: never forwarded
        else:
            await self._forward(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = scope["raw_path"].decode("latin-1") or "/"
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        headers = [(name, value) for name, value in scope["headers"] if name not in HOP_BY_HOP]  # uvicorn lowers them
        kept = bytearray()
        redact = Redactor.of_headers(headers)
        upstream = self.upstream
        try:
            body = await _whole_body(receive, kept) if _short(scope["headers"]) else _body(receive, kept)
            answer = await self.client.send(upstream, scope["method"], target, headers, body)
        except AppGone:
            return  # the app left before its request was whole: nobody to answer, nothing to judge
        except NoAnswer as exc:
            exchange = Exchange(upstream, _request(scope, target, headers, kept, redact), None, exc.problem)
            findings = self._judge(exchange, redact.key)
            message = f"the upstream {upstream} gave no answer ({exc.problem}): is it up, and is --upstream right?"
            await _send_own(send, [], render(BadGateway(message)))
            self._tell(exchange, findings)
            return
        request = _request(scope, target, headers, kept, redact)
        try:
            await self._answer(answer, send, Exchange(upstream, request, None), redact)
        except _CutShort as exc:
            # The upstream broke off its answer before the proxy began passing it on: that is no answer.
            exchange = Exchange(upstream, request, None, exc.problem)
            findings = self._judge(exchange, redact.key)
            message = f"the upstream {upstream} broke off its answer ({exc.problem})"
            await _send_own(send, [], render(BadGateway(message)))
            self._tell(exchange, findings)
        finally:
            self.client.release(upstream, answer)

    async def _answer(self, answer: Connection, send: Send, exchange: Exchange, redact: Redactor) -> None:
        headers = [(name, value) for name, value in answer.headers if name.lower() not in HOP_BY_HOP]
        try:
            held, complete = await answer.read(JUDGE_LIMIT)
        except NoAnswer as exc:
            raise _CutShort(exc.problem) from None
        encoding = next((value for name, value in headers if name.lower() == b"content-encoding"), b"")
        readable = encoding.decode("latin-1").strip().lower() in READABLE
        if complete and readable:
            shown = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]
            judged = Exchange(
                exchange.base_url,
                exchange.request,
                Answer(answer.status, tuple(shown), redact.body(_decoded(held, encoding.decode("latin-1")))),
            )
            findings = self._judge(judged, redact.key)
            if findings.drift and self.enforce:
                rules = ", ".join(findings.drift)
                body = render(BadGateway(f"the upstream's answer drifted from the contract: {rules}"))
                await _send_own(send, self._marks(findings), body)
            else:
                start = {
                    "type": "http.response.start",
                    "status": answer.status,
                    "headers": headers + self._marks(findings),
                }
                await send(start)
                await send({"type": "http.response.body", "body": held})
            self._tell(judged, findings)
            return
        # Too long to judge, or encoded past reading (br): what was held goes first, then the rest as it comes.
        if complete:
            self.watch.unread += 1
        else:
            self.watch.too_long += 1
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": held, "more_body": True})
        async for chunk in answer.rest():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    def _judge(self, exchange: Exchange, key: str) -> Findings:
        try:
            return self.watch.judge(exchange, key)
        except Exception as exc:  # a fault of the judge must never cost the app its answer
            self.watch.counts[JUDGE_ERROR] += 1
            where = f"{exchange.request.method} {exchange.request.path}"
            print(f"{PROG} proxy: could not judge {where}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return Findings()

    def _marks(self, findings: Findings) -> list[tuple[bytes, bytes]]:
        if self.quiet_headers or not findings.drift:
            return []
        return [(DRIFT_HEADER, ",".join(findings.drift).encode())]

    def _tell(self, exchange: Exchange, findings: Findings) -> None:
        self.journal.record(exchange, findings)
        if self.observer is not None:
            self.observer(exchange, findings)


async def _body(receive: Receive, kept: bytearray) -> AsyncIterator[bytes]:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise AppGone
        chunk: bytes = message.get("body", b"")
        if len(kept) < REQUEST_KEPT:
            kept += chunk[: REQUEST_KEPT - len(kept)]
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


_FRAMING = (b"content-length", b"transfer-encoding")


def _short(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Say whether the request body is declared short enough to be read whole before it is sent on, or absent."""
    framing = {name.lower(): value for name, value in headers if name.lower() in _FRAMING}
    length = framing.get(b"content-length")
    if length is None:
        # Neither a length nor chunks: the request has no body (RFC 9112 6.3), and the upstream gets none either.
        return b"transfer-encoding" not in framing
    declared = whole_number(length)
    return declared is not None and declared <= REQUEST_KEPT


async def _whole_body(receive: Receive, kept: bytearray) -> bytes:
    # A short body goes in one piece: one write to the upstream instead of one per chunk the app sent.
    async for _ in _body(receive, kept):
        pass
    return bytes(kept)


def _request(
    scope: Scope, target: str, headers: list[tuple[bytes, bytes]], kept: bytearray, redact: Redactor
) -> Request:
    """Return the request as the reports show it: the key replaced, the body as far as it was kept."""
    return Request(scope["method"], target, redact.headers(headers), redact.body(bytes(kept)) if kept else None)


_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
READABLE = frozenset({"", "identity", *_WBITS})
"""The content encodings the proxy undoes to judge an answer; one in another (br, zstd) passes unjudged."""


def _decoded(raw: bytes, encoding: str) -> bytes:
    """Return the body as the app's client will read it: gzip and deflate undone (at most `JUDGE_LIMIT` bytes)."""
    wbits = _WBITS.get(encoding.strip().lower())
    if wbits is None:
        return raw
    try:
        return zlib.decompressobj(wbits).decompress(raw, JUDGE_LIMIT)
    except zlib.error:
        return raw


async def _send_own(send: Send, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Answer 502 in the mock's error shape: the proxy's own answer, never the upstream's."""
    own = [*headers, (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 502, "headers": own})
    await send({"type": "http.response.body", "body": body})
