"""One process's connection to Redis: its clients, whether it can answer now, and a failure said once a while."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ....errors import ServerError
from ..urls import redacted

logger = logging.getLogger("apiframe_mock.store")
Result = TypeVar("Result")

TIMEOUT_S = 1.0
"""How long any one Redis call may take: past it, the request that needed it gets 500 rather than hang."""
COMPLAIN_S = 10.0
"""How often, at most, a failing call to Redis is logged."""


def reason(exc: BaseException) -> str:
    """Say why a call failed, in a few words."""
    return str(exc).strip().rstrip(".") or type(exc).__name__


class Link:
    """The clients of one process: a plain one for before serving and other threads, an async one for requests."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = redacted(url)
        self.sync = redis.Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
        self.client: aioredis.Redis | None = None
        self.available = False
        """Whether this process can answer from Redis now: its copy of the state is current."""
        self._down_since: float | None = None
        self._complained = 0.0

    def open(self) -> aioredis.Redis:
        """Make the async client, in the process and on the loop that serves."""
        self.client = aioredis.Redis.from_url(
            self.url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S, health_check_interval=1
        )
        return self.client

    def redis(self) -> aioredis.Redis:
        """Return the client for a request's calls, or answer 500 while Redis is out of reach."""
        if self.client is None or not self.available:
            raise ServerError()
        return self.client

    def connected(self) -> aioredis.Redis:
        """Return the client, whether or not the state it serves is current."""
        assert self.client is not None
        return self.client

    def up(self) -> None:
        """Say the process serves again, if it had stopped."""
        if self._down_since is not None:
            logger.warning("apiframe-mock: the store at %s answers again; serving", self.where)
        self._down_since = None
        self.available = True

    def down(self, exc: BaseException) -> None:
        """Stop serving until `up`: the process's copy may be stale."""
        self.available = False
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "apiframe-mock: lost the store at %s (%s): answering 500 until it is back", self.where, reason(exc)
            )

    def may_complain(self) -> bool:
        """Say whether a failed call may be logged: not in an outage already logged, and once a while at most."""
        now = time.monotonic()
        if self._down_since is not None or now - self._complained <= COMPLAIN_S:
            return False
        self._complained = now
        return True

    async def guard(self, call: Callable[[], Awaitable[Result]]) -> Result:
        """Run `call`, answering 500 if Redis fails it, and saying why (once a while, not once a request)."""
        try:
            return await call()
        except (RedisError, OSError) as exc:
            # Whether the process can serve at all is the listener's to say: a call that failed once
            # (Redis paused, a slow moment) must not stop the process after Redis is back.
            if self.may_complain():
                logger.warning(
                    "apiframe-mock: a call to the store at %s failed (%s): answering 500", self.where, reason(exc)
                )
            raise ServerError() from None

    async def close(self) -> None:
        """Let go of both clients."""
        if self.client is not None:
            await self.client.aclose()
        self.sync.close()
