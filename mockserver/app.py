"""Building the Starlette application of the mock."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware

from .control import build_control_routes
from .deadlines import Deadlines
from .errors import EXCEPTION_HANDLERS
from .injection import FaultMiddleware
from .journal import Journal, JournalMiddleware
from .openapi import build_openapi
from .routes import build_routes
from .schemas import bundled_schemas
from .state import MockState
from .wire import encode_json


def create_app(
    state: MockState | None = None, journal: Journal | None = None, control_token: str | None = None
) -> Starlette:
    """Return the mock's ASGI app serving `state` (the bundled fixtures and default key if None).

    With a `journal`, every request is recorded in it; without one, nothing is, which keeps the
    hot path free of the cost. With a `control_token`, the control API under /__mock__/ is on,
    refusing callers without that token; it records a journal of its own unless one is given.
    """
    state = state or MockState.from_fixtures()
    if control_token is not None and journal is None:
        journal = Journal()
    openapi = encode_json(build_openapi(bundled_schemas(), control=control_token is not None))
    deadlines = Deadlines()
    routes = build_routes(state, openapi, deadlines)
    if control_token is not None and journal is not None:
        routes += build_control_routes(state, control_token, journal, deadlines)
    middleware = [Middleware(JournalMiddleware, journal=journal)] if journal is not None else []
    middleware.append(Middleware(FaultMiddleware, state=state))
    app = Starlette(routes=routes, exception_handlers=dict(EXCEPTION_HANDLERS), middleware=middleware)
    # Starlette would answer a stray trailing slash with a bodiless 307 to a Location built from the
    # client's Host header; the mock answers it as any unknown path, with its JSON 404.
    app.router.redirect_slashes = False
    app.state.mock = state
    return app
