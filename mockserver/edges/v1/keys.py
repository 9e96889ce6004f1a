"""v1's key check, stated once for its routes: a request without the key is refused (401) before its body is read.

POST /fetch-many checks the key itself as well, since its fast lane skips Starlette's stack (see `MockApp`).
"""

from __future__ import annotations

from typing import Protocol

from starlette.middleware import Middleware

from ...auth import KeyCheck
from ...http.keys import authorization_required


class Keyed(Protocol):
    """What holds the key a route accepts; read per request, since a test may change it between two."""

    keys: KeyCheck


def keyed(state: Keyed) -> list[Middleware]:
    """Return the middleware that makes a route refuse requests without the key of `state`."""
    return authorization_required(lambda: state.keys)
