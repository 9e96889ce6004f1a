"""v2's key check: X-API-Key, refused with 401 when missing or unknown and 403 when switched off."""

from __future__ import annotations

from starlette.requests import Request

from ...auth import KeyCheck, KeyVerdict
from ...errors import Forbidden, Unauthorized
from .errors import INACTIVE_KEY, NO_KEY, UNKNOWN_KEY

KEY_HEADER = "x-api-key"


def authorise(keys: KeyCheck, request: Request) -> None:
    """Raise the 401 or 403 a request without a valid key gets, before anything about its body is read."""
    verdict = keys.verdict(request.headers.get(KEY_HEADER))
    if verdict is KeyVerdict.MISSING:
        raise Unauthorized(NO_KEY)
    if verdict is KeyVerdict.UNKNOWN:
        raise Unauthorized(UNKNOWN_KEY)
    if verdict is KeyVerdict.INACTIVE:
        raise Forbidden(INACTIVE_KEY)
