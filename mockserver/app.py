"""Building the Starlette application of the mock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .answers import EXCEPTION_HANDLERS, respond
from .control import add_control, build_control, control_off_routes
from .edges import EDGES, fault_route
from .edges.v1.openapi import build_openapi
from .edges.v2.openapi import add_v2
from .engine.journal import Journal
from .errors import HTTPError, ServerError
from .http.deadlines import Deadlines
from .http.inbox import Inbox, receiver_route
from .http.injection import FaultMiddleware
from .http.recording import JournalMiddleware
from .prefixes import CONTROL_PREFIX, OPENAPI_PATH
from .schemas import bundled_schemas
from .state import MockState
from .wire import JSON_MEDIA_TYPE, encode_json

WEBHOOK_RECEIVER_PATH = f"{CONTROL_PREFIX}/webhook-receiver"
"""Where a mock with an inbox receives webhooks itself, so a test needs no server of its own."""


class MockApp(Starlette):
    """The mock's Starlette app, sending a polling route straight to its endpoint when nothing else must see it."""

    def __init__(self, state: MockState, fast: Mapping[str, ASGIApp], journalled: bool, **options: Any) -> None:
        super().__init__(**options)
        self._state = state
        self._fast = fast
        self._journalled = journalled
        self.loop: asyncio.AbstractEventLoop | None = None
        """The event loop serving the app, once it serves: where code on other threads runs the engine's commands."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection or request; the polling route skips Starlette's stack while it may."""
        if scope["type"] == "http" and not self._state.store.available:
            # A shared store out of reach: any answer could be stale, so each is the documented 500.
            await respond(ServerError(), scope, receive, send)
            return
        # Starlette's middleware stack and router cost 7-10 us of a 45-70 us fetch-many on uvicorn, more
        # than the mock's own work on it (about 3 us), and a poller sends little else. A journal or a
        # fault in force needs the middleware: then the request goes through it, to the same endpoint.
        if (
            scope["type"] == "http"
            and (fast := self._fast.get(scope["path"])) is not None
            and scope["method"] == "POST"
            and not self._journalled
            and not self._state.store.faults
        ):
            await self._serve_fast(fast, scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _serve_fast(self, endpoint: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        # The same answers as Starlette's error middleware and the mock's handlers give. A fast endpoint
        # sends nothing before its answer is ready, so an error always finds the response unstarted.
        try:
            await endpoint(scope, receive, send)
        except HTTPError as exc:
            await respond(exc, scope, receive, send)
        except Exception:
            await respond(ServerError(), scope, receive, send)
            raise


def _serving(state: MockState) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Open the store in each process as it starts serving, and close it as it stops."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if isinstance(app, MockApp):
            app.loop = asyncio.get_running_loop()
        await state.store.open()
        try:
            yield
        finally:
            await state.store.close()

    return lifespan


def create_app(
    state: MockState | None = None,
    journal: Journal | None = None,
    control_token: str | None = None,
    inbox: Inbox | None = None,
) -> MockApp:
    """Return the mock's ASGI app serving `state` (the bundled fixtures and default key if None).

    With a `journal`, every request is recorded in it (the store's, if the store is shared); without
    one, nothing is, which keeps the hot path free of the cost. With a `control_token`, the control
    API under /__mock__/ is on, refusing callers without that token, and the store's journal is kept.
    With an `inbox`, the app receives webhooks at `WEBHOOK_RECEIVER_PATH` and keeps them there.
    """
    state = state or MockState.from_fixtures()
    if journal is not None:
        state.store.journal = journal
    elif control_token is not None:
        journal = state.store.journal
    deadlines = Deadlines()
    routes: list[BaseRoute] = [_openapi_route(control_token is not None)]
    fast: dict[str, ASGIApp] = {}
    for edge in EDGES:
        served = edge.serve(state, deadlines)
        routes += served.routes
        fast.update(served.fast)
    if inbox is not None:
        routes.append(receiver_route(inbox, WEBHOOK_RECEIVER_PATH))
    if control_token is not None:
        # What the control API's reset restores: the state as the app starts serving it.
        state.store.remember()
        routes.append(build_control(state, control_token, deadlines))
    else:
        routes += control_off_routes()
    middleware = [Middleware(JournalMiddleware, record=state.store.record_request)] if journal is not None else []
    middleware.append(Middleware(FaultMiddleware, state=state, routes=fault_route, respond=respond))
    app = MockApp(
        state,
        fast,
        journalled=journal is not None,
        lifespan=_serving(state),
        routes=routes,
        exception_handlers=dict(EXCEPTION_HANDLERS),
        middleware=middleware,
    )
    # Starlette would answer a stray trailing slash with a bodiless 307 to a Location built from the
    # client's Host header; the mock answers it as any unknown path, with its JSON 404.
    app.router.redirect_slashes = False
    app.state.mock = state
    return app


def _openapi_route(control: bool) -> Route:
    """Return GET /openapi.json: the edges' document, with the control API's routes when it is on."""
    document = build_openapi(bundled_schemas())
    add_v2(document)
    if control:
        add_control(document)
    encoded = encode_json(document)

    async def openapi(request: Request) -> Response:
        return Response(encoded, media_type=JSON_MEDIA_TYPE)

    return Route(OPENAPI_PATH, openapi, methods=["GET"])
