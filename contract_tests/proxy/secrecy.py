"""Keeping the app's secrets out of everything the proxy shows or writes: its API key and any `webhook_secret`.

The key is whatever the app put in `Authorization` (without a `Bearer` scheme); wherever it occurs in a
header, a request body or an answer it becomes ``$APIFRAME_API_KEY``, as in every reproduction of the
suite. A `webhook_secret` in a JSON request body becomes `REDACTED`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..exchange import KEY

REDACTED = "<redacted>"
SECRET_FIELDS = frozenset({"webhook_secret"})
_SCHEMES = ("bearer ",)


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces one app's key, wherever it occurs, by the suite's variable for it."""

    key: str

    @classmethod
    def of_headers(cls, headers: Sequence[tuple[bytes, bytes]]) -> Redactor:
        """Return the redactor of the key in the `Authorization` header among `headers` ("" when there is none)."""
        value = next((value for name, value in headers if name.lower() == b"authorization"), b"")
        text = value.decode("latin-1").strip()
        if text.lower().startswith(_SCHEMES):
            text = text.split(" ", 1)[1].strip()
        return cls(text)

    def text(self, value: str) -> str:
        """Return `value` with the key replaced."""
        return value.replace(self.key, KEY) if self.key else value

    def headers(self, headers: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
        """Return `headers` as text, the key replaced in every value."""
        return tuple((name.decode("latin-1"), self.text(value.decode("latin-1"))) for name, value in headers)

    def body(self, raw: bytes) -> bytes:
        """Return `raw` with the key replaced, and, in a JSON object, each secret field's value."""
        if self.key:
            raw = raw.replace(self.key.encode("latin-1", "replace"), KEY.encode())
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
