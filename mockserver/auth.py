"""Checking the `Authorization` header against the configured API key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum

_BEARER = b"bearer "
_EXACT_BEARER = b"Bearer "


class AuthScheme(StrEnum):
    """Which Authorization forms the mock accepts."""

    BARE = "bare"
    """Only the bare key, as the docs show: ``Authorization: <key>``."""
    BEARER_TOO = "bearer-too"
    """The bare key or ``Bearer <key>``, as the official 1.x SDKs send (assumed to work live)."""


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """Accepts an Authorization header value when it carries `api_key` in an allowed form."""

    api_key: str
    scheme: AuthScheme = AuthScheme.BEARER_TOO
    bearer_any_case: bool = True
    """Whether the scheme may be written in any case (``bearer``), as RFC 9110 has it, or only ``Bearer``."""
    # Encoded once here rather than on every request that shows a key.
    _expected: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_expected", self.api_key.encode())

    def accepts(self, header: str | None) -> bool:
        """Say whether `header` (the value as Starlette decodes it, or None when absent) carries the key."""
        # Starlette decodes header bytes as latin-1, so this recovers the bytes that were sent.
        return self.accepts_raw(header.encode("latin-1") if header is not None else None)

    def accepts_raw(self, sent: bytes | None) -> bool:
        """Say whether the header bytes `sent` (None when absent) carry the key."""
        # RFC 9110 drops the blanks around a field value (as Node does); httptools keeps trailing ones.
        sent = sent.strip(b" \t") if sent else sent
        if not sent:
            return False
        expected = self._expected
        bare = hmac.compare_digest(sent, expected)
        if self.scheme is AuthScheme.BARE:
            return bare
        scheme = sent[: len(_BEARER)]
        bearer = scheme == _EXACT_BEARER or (self.bearer_any_case and scheme.lower() == _BEARER)
        token = sent[len(_BEARER) :] if bearer else b""
        # Both comparisons always run, so the time taken does not tell which form was close.
        return bare | hmac.compare_digest(token, expected)
