"""Checking the `Authorization` header against the configured API key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum

_BEARER = b"bearer "
_EXACT_BEARER = b"Bearer "
V2_KEY_PREFIX = "afk_"
"""How every v2 key starts (vendor docs: "API keys always start with the prefix afk_")."""
_V2_PREFIX = V2_KEY_PREFIX.encode()


class KeyVerdict(StrEnum):
    """What a key sent in v2's X-API-Key header is to the mock."""

    MISSING = "missing"
    UNKNOWN = "unknown"
    INACTIVE = "inactive"
    VALID = "valid"


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
    inactive: tuple[str, ...] = ()
    """Keys the mock knows but that are switched off: v2 answers them 403 rather than 401."""
    v1_refuses_v2_keys: bool = False
    """Whether v1 refuses a key that starts with ``afk_`` (third-party code says so; no vendor source does)."""
    # Encoded once here rather than on every request that shows a key.
    _expected: bytes = field(init=False, repr=False, compare=False)
    _v2_expected: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_expected", self.api_key.encode())
        object.__setattr__(self, "_v2_expected", self.v2_key.encode())

    @property
    def v2_key(self) -> str:
        """The key as a v2 client sends it: the key itself if it starts with ``afk_``, else with ``afk_`` before it.

        v2 accepts both it and the bare key, so one ``--api-key`` serves both versions, and the
        default key has a v2 form that looks like a real one.
        """
        return self.api_key if self.api_key.startswith(V2_KEY_PREFIX) else V2_KEY_PREFIX + self.api_key

    def verdict(self, sent: str | None) -> KeyVerdict:
        """Judge the value of v2's X-API-Key header (None when absent)."""
        sent = sent.strip(" \t") if sent else sent
        if not sent:
            return KeyVerdict.MISSING
        encoded = sent.encode("latin-1")
        # Both comparisons always run, so the time taken does not tell which form was close.
        if hmac.compare_digest(encoded, self._expected) | hmac.compare_digest(encoded, self._v2_expected):
            return KeyVerdict.VALID
        return KeyVerdict.INACTIVE if sent in self.inactive else KeyVerdict.UNKNOWN

    def keyed(self, authorization: bytes | None, api_key: bytes | None) -> bool:
        """Say whether a request carries a valid key, in v1's Authorization or v2's X-API-Key header."""
        if self.accepts_raw(authorization):
            return True
        return api_key is not None and self.verdict(api_key.decode("latin-1")) is KeyVerdict.VALID

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
        scheme = sent[: len(_BEARER)]
        bearer = scheme == _EXACT_BEARER or (self.bearer_any_case and scheme.lower() == _BEARER)
        token = sent[len(_BEARER) :] if bearer else b""
        if self.v1_refuses_v2_keys and (sent.startswith(_V2_PREFIX) or token.startswith(_V2_PREFIX)):
            return False
        bare = hmac.compare_digest(sent, expected)
        if self.scheme is AuthScheme.BARE:
            return bare
        # Both comparisons always run, so the time taken does not tell which form was close.
        return bare | hmac.compare_digest(token, expected)
