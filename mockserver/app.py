"""Building the Starlette application of the mock."""

from __future__ import annotations

from starlette.applications import Starlette

from .errors import EXCEPTION_HANDLERS
from .openapi import build_openapi
from .routes import build_routes
from .schemas import bundled_schemas
from .state import MockState
from .wire import encode_json


def create_app(state: MockState | None = None) -> Starlette:
    """Return the mock's ASGI app serving `state` (the bundled fixtures and default key if None)."""
    state = state or MockState.from_fixtures()
    openapi = encode_json(build_openapi(bundled_schemas()))
    app = Starlette(routes=build_routes(state, openapi), exception_handlers=dict(EXCEPTION_HANDLERS))
    app.state.mock = state
    return app
