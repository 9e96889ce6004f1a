"""What the v2 test modules share: the key as a v2 client sends it, and a mock per module reset after each test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app

from .conftest import CONTROL, TOKEN

V2_KEY = "afk_" + DEFAULT_API_KEY
"""The default key in v2's form."""
KEY = {"X-API-Key": V2_KEY}


@contextmanager
def serving_v2(state: MockState) -> Iterator[str]:
    """Serve `state` with the control API on, and yield its URL."""
    with ServerThread(create_app(state, control_token=TOKEN)) as running:
        yield running.url


@contextmanager
def v2_client(server: str) -> Iterator[httpx.Client]:
    """Yield a client of `server`, and reset the mock after."""
    with httpx.Client(base_url=server, timeout=10) as client:
        yield client
        client.post("/__mock__/reset", headers=CONTROL)
