"""Keeping the app's secrets out of everything the proxy shows or writes: its API key and any `webhook_secret`.

The key is whatever the app put in `Authorization` (without a `Bearer` scheme), and v2's in `X-API-Key`;
wherever either occurs in a header, a request body or an answer it becomes ``$APIFRAME_API_KEY``, as in
every reproduction of the suite. A `webhook_secret` in a JSON request body becomes `REDACTED`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from mockserver.edges.v2.auth import KEY_HEADER as V2_KEY_HEADER

from ..exchange import KEY

REDACTED = "<redacted>"
KEY_HEADERS = (b"authorization", V2_KEY_HEADER.encode())
"""The headers an app's key is sent in: v1's `Authorization`, v2's `X-API-Key`."""
SECRET_FIELDS = frozenset({"webhook_secret"})
_SCHEMES = ("bearer ",)


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces an app's keys, wherever they occur, by the suite's variable for the key."""

    key: str
    """The key in `Authorization` ("" when there is none): what tells which API the app meant it for."""
    others: tuple[str, ...] = ()
    """Any other key the app sent (v2's, in `X-API-Key`), replaced as well."""

    @classmethod
    def of_headers(cls, headers: Sequence[tuple[bytes, bytes]]) -> Redactor:
        """Return the redactor of the keys in the `Authorization` and `X-API-Key` headers among `headers`."""
        keys = dict.fromkeys(KEY_HEADERS, "")
        for name, value in headers:
            if (lowered := name.lower()) in keys:
                text = value.decode("latin-1").strip()
                keys[lowered] = text.split(" ", 1)[1].strip() if text.lower().startswith(_SCHEMES) else text
        key, *others = keys.values()
        return cls(key, tuple(other for other in others if other and other != key))

    def text(self, value: str) -> str:
        """Return `value` with the keys replaced."""
        for key in (self.key, *self.others):
            value = value.replace(key, KEY) if key else value
        return value

    def headers(self, headers: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
        """Return `headers` as text, the key replaced in every value."""
        return tuple((name.decode("latin-1"), self.text(value.decode("latin-1"))) for name, value in headers)

    def body(self, raw: bytes) -> bytes:
        """Return `raw` with the key replaced, and, in a JSON object, each secret field's value."""
        for key in (self.key, *self.others):
            raw = raw.replace(key.encode("latin-1", "replace"), KEY.encode()) if key else raw
        return _without_secrets(raw)


def _without_secrets(raw: bytes) -> bytes:
    if not any(name.encode() in raw for name in SECRET_FIELDS):
        return raw
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return raw
    if not isinstance(value, dict) or not SECRET_FIELDS & value.keys():
        return raw
    return json.dumps({name: REDACTED if name in SECRET_FIELDS else item for name, item in value.items()}).encode()
