"""How long the proxy's front waits on an app, and for what."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.limits import BODY_TIMEOUT_S, HEAD_TIMEOUT_S

KEEP_ALIVE_S = 5.0
"""How long a connection may wait idle for its next request before it is closed (uvicorn's default)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the front waits on an app: for a request's head, for its body, and idle for its next request.

    A body read whole (up to `front.REQUEST_KEPT` bytes) must arrive within `body_s`, as the mock asks; a longer
    one goes on to the upstream as it comes, for as long as it takes, but no piece may be `body_s` late.
    """

    head_s: float = HEAD_TIMEOUT_S
    body_s: float = BODY_TIMEOUT_S
    keep_alive_s: float = KEEP_ALIVE_S
