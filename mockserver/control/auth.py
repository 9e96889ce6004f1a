"""The control token, checked once for every control route but the dashboard's page, before anything else."""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Receive, Scope, Send

from ..auth import KeyCheck
from ..errors import Unauthorized


class ControlAuth:
    """ASGI middleware refusing (401) a request to the control API that does not carry the token."""

    def __init__(self, app: ASGIApp, keys: KeyCheck, public: Collection[str]) -> None:
        self.app = app
        self.keys = keys
        self.public = frozenset(public)
        """The full paths served without the token: the dashboard's page and files, which hold no data."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the token, then pass the request on."""
        if scope["type"] == "http" and scope["path"] not in self.public:
            header = next((value for name, value in scope["headers"] if name == b"authorization"), None)
            if not self.keys.accepts_raw(header):
                raise Unauthorized()
        await self.app(scope, receive, send)
