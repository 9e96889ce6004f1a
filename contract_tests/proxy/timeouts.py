"""How long the proxy's front waits on an app, and for what."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.limits import BODY_TIMEOUT_S, HEAD_TIMEOUT_S

from .connection import UPSTREAM_TIMEOUT_S

KEEP_ALIVE_S = 5.0
"""How long a connection may wait idle for its next request before it is closed (uvicorn's default)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the front waits on an app: for a request's head, for its body, and idle for its next request.

    A short body (up to `front.REQUEST_KEPT` bytes) is read whole before its request goes on; one not all there
    within `body_s` goes on as it comes, as a longer one does at once, so that the upstream's own patience
    decides and the app gets its answer. Only when no piece comes for `stall_s` and the upstream has said
    nothing does the proxy give up on the body: a 408 in the mock's shape.
    """

    head_s: float = HEAD_TIMEOUT_S
    body_s: float = BODY_TIMEOUT_S
    stall_s: float = UPSTREAM_TIMEOUT_S
    keep_alive_s: float = KEEP_ALIVE_S
