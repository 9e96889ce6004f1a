"""v2's key check, stated once for all of /v2: X-API-Key, 401 when missing or unknown and 403 when switched off.

It runs before routing and before any body is read, as the vendor's middleware does; GET /v2/models is
public (vendor document), so it passes without a key.
"""

from __future__ import annotations

from typing import Protocol

from starlette.middleware import Middleware

from ...auth import KeyCheck, KeyVerdict
from ...errors import Forbidden, Unauthorized
from ...http.keys import key_required
from .errors import INACTIVE_KEY, NO_KEY, UNKNOWN_KEY

KEY_HEADER = "x-api-key"
PUBLIC = frozenset({"/v2/models"})
"""The paths under /v2 that answer without a key."""


class Keyed(Protocol):
    """What holds the keys v2 accepts; read per request, since a test may change them between two."""

    keys: KeyCheck


def refusal(keys: KeyCheck, sent: str | None) -> Unauthorized | Forbidden | None:
    """Return the 401 or 403 the X-API-Key value `sent` (None when absent) gets, or None for a valid key."""
    verdict = keys.verdict(sent)
    if verdict is KeyVerdict.MISSING:
        return Unauthorized(NO_KEY)
    if verdict is KeyVerdict.UNKNOWN:
        return Unauthorized(UNKNOWN_KEY)
    if verdict is KeyVerdict.INACTIVE:
        return Forbidden(INACTIVE_KEY)
    return None


def keyed(state: Keyed) -> list[Middleware]:
    """Return the middleware that makes v2's routes refuse requests without a valid key of `state`."""

    def refuse(sent: bytes | None) -> Unauthorized | Forbidden | None:
        return refusal(state.keys, sent.decode("latin-1") if sent is not None else None)

    return key_required(KEY_HEADER, refuse, PUBLIC)
