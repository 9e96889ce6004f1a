"""`--har FILE`: every exchange as an entry of a HAR 1.2 log, for tools that read HAR, redacted as `--record` is.

Entries are written as they happen, so memory does not grow with the session; the log is closed when the
proxy stops. The exchanges were redacted before they reached here: the key appears only as its variable.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

from ..exchange import Exchange
from .watch import Findings


@dataclass(slots=True)
class HarRecorder:
    """Writes one HAR entry per exchange to an open log, and closes the log at the end."""

    out: IO[str]
    clock: Callable[[], float] = time.time
    entries: int = 0

    @classmethod
    def open(cls, path: Path, clock: Callable[[], float] = time.time) -> HarRecorder:
        """Open `path` and write the head of the log; an OSError says why it cannot be."""
        path.parent.mkdir(parents=True, exist_ok=True)
        out = path.open("w", encoding="utf-8")
        creator = {"name": "apiframe-mock proxy", "version": version("apiframe-mock")}
        head = json.dumps({"version": "1.2", "creator": creator})
        out.write('{"log": ' + head[:-1] + ', "entries": [\n')
        return cls(out, clock)

    def write(self, exchange: Exchange, findings: Findings) -> None:
        """Write one exchange as one entry."""
        self.out.write(("" if self.entries == 0 else ",\n") + json.dumps(har_entry(exchange, self.clock())))
        self.out.flush()
        self.entries += 1

    def close(self) -> None:
        """End the log and close the file."""
        self.out.write("\n]}}\n")
        self.out.close()


def har_entry(exchange: Exchange, at: float) -> dict[str, Any]:
    """Return `exchange`, answered at `at` (seconds since the epoch), as a HAR 1.2 entry."""
    request, answer = exchange.request, exchange.answer
    sent: dict[str, Any] = {
        "method": request.method,
        "url": exchange.base_url + request.path,
        "httpVersion": "HTTP/1.1",
        "headers": _headers(request.headers),
        "queryString": [{"name": n, "value": v} for n, v in parse_qsl(urlsplit(request.path).query, True)],
        "cookies": [],
        "headersSize": -1,
        "bodySize": len(request.body or b""),
    }
    if request.body is not None:
        kind = next((value for name, value in request.headers if name.lower() == "content-type"), "")
        sent["postData"] = {"mimeType": kind, "text": request.body.decode("utf-8", "replace")}
    status = answer.status if answer is not None else 0
    text = answer.raw.decode("utf-8", "replace") if answer is not None else ""
    received = {
        "status": status,
        "statusText": _reason(status) if answer is not None else exchange.problem,
        "httpVersion": "HTTP/1.1",
        "headers": _headers(answer.headers) if answer is not None else [],
        "cookies": [],
        "content": {"size": len(text), "mimeType": answer.content_type if answer else "", "text": text},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": len(answer.raw) if answer is not None else -1,
    }
    started = datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")
    timings = {"send": 0, "wait": 0, "receive": 0}
    return {
        "startedDateTime": started,
        "time": 0,
        "request": sent,
        "response": received,
        "cache": {},
        "timings": timings,
    }


def _headers(headers: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
