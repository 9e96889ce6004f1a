"""Each exchange as the reports show it (the app's keys replaced, gzip undone), built once per distinct bytes.

An app polling a task that has not moved sends the same bytes and gets the same bytes back: building the
shown exchange again (decoding every header, scanning each body for the key) would cost the proxy more than
the upstream spends answering, so the last `REMEMBERED` exchanges up to `REMEMBERED_BYTES` are kept by
their bytes and the same object is handed out again, which the judge then finds among the judged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from ..exchange import Answer, Exchange, Request
from .judgement import REMEMBERED_BYTES, bound
from .secrecy import Redactor

Headers = list[tuple[bytes, bytes]]
JUDGE_LIMIT = 1 << 20
"""The longest answer (bytes) held back to be judged; a longer one passes unjudged."""
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
READABLE = frozenset({"", "identity", *_WBITS})
"""The content encodings the proxy undoes to judge an answer; one in another (br, zstd) passes unjudged."""


@dataclass(slots=True)
class Shown:
    """Builds the exchanges with `base_url` as the reports show them, reusing the one built for the same bytes."""

    base_url: str
    _built: dict[tuple[object, ...], tuple[Exchange, str]] = field(default_factory=dict)

    def request(self, method: str, target: str, headers: Headers, kept: bytes) -> tuple[Request, str]:
        """Return the request as shown (the body as far as it was kept), and the app's key."""
        redact = Redactor.of_headers(headers)
        return _request(redact, method, target, headers, kept), redact.key

    def answered(
        self,
        method: str,
        target: str,
        headers: Headers,
        kept: bytes,
        status: int,
        answer_headers: Headers,
        body: tuple[bytes, str],
    ) -> tuple[Exchange, str]:
        """Return the exchange as shown, the answer's `body` (raw, and its content encoding) decoded; and the key."""
        raw, encoding = body
        remembered = len(kept) + len(raw) <= REMEMBERED_BYTES
        key = (method, target, tuple(headers), kept, status, tuple(answer_headers), raw)
        found = self._built.pop(key, None) if remembered else None
        if found is None:
            redact = Redactor.of_headers(headers)
            request = _request(redact, method, target, headers, kept)
            shown = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in answer_headers)
            decoded = redact.body(_decoded(raw, encoding))
            found = Exchange(self.base_url, request, Answer(status, shown, decoded)), redact.key
        if remembered:
            self._built[key] = found
            bound(self._built)
        return found


def _request(redact: Redactor, method: str, target: str, headers: Headers, kept: bytes) -> Request:
    return Request(method, target, redact.headers(headers), redact.body(kept) if kept else None)


def _decoded(raw: bytes, encoding: str) -> bytes:
    """Return the body as the app's client will read it: gzip and deflate undone (at most `JUDGE_LIMIT` bytes)."""
    wbits = _WBITS.get(encoding)
    if wbits is None:
        return raw
    try:
        return zlib.decompressobj(wbits).decompress(raw, JUDGE_LIMIT)
    except zlib.error:
        return raw
