"""An ASGI wrapper that changes one thing about the mock: a request on its way in, or an answer on its way out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Seen:
    """The request as the wrapper received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Return the body decoded, or None when it is not JSON."""
        return _decoded(self.body)

    def with_json(self, value: object) -> Seen:
        """Return the request with `value` as its JSON body."""
        return replace(self, body=json.dumps(value).encode())

    def with_header(self, name: str, value: str) -> Seen:
        """Return the request with header `name` set to `value`."""
        return replace(self, headers={**self.headers, name: value})


@dataclass(frozen=True)
class Reply:
    """An answer: status, headers (content-length is recomputed) and body."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    def json(self) -> Any:
        """Return the body decoded, or None when it is not JSON."""
        return _decoded(self.body)

    def with_json(self, value: object, status: int | None = None) -> Reply:
        """Return the answer with `value` as its JSON body (and `status`, if given)."""
        return replace(self, body=json.dumps(value).encode(), status=self.status if status is None else status)

    def with_header(self, name: str, value: str) -> Reply:
        """Return the answer with header `name` set to `value`."""
        return replace(self, headers={**self.headers, name: value})


def reply_json(status: int, value: object) -> Reply:
    """Return a JSON answer."""
    return Reply(status, json.dumps(value).encode())


Before = Callable[[Seen], "Seen | Reply"]
After = Callable[[Seen, Reply], Reply]


class Wrapped:
    """`app` with `before` applied to each request (or answering it) and `after` to each answer."""

    def __init__(self, app: ASGIApp, before: Before | None = None, after: After | None = None) -> None:
        self.app = app
        self.before: Before = before or (lambda seen: seen)
        self.after: After = after or (lambda seen, reply: reply)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        seen = Seen(scope["method"], scope["path"], headers, body)
        changed = self.before(seen)
        if isinstance(changed, Reply):
            await _send(send, changed)
            return
        await _send(send, self.after(changed, await _call(self.app, scope, changed)))


async def _call(app: ASGIApp, scope: Scope, seen: Seen) -> Reply:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": seen.body, "more_body": False}

    raw_headers = _raw_headers(seen.headers, seen.body)
    status, headers, chunks = 500, {}, []

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app({**scope, "headers": raw_headers}, receive, send)
    headers.pop("content-length", None)
    return Reply(status, b"".join(chunks), headers)


def _decoded(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _raw_headers(headers: dict[str, str], body: bytes) -> list[tuple[bytes, bytes]]:
    """Encode `headers` for ASGI, with a content-length that fits `body`."""
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    return [(name, value) for name, value in raw if name.lower() != b"content-length"] + [
        (b"content-length", str(len(body)).encode())
    ]


async def _send(send: Send, reply: Reply) -> None:
    headers = _raw_headers(reply.headers, reply.body)
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
