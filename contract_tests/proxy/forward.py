"""The proxy itself: it forwards each request unchanged to the upstream and passes its answer back.

Nothing is added or left out but what HTTP says belongs to one connection (hop-by-hop headers) and the
Host, which names the upstream. The answer is held back only up to `JUDGE_LIMIT` bytes, so that the
findings can go into its headers; a longer one is streamed on unjudged, so memory stays bounded. With no
answer at all (refused, dropped, not HTTP, too slow) the app gets a 502 in the mock's error shape. Paths
under the mock's control prefix are the proxy's own (the journal, the dashboard), never forwarded.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp

from mockserver.arguments import PROG
from mockserver.edges.v1.errors import render
from mockserver.errors import BadGateway
from mockserver.prefixes import CONTROL_PREFIX

from ..exchange import Exchange
from .answers import AnswerWriter
from .asgi import call_asgi
from .body import AppGone, BodyStream
from .connection import Connection, NoAnswer
from .console import build_console
from .journal import ExchangeJournal
from .limits import REQUEST_KEPT
from .message import Incoming
from .shown import JUDGE_LIMIT, READABLE, Headers, Shown
from .upstream import Upstream
from .watch import Findings, Watch

DRIFT_HEADER = b"x-apiframe-mock-drift"
JUDGE_ERROR = "judge error"
"""Counted for an exchange the judge failed on: passed on unjudged, and said on stderr."""
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer"}
    | {b"transfer-encoding", b"upgrade", b"host", b"proxy-connection"}
)
"""Header names (lower case) that belong to one connection, and the Host, which names the upstream; a message
adds those its Connection header names (RFC 9110, 7.6.1)."""


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
    shown: Shown = field(init=False)

    def __post_init__(self) -> None:
        self.console = build_console(self.journal, self.control_token)
        self.shown = Shown(self.upstream)

    async def handle(self, incoming: Incoming, front: AnswerWriter) -> None:
        """Answer one request from an app: the proxy's own routes itself, any other through the upstream."""
        if incoming.path.startswith(CONTROL_PREFIX):
            kept = bytearray()
            try:
                body = incoming.body if isinstance(incoming.body, bytes) else await _drained(incoming.body, kept)
            except AppGone:
                return  # the app left, or its body stalled and the front refuses it: no fault of the proxy's
            answer = await call_asgi(self.console, incoming.method, incoming.target, incoming.headers, body, None)
            front.answer(answer[0], b"", answer[1], answer[2], head_only=incoming.method == "HEAD")
        else:
            await self._forward(incoming, front)

    async def _forward(self, incoming: Incoming, front: AnswerWriter) -> None:
        method, target, upstream = incoming.method, incoming.target, self.upstream
        # The front gives header names in lower case: none is lowered again here, once per request.
        dropped = _hop_by_hop([value for name, value in incoming.headers if name == b"connection"])
        headers = [(name, value) for name, value in incoming.headers if name not in dropped]
        kept = bytearray()
        body: bytes | AsyncIterator[bytes]
        body = incoming.body if isinstance(incoming.body, bytes) else _kept_as_sent(incoming.body, kept)
        try:
            answer = await self.client.send(upstream, method, target, headers, body)
        except AppGone:
            return  # the app left before its request was whole: nobody to answer, nothing to judge
        except NoAnswer as exc:
            message = f"the upstream {upstream} gave no answer ({exc.problem}): is it up, and is --upstream right?"
            self._no_answer(front, incoming, headers, _sent(incoming, kept), exc.problem, message)
            return
        if isinstance(incoming.body, BodyStream):
            # The upstream answered, maybe before the body was whole: the rest is read on and dropped, not held
            # (reading paused) while the answer goes to an app that may send all of its body before it reads.
            incoming.body.drop()
        sent = _sent(incoming, kept)
        try:
            await self._answer(answer, front, method, target, headers, sent)
        except _CutShort as exc:
            # The upstream broke off its answer before the proxy began passing it on: that is no answer.
            message = f"the upstream {upstream} broke off its answer ({exc.problem})"
            self._no_answer(front, incoming, headers, sent, exc.problem, message)
        except AppGone:
            pass  # the app left while a long answer went to it: the rest is not read, its connection closed
        finally:
            self.client.release(upstream, answer)

    def _no_answer(
        self, front: AnswerWriter, incoming: Incoming, headers: Headers, sent: bytes, problem: str, message: str
    ) -> None:
        request, key = self.shown.request(incoming.method, incoming.target, headers, sent[:REQUEST_KEPT])
        exchange = Exchange(self.upstream, request, None, problem)
        findings = self._judge(exchange, key)
        _answer_own(front, [], render(BadGateway(message)))
        self._tell(exchange, findings)

    async def _answer(
        self, answer: Connection, front: AnswerWriter, method: str, target: str, headers: Headers, sent: bytes
    ) -> None:
        answer_headers, length, encoding = _passed(answer.headers)
        try:
            held, complete = await answer.read(JUDGE_LIMIT)
        except NoAnswer as exc:
            raise _CutShort(exc.problem) from None
        if complete and encoding in READABLE:
            shown = self.shown.answered(method, target, headers, sent, answer.status, answer_headers, (held, encoding))
            judged, key = shown
            findings = self._judge(judged, key)
            if findings.drift and self.enforce:
                rules = ", ".join(findings.drift)
                body = render(BadGateway(f"the upstream's answer drifted from the contract: {rules}"))
                _answer_own(front, self._marks(findings), body)
            else:
                marked = answer_headers + self._marks(findings) if findings.drift else answer_headers
                front.answer(answer.status, answer.reason, marked, held, method == "HEAD", length)
            self._tell(judged, findings)
            return
        # Too long to judge, or encoded past reading (br): what was held goes first, then the rest as it comes.
        if complete:
            self.watch.unread += 1
        else:
            self.watch.too_long += 1
        chunked = front.start(answer.status, answer.reason, answer_headers, method == "HEAD")
        await front.send(held, chunked)
        async for chunk in answer.rest():
            await front.send(chunk, chunked)
        front.end(chunked)

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


async def _kept_as_sent(body: BodyStream, kept: bytearray) -> AsyncIterator[bytes]:
    """Yield `body` as it comes, keeping its first `REQUEST_KEPT` bytes to judge the request by."""
    async for chunk in body:
        if len(kept) < REQUEST_KEPT:
            kept += chunk[: REQUEST_KEPT - len(kept)]
        yield chunk


def _sent(incoming: Incoming, kept: bytearray) -> bytes:
    """Return the request body as far as it went to the upstream and was kept: a short one whole."""
    return incoming.body if isinstance(incoming.body, bytes) else bytes(kept)


async def _drained(body: BodyStream, kept: bytearray) -> bytes:
    """Read `body` to its end, keeping at most its first `REQUEST_KEPT` bytes; return those."""
    async for _ in _kept_as_sent(body, kept):
        pass
    return bytes(kept)


def _hop_by_hop(connection: list[bytes]) -> frozenset[bytes]:
    """Return the names (lower case) of the headers not passed on: `HOP_BY_HOP`, and those `connection` names."""
    named = {token.strip().lower() for value in connection for token in value.split(b",")}
    return HOP_BY_HOP if named <= HOP_BY_HOP else HOP_BY_HOP | named


def _passed(headers: Headers) -> tuple[Headers, bool, str]:
    """Return the answer's headers the app gets, whether one is its length, and its content encoding."""
    named = [(name.lower(), name, value) for name, value in headers]
    dropped = _hop_by_hop([value for lowered, _, value in named if lowered == b"connection"])
    passed, length, encoding = [], False, ""
    for lowered, name, value in named:
        if lowered in dropped:
            continue
        passed.append((name, value))
        if lowered == b"content-length":
            length = True
        elif lowered == b"content-encoding":
            encoding = value.decode("latin-1").strip().lower()
    return passed, length, encoding


def _answer_own(front: AnswerWriter, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Answer 502 in the mock's error shape: the proxy's own answer, never the upstream's."""
    front.answer(502, b"", [*headers, (b"content-type", b"application/json")], body)
