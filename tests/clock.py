"""How long a test waited, judged against timers that run on the server's event loop."""

from __future__ import annotations

import time

# uvloop reads its clock once per loop turn, so a timer can end a few microseconds early by a test's own clock.
CLOCK_SLACK_S = 0.005


def started() -> float:
    """The moment a wait begins, on the clock `waited` reads."""
    return time.perf_counter()


def waited(since: float, seconds: float) -> bool:
    """Whether `seconds` have passed since `since`, give or take one loop turn of the server's clock."""
    return time.perf_counter() - since >= seconds - CLOCK_SLACK_S
