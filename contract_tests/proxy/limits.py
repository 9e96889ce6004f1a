"""How much the proxy's front takes from an app and how long it waits, and when a connection's waits are due."""

from __future__ import annotations

from dataclasses import dataclass, fields

from mockserver.errors import RequestTimeout
from mockserver.limits import BODY_TIMEOUT_S, HEAD_TIMEOUT_S

from .connection import UPSTREAM_TIMEOUT_S

QUEUED = 16
"""The most pipelined requests queued behind the one under way; past it the connection is read no further."""
MAX_HEAD = 64 << 10
"""The longest request line and headers taken (bytes): past it the app gets 431, as a head that never ends
would otherwise grow without bound."""
REQUEST_KEPT = 64 << 10
"""The longest body (declared by Content-Length) read whole before the request goes on, in one write; of a
longer one, as many bytes are kept to judge the request by."""
KEEP_ALIVE_S = 5.0
"""How long a connection may wait idle for its next request before it is closed (uvicorn's default)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the front waits on an app: for a request's head, for its body, and idle for its next request.

    A short body (up to `REQUEST_KEPT` bytes) is read whole before its request goes on; one not all there
    within `body_s` goes on as it comes, as a longer one does at once, so that the upstream's own patience
    decides and the app gets its answer. Only when no piece comes for `stall_s` and the upstream has said
    nothing does the proxy give up on the body: a 408 in the mock's shape.
    """

    head_s: float = HEAD_TIMEOUT_S
    body_s: float = BODY_TIMEOUT_S
    stall_s: float = UPSTREAM_TIMEOUT_S
    keep_alive_s: float = KEEP_ALIVE_S

    def __post_init__(self) -> None:
        for timeout in fields(self):
            seconds = getattr(self, timeout.name)
            if not seconds > 0:  # a zero would have the front's timer fire for ever on the spot
                raise ValueError(f"Timeouts.{timeout.name} is {seconds!r}: give a number of seconds above 0")

    @property
    def shortest(self) -> float:
        """The shortest of the timeouts: a connection's waits are looked at no further apart."""
        return min(self.head_s, self.body_s, self.stall_s, self.keep_alive_s)


class Pace:
    """When each wait of one connection began (its head, its body, its idleness), and when the next is due."""

    __slots__ = ("body_since", "head_since", "idle_since", "timeouts")

    def __init__(self, timeouts: Timeouts, now: float) -> None:
        self.timeouts = timeouts
        self.head_since: float | None = None
        """When the request head being read began; None between requests."""
        self.body_since: float | None = None
        """When the body being read began or (streamed) a piece of it last came; None when none is awaited."""
        self.idle_since = now

    def head_late(self, now: float) -> bool:
        """Whether the request head being read is late."""
        return self.head_since is not None and now - self.head_since >= self.timeouts.head_s

    def body_due(self, streamed: bool) -> float | None:
        """When the body being read (`streamed` on, or read whole) is late; None if none is awaited."""
        if self.body_since is None:
            return None
        return self.body_since + (self.timeouts.stall_s if streamed else self.timeouts.body_s)

    def stalled(self, size: int) -> RequestTimeout:
        """Return the refusal of a body no piece of which came for `stall_s`, `size` bytes of it having come."""
        return RequestTimeout(
            f"The request body stalled: none of it came for {self.timeouts.stall_s:g} seconds "
            f"({size} bytes came), and the upstream had not answered: send the body without pausing."
        )

    def idle_over(self, now: float) -> bool:
        """Whether a connection idle since `idle_since` has waited out its keep-alive."""
        return now - self.idle_since >= self.timeouts.keep_alive_s

    def next_check(self, now: float, body_due: float | None, idle: bool) -> float:
        """When to look again: at the earliest deadline running, and within the shortest timeout.

        Each deadline is kept to within the loop's own lag; one that begins meanwhile (the keep-alive once a
        body that had 120 s is in) ends no sooner than the shortest timeout, so it is looked at in time, and
        one that moves on only makes the check early.
        """
        due = [self.head_since + self.timeouts.head_s] if self.head_since is not None else []
        due += [body_due] if body_due is not None else []
        due += [self.idle_since + self.timeouts.keep_alive_s] if idle else []
        at, latest = min(due, default=now), now + self.timeouts.shortest
        return at if now < at < latest else latest
