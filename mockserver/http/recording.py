"""Recording requests in the journal as they are answered, the key redacted.

It shows what the client sent whatever the answer: a request answered before its body was read (a
401, a fault) has that body read before the answer goes. The mock's own routes, the control API and
GET /openapi.json, are left out: they describe or drive the mock, and a test asking what its code
sent to Apiframe should not find them among its requests.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine.journal import RecordedRequest, redact_authorization
from ..limits import MAX_BODY_BYTES
from ..numbers import whole_number
from ..prefixes import own_path
from .bodies import drain_body


def recorded_path(path: str) -> bool:
    """Say whether a request to `path` belongs in the journal: any but the mock's own routes."""
    return not own_path(path)


def _declares_small_body(scope: Scope) -> bool:
    length = next((value for name, value in scope["headers"] if name == b"content-length"), b"0")
    declared = whole_number(length)
    return declared is None or declared <= MAX_BODY_BYTES


def _redacted(name: bytes, value: bytes) -> bytes:
    return redact_authorization(value.decode("latin-1")).encode("latin-1") if name == b"authorization" else value


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
