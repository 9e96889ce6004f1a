"""Deadlines for reading request bodies, kept by one timer per event loop.

A client that declares a body and never sends it would hold its connection forever: uvicorn waits as
long as the client likes. `asyncio.timeout` would let it go, but costs about 9 us a request on uvloop
(a timer armed and cancelled per request), a tenth of the whole request; here a request only enters
and leaves a dict, and one timer sweeps them all a few times a second.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

_SWEEPS_PER_TIMEOUT = 5
_MAX_SWEEP_S = 0.25


class Deadlines:
    """Cancels tasks whose body read runs past its deadline; `expired` tells such a task apart."""

    def __init__(self) -> None:
        self._reads: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._interval = _MAX_SWEEP_S
        self._ticking = False

    def begin(self, timeout_s: float) -> asyncio.Task[Any] | None:
        """Give the current task `timeout_s` seconds to finish its read; return the task to `end` it."""
        task = asyncio.current_task()
        if task is None:
            return None
        self._reads[task] = time.monotonic() + timeout_s
        loop = task.get_loop()
        if loop is not self._loop or not self._ticking:
            # A forked worker or a test's second server brings a new loop; its timer starts here.
            self._loop = loop
            self._ticking = True
            self._interval = min(_MAX_SWEEP_S, timeout_s / _SWEEPS_PER_TIMEOUT)
            loop.call_later(self._interval, self._sweep)
        return task

    def end(self, task: asyncio.Task[Any] | None) -> None:
        """Mark the read of `task` as over, in time or not."""
        if task is not None:
            self._reads.pop(task, None)

    def expired(self, task: asyncio.Task[Any] | None) -> bool:
        """Say whether `task` was cancelled for missing its deadline (and forget that it was)."""
        if task is None or task not in self._expired:
            return False
        self._expired.discard(task)
        task.uncancel()
        return True

    def _sweep(self) -> None:
        now = time.monotonic()
        for task, deadline in list(self._reads.items()):
            if deadline <= now:
                del self._reads[task]
                self._expired.add(task)
                task.cancel()
        # The timer stops when no read is waiting, and the next read starts it again.
        if self._reads and self._loop is not None and not self._loop.is_closed():
            self._loop.call_later(self._interval, self._sweep)
        else:
            self._ticking = False
