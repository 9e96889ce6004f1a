"""The control token, checked once for every control route but the dashboard's page, before anything else."""

from __future__ import annotations

import os
import secrets
from collections.abc import Collection

from starlette.types import ASGIApp, Receive, Scope, Send

from ..auth import KeyCheck
from ..errors import Unauthorized, UsageError

CONTROL_TOKEN_ENV = "APIFRAME_MOCK_CONTROL_TOKEN"
"""Where a command looks for the control token when --control-token is not given."""


def control_token(given: str | None) -> tuple[str, str]:
    """Return the control token (`given`, else from the environment, else generated) and words saying how to use it.

    `serve --control` and `proxy` take their token the same way; an empty one is a UsageError.
    """
    given = given if given is not None else os.environ.get(CONTROL_TOKEN_ENV)
    if given is not None and not given:
        raise UsageError("the control token is empty; give a non-empty --control-token")
    if given:
        return given, f"(token from the flag or ${CONTROL_TOKEN_ENV})"
    token = secrets.token_urlsafe(24)
    return token, f"with 'Authorization: Bearer {token}'"


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
