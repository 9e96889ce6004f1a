"""`--record FILE`: every exchange as one line of JSON, as it happens, the key and any `webhook_secret` redacted.

Each line holds the time the answer came (seconds since the epoch), the request (method, path, headers,
body) and the answer (status, content type, body), as `Exchange.describe` shows them, plus the rules the
answer broke. The exchanges were redacted before they reached here, so nothing written holds the key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..exchange import Exchange
from .watch import Findings


@dataclass(slots=True)
class Recorder:
    """Appends each exchange to an NDJSON file, flushed line by line so a killed proxy loses at most one."""

    out: IO[str]
    clock: Callable[[], float] = time.time

    @classmethod
    def open(cls, path: Path, clock: Callable[[], float] = time.time) -> Recorder:
        """Open `path` for writing (its folder made if need be); an OSError says why it cannot be."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("w", encoding="utf-8"), clock)

    def write(self, exchange: Exchange, findings: Findings) -> None:
        """Write one exchange as one line."""
        line = {"at": round(self.clock(), 3), **exchange.describe(), "drift": sorted(findings.drift)}
        self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out.flush()

    def close(self) -> None:
        """Close the file."""
        self.out.close()
