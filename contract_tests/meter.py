"""What a run may still send, shared by every client of the run: requests, time, pace and valid submissions.

A run of ``--api both`` talks to two servers (v1's host and v2's), each through its own client; the
budget, the time limit, the pace and the submissions `--allow-submissions` allows are the run's, not
each client's, so the clients share one meter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .target import Target


@dataclass(slots=True)
class Meter:
    """Requests sent and valid submissions made so far, against the limits of the run's first target."""

    max_requests: int | None = None
    rate: float | None = None
    max_seconds: float | None = None
    allow_submissions: int | None = None
    sent: int = 0
    spent: str = ""
    """Why the budget stopped the run, once it has; empty until then."""
    submitted: int = 0
    """Valid submissions sent, and any request a submit endpoint took although it must refuse it."""
    next_slot: float = 0.0
    started: float | None = field(default=None)

    @classmethod
    def of(cls, target: Target) -> Meter:
        """Return a fresh meter holding the limits of `target`."""
        return cls(target.max_requests, target.rate, target.max_seconds, target.allow_submissions)

    def time_left(self) -> float:
        """Return the seconds the run may still take (infinite without a time limit), starting the clock."""
        if self.max_seconds is None:
            return float("inf")
        if self.started is None:
            self.started = time.monotonic()
        return self.max_seconds - (time.monotonic() - self.started)

    def spend(self) -> str:
        """Count one more request, pacing it; return why the budget refuses it (empty when it does not)."""
        if self.max_requests is not None and self.sent >= self.max_requests:
            self.spent = f"the request budget ({self.max_requests}) is spent; raise --max-requests to check the rest"
        elif self.time_left() <= 0:
            self.spent = f"the run's time limit ({self.max_seconds:g} s) is spent"
        if self.spent:
            return self.spent
        if self.rate is not None:
            now = time.monotonic()
            if now < self.next_slot:
                time.sleep(self.next_slot - now)
            self.next_slot = max(now, self.next_slot) + 1.0 / self.rate
        self.sent += 1
        return ""
