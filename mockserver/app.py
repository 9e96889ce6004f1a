"""Building the Starlette application of the mock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .control import build_control_routes
from .deadlines import Deadlines
from .errors import EXCEPTION_HANDLERS, HTTPError, NoRoute, ServerError, render_error
from .injection import FaultMiddleware
from .journal import CONTROL_PREFIX, Journal, JournalMiddleware
from .openapi import build_openapi
from .routes import FETCH_MANY_PATH, FetchMany, build_routes
from .schemas import bundled_schemas
from .state import MockState
from .submissions import build_submission_routes, load_endpoints
from .webhooks import Inbox, receiver_route
from .wire import encode_json

WEBHOOK_RECEIVER_PATH = f"{CONTROL_PREFIX}/webhook-receiver"
"""Where a mock with an inbox receives webhooks itself, so a test needs no server of its own."""

CONTROL_OFF = (
    "The control API and the dashboard under /__mock__/ are off: start the mock with `apiframe-mock serve --control` "
    '(or `make run ARGS="--control"`, or `make dashboard`) and send the token it prints, or the one given with '
    "--control-token, as 'Authorization: Bearer <token>'."
)

_EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class MockApp(Starlette):
    """The mock's Starlette app, sending POST /fetch-many straight to its endpoint when nothing else must see it."""

    def __init__(self, state: MockState, fetch_many: FetchMany, journalled: bool, **options: Any) -> None:
        super().__init__(**options)
        self._state = state
        self._fetch_many = fetch_many
        self._journalled = journalled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection or request; the polling route skips Starlette's stack while it may."""
        if scope["type"] == "http" and not self._state.backend.available:
            # A shared store out of reach: any answer could be stale, so each is the documented 500.
            await render_error(ServerError())(scope, receive, send)
            return
        # Starlette's middleware stack and router cost 7-10 us of a 45-70 us fetch-many on uvicorn, more
        # than the mock's own work on it (about 3 us), and a poller sends little else. A journal or a
        # fault in force needs the middleware: then the request goes through it, to the same endpoint.
        if (
            scope["type"] == "http"
            and scope["path"] == FETCH_MANY_PATH
            and scope["method"] == "POST"
            and not self._journalled
            and not self._state.faults
        ):
            await self._serve_fetch_many(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _serve_fetch_many(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The same answers as Starlette's error middleware and the mock's handlers give. FetchMany sends
        # nothing before its answer is ready, so an error always finds the response unstarted.
        try:
            await self._fetch_many(scope, receive, send)
        except HTTPError as exc:
            await render_error(exc)(scope, receive, send)
        except Exception:
            await render_error(ServerError())(scope, receive, send)
            raise


def _serving(state: MockState) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Open the store in each process as it starts serving, and close it as it stops."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.backend.open()
        try:
            yield
        finally:
            await state.backend.close()

    return lifespan


async def _control_off(request: Request) -> Response:
    """Answer any path under /__mock__/ with a 404 that says how to turn the control API on."""
    raise NoRoute(f"No route for {request.method} {request.url.path}: {CONTROL_OFF}", status_code=404)


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
        state.journal = journal
    elif control_token is not None:
        journal = state.journal
    openapi = encode_json(build_openapi(bundled_schemas(), control=control_token is not None))
    deadlines = Deadlines()
    fetch_many = FetchMany(state, deadlines)
    routes = build_routes(state, openapi, deadlines, fetch_many)
    routes += build_submission_routes(state, deadlines, load_endpoints().values())
    if inbox is not None:
        routes.append(receiver_route(inbox, WEBHOOK_RECEIVER_PATH))
    if control_token is not None:
        # What the control API's reset restores: the state as the app starts serving it.
        state.backend.remember()
        routes += build_control_routes(state, control_token, deadlines)
    else:
        routes += [
            Route(path, _control_off, methods=_EVERY_METHOD)
            for path in (CONTROL_PREFIX, f"{CONTROL_PREFIX}/{{_:path}}")
        ]
    middleware = [Middleware(JournalMiddleware, record=state.backend.record_request)] if journal is not None else []
    middleware.append(Middleware(FaultMiddleware, state=state))
    app = MockApp(
        state,
        fetch_many,
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
