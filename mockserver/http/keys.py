"""One key check for every edge: read the key a request sends, and refuse it in the edge's own shape.

It runs before the endpoint and before any body is read, as the vendor's middleware does: over a Mount
(v2, the control API) it also runs before the routes under it are matched, so an unknown path there is
refused for its key first; over one route (v1's) only that route's requests are checked. Each user says
which header holds its key and how a request is refused: v1 answers 401 `{}` on `Authorization`, v2
401 or 403 in its `{"error"}` shape on `X-API-Key`, the control API 401 on its bearer token.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from ..auth import KeyCheck
from ..errors import HTTPError, Unauthorized

Refusal = Callable[[bytes | None], HTTPError | None]
"""Given the key header's value (None when absent), the error a request is refused with, or None to pass it."""
AUTHORIZATION = "authorization"


class KeyRequired:
    """ASGI middleware: refuse a request whose key `refuse` objects to, unless its path is public."""

    def __init__(self, app: ASGIApp, header: str, refuse: Refusal, public: Collection[str] = ()) -> None:
        self.app = app
        # ASGI servers give header names in lower case.
        self.header = header.lower().encode("latin-1")
        self.refuse = refuse
        self.public = frozenset(public)
        """The full paths that answer without a key."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a request without a valid key; pass the others on."""
        if scope["type"] == "http" and scope["path"] not in self.public:
            sent = next((value for name, value in scope["headers"] if name == self.header), None)
            error = self.refuse(sent)
            if error is not None:
                raise error
        await self.app(scope, receive, send)


def key_required(header: str, refuse: Refusal, public: Collection[str] = ()) -> list[Middleware]:
    """Return the middleware that refuses, as `refuse` says, a request whose `header` holds no valid key."""
    return [Middleware(KeyRequired, header=header, refuse=refuse, public=public)]


def authorization_required(keys: Callable[[], KeyCheck], public: Collection[str] = ()) -> list[Middleware]:
    """Return the middleware that refuses with 401 a request whose Authorization does not carry the key of `keys()`.

    `keys` is asked on every request, since a test may change the key between two.
    """

    def refuse(sent: bytes | None) -> Unauthorized | None:
        return None if keys().accepts_raw(sent) else Unauthorized()

    return key_required(AUTHORIZATION, refuse, public)
