"""The journal: every request the mock received, oldest first, with the key never kept.

It shows what the client sent whatever the answer: a request answered before its body was read (a
401, a fault) has that body read before the answer goes. The mock's own routes, the control API and
GET /openapi.json, are left out: they describe or drive the mock, and a test asking what its code
sent to Apiframe should not find them among its requests.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .bodies import drain_body, strict_json
from .limits import MAX_BODY_BYTES

JOURNAL_MAX_ENTRIES = 10_000
JOURNAL_MAX_BYTES = 64 * MAX_BODY_BYTES
"""A journal keeps at most this many requests and this many bytes of their bodies, the newest."""
REDACTED = "<redacted>"
CONTROL_PREFIX = "/__mock__"
"""The path prefix of the control API, whose own requests the journal leaves out."""
OPENAPI_PATH = "/openapi.json"
"""Where the mock describes itself: its own route, not Apiframe's, so the journal leaves it out too."""


def recorded_path(path: str) -> bool:
    """Say whether a request to `path` belongs in the journal: any but the mock's own routes."""
    return not path.startswith(CONTROL_PREFIX) and path != OPENAPI_PATH


def _declares_small_body(scope: Scope) -> bool:
    length = next((value for name, value in scope["headers"] if name == b"content-length"), b"0")
    return not length.isdigit() or int(length) <= MAX_BODY_BYTES


def redact_authorization(value: str) -> str:
    """Keep the scheme word of an Authorization value (``Bearer``) and hide the key."""
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {REDACTED}" if rest and scheme.lower() == "bearer" else REDACTED


def _redacted(name: bytes, value: bytes) -> bytes:
    return redact_authorization(value.decode("latin-1")).encode("latin-1") if name == b"authorization" else value


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One received request: method, path, headers (Authorization redacted), body, and how it was answered."""

    method: str
    path: str
    headers: Headers
    body: bytes
    status: int | None = None
    """The answer's status, or None when the connection ended without one (a drop)."""
    at: float = 0.0
    """When the request arrived, in seconds since the epoch."""

    @property
    def json(self) -> Any:
        """Return the body decoded as JSON, or None when it is empty or not JSON."""
        try:
            # Kept NaN or Infinity would make the journal's own answer invalid JSON: such a body shows as text.
            return strict_json(self.body.decode("utf-8"))
        except (ValueError, RecursionError):
            return None


@dataclass(frozen=True, slots=True)
class JournalPage:
    """Some of a journal's entries, oldest first, and where they stand in it."""

    entries: list[RecordedRequest]
    dropped: int
    """How many of the oldest entries were dropped to keep within the bounds since the last clear."""
    total: int
    """How many entries the journal holds, shown or not."""

    @property
    def first(self) -> int:
        """The number of the first entry shown, counting every entry recorded since the last clear from 1."""
        return self.dropped + self.total - len(self.entries) + 1


class Journal:
    """The requests received, oldest first; past its bounds the oldest are dropped, and counted."""

    def __init__(self, max_entries: int = JOURNAL_MAX_ENTRIES, max_bytes: int = JOURNAL_MAX_BYTES) -> None:
        # A mock left running with --control under a load test would otherwise keep every request it
        # ever saw, bodies of up to 1 MiB each, until memory ran out.
        self._entries: deque[RecordedRequest] = deque()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self.dropped = 0
        """How many of the oldest entries were dropped to keep within the bounds since the last clear."""

    def record(self, entry: RecordedRequest) -> None:
        """Append `entry`, dropping the oldest entries while the journal is past a bound."""
        self._entries.append(entry)
        self._bytes += len(entry.body)
        while len(self._entries) > self._max_entries or (self._bytes > self._max_bytes and len(self._entries) > 1):
            self._bytes -= len(self._entries.popleft().body)
            self.dropped += 1

    def clear(self) -> None:
        """Forget every entry, and the count of dropped ones."""
        self._entries.clear()
        self._bytes = 0
        self.dropped = 0

    def entries(self) -> list[RecordedRequest]:
        """Return a copy of the entries, oldest first."""
        return list(self._entries)

    def page(self, last: int | None = None) -> JournalPage:
        """Return the entries (the newest `last`, if given), oldest first, and where they stand."""
        entries = self.entries()
        shown = entries if last is None else entries[len(entries) - last :] if last else []
        return JournalPage(shown, self.dropped, len(entries))


Recorder = Callable[[RecordedRequest], Awaitable[None]]
"""Where a journalled request goes: into this process's journal, or a store's that every process shares."""


class JournalMiddleware:
    """ASGI middleware that hands each HTTP request to `record` once the app has answered it."""

    def __init__(self, app: ASGIApp, record: Recorder) -> None:
        self.app = app
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through, keeping up to `MAX_BODY_BYTES` of its body."""
        if scope["type"] != "http" or not recorded_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        arrived = time.time()
        chunks: list[bytes] = []
        kept = 0
        read = False
        status: int | None = None

        async def capture() -> Message:
            nonlocal kept, read
            read = True
            message = await receive()
            chunk = message.get("body", b"")
            if kept + len(chunk) <= MAX_BODY_BYTES:
                chunks.append(chunk)
                kept += len(chunk)
            return message

        recorded = False

        async def record() -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                raw = [(name, _redacted(name, value)) for name, value in scope["headers"]]
                entry = RecordedRequest(
                    scope["method"], scope["path"], Headers(raw=raw), b"".join(chunks), status, arrived
                )
                await self.record(entry)

        async def record_then_send(message: Message) -> None:
            nonlocal status
            # Recorded as the answer starts, so a client that has its answer always finds the entry.
            if message["type"] == "http.response.start":
                status = message["status"]
                # A body refused unread for its declared size is not worth waiting for: 413 says it all.
                if not read and _declares_small_body(scope):
                    await drain_body(capture)
                await record()
            await send(message)

        try:
            await self.app(scope, capture, record_then_send)
        finally:
            await record()
