"""The journal: every request the mock received, oldest first, with the key never kept, within its bounds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from ..limits import MAX_BODY_BYTES
from ..wire import strict_json

JOURNAL_MAX_ENTRIES = 10_000
JOURNAL_MAX_BYTES = 64 * MAX_BODY_BYTES
"""A journal keeps at most this many requests and this many bytes of their bodies, the newest."""
REDACTED = "<redacted>"


def redact_authorization(value: str) -> str:
    """Keep the scheme word of an Authorization value (``Bearer``) and hide the key."""
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {REDACTED}" if rest and scheme.lower() == "bearer" else REDACTED


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One received request: method, path, headers (Authorization redacted), body, and how it was answered."""

    method: str
    path: str
    headers: Headers
    body: bytes
    status: int | None = None
    """The answer's status, or None when the connection ended without one (a drop)."""
    at: float = 0.0
    """When the request arrived, in seconds since the epoch."""

    @property
    def json(self) -> Any:
        """Return the body decoded as JSON, or None when it is empty or not JSON."""
        try:
            # Kept NaN or Infinity would make the journal's own answer invalid JSON: such a body shows as text.
            return strict_json(self.body.decode("utf-8"))
        except (ValueError, RecursionError):
            return None


@dataclass(frozen=True, slots=True)
class JournalPage:
    """Some of a journal's entries, oldest first, and where they stand in it."""

    entries: list[RecordedRequest]
    dropped: int
    """How many of the oldest entries were dropped to keep within the bounds since the last clear."""
    total: int
    """How many entries the journal holds, shown or not."""

    @property
    def first(self) -> int:
        """The number of the first entry shown, counting every entry recorded since the last clear from 1."""
        return self.dropped + self.total - len(self.entries) + 1


class Journal:
    """The requests received, oldest first; past its bounds the oldest are dropped, and counted."""

    def __init__(self, max_entries: int = JOURNAL_MAX_ENTRIES, max_bytes: int = JOURNAL_MAX_BYTES) -> None:
        # A mock left running with --control under a load test would otherwise keep every request it
        # ever saw, bodies of up to 1 MiB each, until memory ran out.
        self._entries: deque[RecordedRequest] = deque()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self.dropped = 0
        """How many of the oldest entries were dropped to keep within the bounds since the last clear."""

    def record(self, entry: RecordedRequest) -> None:
        """Append `entry`, dropping the oldest entries while the journal is past a bound."""
        self._entries.append(entry)
        self._bytes += len(entry.body)
        while len(self._entries) > self._max_entries or (self._bytes > self._max_bytes and len(self._entries) > 1):
            self._bytes -= len(self._entries.popleft().body)
            self.dropped += 1

    def clear(self) -> None:
        """Forget every entry, and the count of dropped ones."""
        self._entries.clear()
        self._bytes = 0
        self.dropped = 0

    def entries(self) -> list[RecordedRequest]:
        """Return a copy of the entries, oldest first."""
        return list(self._entries)

    def page(self, last: int | None = None) -> JournalPage:
        """Return the entries (the newest `last`, if given), oldest first, and where they stand."""
        entries = self.entries()
        shown = entries if last is None else entries[len(entries) - last :] if last else []
        return JournalPage(shown, self.dropped, len(entries))
