"""v1's key check, stated once for its routes: a request without the key is refused (401) before its body is read.

POST /fetch-many checks the key itself as well, since its fast lane skips Starlette's stack (see `MockApp`).
"""

from __future__ import annotations

from typing import Protocol

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from ...auth import KeyCheck
from ...errors import Unauthorized


class Keyed(Protocol):
    """What holds the key a route accepts; read per request, since a test may change it between two."""

    keys: KeyCheck


class KeyRequired:
    """ASGI middleware of a v1 route: the vendor's checks the key before anything about the request."""

    def __init__(self, app: ASGIApp, state: Keyed) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a request without the key; pass the others on."""
        header = next((value for name, value in scope["headers"] if name == b"authorization"), None)
        if not self.state.keys.accepts_raw(header):
            raise Unauthorized()
        await self.app(scope, receive, send)


def keyed(state: Keyed) -> list[Middleware]:
    """Return the middleware that makes a route refuse requests without the key of `state`."""
    return [Middleware(KeyRequired, state=state)]
