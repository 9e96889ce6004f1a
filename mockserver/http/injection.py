"""The ASGI middleware that applies the fault plan in force to each Apiframe call."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine.faults import Fault, FaultKind
from ..errors import HTTPError, RateLimited, ServerError
from ..state import MockState
from .bodies import drain_body

Respond = Callable[[HTTPError, Scope, Receive, Send], Awaitable[None]]
"""Answers an error in the shape of the edge the request was for."""
ABORT_EXTENSION = "apiframe_mock.abort"
"""The scope extension through which the server lets the app drop the connection."""


class FaultMiddleware:
    """Delays, fails, drops or slows calls to the Apiframe routes as `state.store.faults` decides."""

    def __init__(self, app: ASGIApp, state: MockState, routes: Callable[[str], str | None], respond: Respond) -> None:
        self.app = app
        self.state = state
        self.routes = routes
        """The route name of a path faults can strike, None for a path they cannot."""
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply the plan's decision for this call, if any fault is in force."""
        route = self.routes(scope.get("path", "")) if scope["type"] == "http" else None
        if route is None or not self.state.store.faults:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        keyed = self.state.keys.keyed(headers.get(b"authorization"), headers.get(b"x-api-key"))
        decision = await self.state.store.decide(route, keyed)
        if decision.delay_s:
            await asyncio.sleep(decision.delay_s)
        if decision.action is not None:
            await _strike(decision.action, self.respond, scope, receive, send)
            return
        await self.app(scope, receive, _slowed(send, decision.slow) if decision.slow else send)


async def _strike(fault: Fault, respond: Respond, scope: Scope, receive: Receive, send: Send) -> None:
    if fault.kind is FaultKind.DROP:
        abort = scope.get("extensions", {}).get(ABORT_EXTENSION, {}).get("abort")
        if abort is not None:
            # A connection dropped upstream is dropped once the request went through; reading it first
            # also lets the journal show what the client sent.
            await drain_body(receive)
            abort()
            # Let the server see the connection is gone, so it does not try to answer.
            await asyncio.sleep(0)
            return
        raise ConnectionAbortedError("this server cannot drop a connection; answering 500")
    error: HTTPError
    if fault.kind is FaultKind.RATE_LIMIT:
        error = RateLimited(
            f"Too many requests: retry after {fault.retry_after} seconds (injected fault).",
            headers={"Retry-After": str(fault.retry_after)},
        )
    else:
        error = ServerError(status_code=fault.status)
    await respond(error, scope, receive, send)


def _slowed(send: Send, fault: Fault) -> Send:
    async def send_slowly(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
            return
        body: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        step = fault.chunk_bytes
        for start in range(0, max(len(body), 1), step):
            await asyncio.sleep(fault.delay_ms / 1000)
            last = start + step >= len(body)
            await send(
                {"type": "http.response.body", "body": body[start : start + step], "more_body": more or not last}
            )

    return send_slowly
