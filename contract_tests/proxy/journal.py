"""The proxy's journal: the newest exchanges and what each showed, as the dashboard and its journal route list them.

An entry has the fields of an entry of the mock's journal (seq, at, method, path, status, headers, json,
body: the request, the key already replaced by ``$APIFRAME_API_KEY``) and its `findings`: each rule
the answer broke (documented, assumed or guess in CONTRACT.md), or the flake, or the app's own problem,
each with the exchange as curl. Memory stays bounded: the newest `JOURNAL_ENTRIES` exchanges are kept,
as they were judged; an entry is put in words only when it is asked for.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.wire import strict_json

from ..exchange import Exchange, Request
from ..rules import RULES
from .watch import Findings

JOURNAL_ENTRIES = 1_000
"""The most exchanges the journal keeps, the newest; each holds at most the request body the proxy keeps."""
_SOURCES = {rule.id: rule.source.value for rule in RULES}


@dataclass(frozen=True, slots=True)
class _Entry:
    """One exchange as the journal keeps it: the request and the answer's status, not its body (up to 1 MiB)."""

    at: float
    base_url: str
    request: Request
    status: int | None
    findings: Findings


@dataclass(slots=True)
class ExchangeJournal:
    """The newest exchanges the proxy passed on, with their findings, oldest first."""

    clock: Callable[[], float] = time.time
    _entries: deque[_Entry] = field(default_factory=lambda: deque(maxlen=JOURNAL_ENTRIES))
    recorded: int = 0
    """How many exchanges were recorded since the proxy started: the `seq` of the newest."""

    def record(self, exchange: Exchange, findings: Findings) -> None:
        """Keep one judged exchange, dropping the oldest past `JOURNAL_ENTRIES`."""
        self.recorded += 1
        status = exchange.answer.status if exchange.answer is not None else None
        self._entries.append(_Entry(self.clock(), exchange.base_url, exchange.request, status, findings))

    def listed(self, last: int | None = None) -> dict[str, Any]:
        """Return the newest `last` entries (all if None), oldest first, and how many older ones were dropped."""
        entries = list(self._entries)
        shown = entries[len(entries) - last :] if last is not None and last < len(entries) else entries
        first = self.recorded - len(shown) + 1
        return {
            "requests": [_described(seq, entry) for seq, entry in enumerate(shown, start=first)],
            "dropped": self.recorded - len(entries),
        }


def _described(seq: int, entry: _Entry) -> dict[str, Any]:
    request = entry.request
    body = request.body or b""
    try:
        # As in the mock's journal, a NaN kept would make the answer invalid JSON: such a body shows as text.
        decoded = strict_json(body.decode("utf-8")) if body else None
    except (ValueError, RecursionError):
        decoded = None
    return {
        "seq": seq,
        "method": request.method,
        "path": request.path,
        "status": entry.status,
        "at": round(entry.at, 3),
        "headers": dict(request.headers),
        "json": decoded,
        "body": None if decoded is not None else body.decode("utf-8", "replace"),
        "findings": _findings(request.curl(entry.base_url), entry.findings),
    }


def _findings(curl: str, findings: Findings) -> list[dict[str, str | None]]:
    """Return what one exchange (sent again by `curl`) showed: each rule broken with its source, flake, app's own."""
    found: list[dict[str, str | None]] = [
        {"kind": "drift", "rule": rule, "source": _SOURCES.get(rule), "reason": reason, "curl": curl}
        for rule, reason in findings.drift.items()
    ]
    for kind, reason in (("flake", findings.flake), ("app", findings.app)):
        if reason:
            found.append({"kind": kind, "rule": None, "source": None, "reason": reason, "curl": curl})
    return found
