"""The change bus: a process tells every other of a change on Redis, and waits until each has applied it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from .keys import Keys
from .link import TIMEOUT_S, Link

logger = logging.getLogger("apiframe_mock.store")

ACK_TIMEOUT_S = 2.0
"""How long a change waits for every process to apply it before it answers anyway (one is stuck or gone)."""
ALIVE_S = 5.0
"""A process that has not said it is alive for this long is not waited for."""

RESET = "reset"
"""The kind of change a reset, a reseed or `serve --store-reset` is: every process reads the whole state
again and forgets what it keeps on its own (uploads, LoRAs, assets), as a memory store's reset does."""
RELOAD = "all"
"""The kind of change a namespace loaded again once Redis was found empty is: each process reads it again."""


def change(version: int, kind: str, argument: str = "-") -> str:
    """Return the message that tells of change number `version`: ``<version> <kind> <argument>``."""
    return f"{version} {kind} {argument}"


class Bus:
    """Changes as ``<version> <kind> <argument>`` on a channel; each process acknowledges those it applies."""

    def __init__(self, link: Link, keys: Keys, process: str, clock: Callable[[], float]) -> None:
        self._link = link
        self._keys = keys
        self._process = process
        self._clock = clock
        self._applied = 0
        """The newest change this process has applied."""
        self._applying = asyncio.Condition()

    async def publish(self, kind: str, argument: str = "-") -> None:
        """Tell every process of a change, and wait until each has applied it (or `ACK_TIMEOUT_S` passed)."""
        client = self._link.redis()
        version = await client.incr(self._keys.version)
        listeners = await client.publish(self._keys.changes, change(version, kind, argument))
        # Anything may subscribe to the channel (a person's redis-cli): only mock processes answer.
        expected = min(listeners, await self.processes())
        acks = self._keys.acks(str(version))
        deadline = time.monotonic() + ACK_TIMEOUT_S
        received = 0
        while received < expected:
            left = deadline - time.monotonic()
            if left <= 0:
                logger.warning(
                    "apiframe-mock: %d of %d processes applied change %s in time", received, expected, version
                )
                break
            # Each wait stays within the client's own timeout, which a longer one would trip.
            if await client.blpop([acks], timeout=min(left, TIMEOUT_S / 2)) is not None:
                received += 1
        await client.delete(acks)
        # Whichever processes' acks came first, the one that answers this call must have applied it.
        async with self._applying:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._applying.wait_for(lambda: self._applied >= version),
                    max(deadline - time.monotonic(), TIMEOUT_S / 2),
                )

    async def acknowledge(self, version: str) -> None:
        """Say this process applied change `version`."""
        client = self._link.connected()
        await client.rpush(self._keys.acks(version), 1)
        await client.expire(self._keys.acks(version), 60)
        async with self._applying:
            self._applied = max(self._applied, int(version))
            self._applying.notify_all()

    async def alive(self) -> None:
        """Say this process is alive, and so waited for."""
        await self._link.connected().hset(self._keys.processes, self._process, self._clock())

    async def leave(self) -> None:
        """Say this process is gone, so no change waits for it."""
        await self._link.connected().hdel(self._keys.processes, self._process)

    async def processes(self) -> int:
        """Count the mock processes that said they were alive within `ALIVE_S`."""
        seen = await self._link.redis().hvals(self._keys.processes)
        now = self._clock()
        return sum(now - float(value) < ALIVE_S for value in seen)
