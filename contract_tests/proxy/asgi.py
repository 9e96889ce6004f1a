"""Calling an ASGI app with one whole request and taking its whole answer: how the proxy serves its own routes.

Its own routes (the journal, the dashboard's page) are a Starlette app; they are asked rarely and answer
small, so the request is handed over whole and the answer gathered before it is written. An app that fails
after its answer began (Starlette answers 500, then raises for the server to log) has that answer returned
and its failure said on stderr, as uvicorn would.
"""

from __future__ import annotations

import asyncio
import sys
from urllib.parse import unquote

from starlette.types import ASGIApp, Message

from mockserver.arguments import PROG

Headers = list[tuple[bytes, bytes]]


async def call_asgi(
    app: ASGIApp, method: str, target: str, headers: Headers, body: bytes, client: tuple[str, int] | None
) -> tuple[int, Headers, bytes]:
    """Ask `app` for `method` `target` with `headers` and `body`; return its status, headers and body."""
    raw_path, _, query = target.encode("latin-1").partition(b"?")
    path = unquote(raw_path.decode("latin-1"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(name.lower(), value) for name, value in headers],
        "client": client,
        "server": None,
    }
    given = False

    async def receive() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.get_running_loop().create_future()  # the whole request was given: nothing more comes
        return {"type": "http.disconnect"}

    status, answer_headers, parts, started = 500, [], [], False

    async def send(message: Message) -> None:
        nonlocal status, answer_headers, started
        if message["type"] == "http.response.start":
            status, answer_headers, started = message["status"], list(message.get("headers", [])), True
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    try:
        await app(scope, receive, send)
    except Exception as exc:
        if not started:
            raise
        print(f"{PROG} proxy: {method} {path} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    return status, answer_headers, b"".join(parts)
