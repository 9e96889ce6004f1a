"""Keeping one process's copy of the namespace current, and sending the webhooks of the tasks it took.

The process listens on the change bus and applies each change to its copy; while it cannot (Redis out
of reach, or a record it cannot read) it answers 500, and reads the whole namespace again once it can.
A task's webhooks are sent by the process that took its submission, so they go out in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Collection

from redis.exceptions import RedisError

from ....errors import ServerError
from ...webhooks import Hook
from ..base import Store
from ..records import TaskRecord
from ..tasks import TaskStore
from .bus import ALIVE_S, RELOAD, RESET, Bus, change
from .keys import Keys
from .link import TIMEOUT_S, Link, reason
from .seed import SCAN, SETTINGS, apply_settings, load, text, write_seed

logger = logging.getLogger("apiframe_mock.store")

SWEEP_S = 0.05
"""How often a process looks for steps its tasks came to, to send their webhooks."""
RETRY_S = (0.1, 0.2, 0.5, 1.0)
"""How long a process waits before each try to reach Redis again, the last repeated."""

Polls = Callable[[Collection[str] | None], Awaitable[None]]
"""Brings this process's poll counts of some tasks up to Redis's."""


class Follower:
    """Applies the bus's changes to `copy`, and sends the steps of the tasks this process owns to their hooks."""

    def __init__(
        self, copy: Store, link: Link, keys: Keys, bus: Bus, process: str, clock: Callable[[], float], seed: Store
    ) -> None:
        self._copy = copy
        self._link = link
        self._keys = keys
        self._bus = bus
        self._process = process
        self._clock = clock
        self._seed = seed
        self.polls: Polls | None = None
        """How the store brings poll counts up to date, before steps are sent."""
        self.fixture_ids: set[str] = set()
        """The ids of the tasks the namespace was first loaded with, as this process last read them."""
        self._owned: dict[str, tuple[int, Hook]] = {}
        """The tasks on a timeline whose webhooks this process sends: the last step sent, and where to."""
        self._running: list[asyncio.Task[None]] = []

    # Reading the namespace whole: before serving, with the plain client; then whenever it may be stale.
    def load_sync(self) -> None:
        """Read the namespace into the copy with the plain client, before serving."""
        sync, keys, clock = self._link.sync, self._keys, self._clock
        self.fixture_ids = {text(key) for key in sync.hkeys(keys.start_tasks)}
        tasks = TaskStore(clock=clock)
        for _, raw in sync.hscan_iter(keys.tasks, count=SCAN):
            load(tasks, TaskRecord.decode(raw))
        self._copy.tasks = tasks
        apply_settings(self._copy, *sync.mget([getattr(keys, name) for name in SETTINGS]))

    async def _resync(self) -> None:
        client, keys, clock = self._link.connected(), self._keys, self._clock
        while not await client.exists(keys.version):
            # Redis came back empty (restarted without persistence, or flushed): the namespace starts
            # afresh with the fixtures, loaded by whichever process gets there first; the others wait.
            if await client.set(keys.seeding, self._process, nx=True, ex=10):
                await write_seed(client.pipeline(transaction=True), keys, self._seed, clock).execute()
                await client.delete(keys.seeding)
                await client.publish(keys.changes, change(await client.incr(keys.version), RELOAD))
                logger.warning("apiframe-mock: the store at %s was empty: loaded the fixtures again", self._link.where)
            else:
                await asyncio.sleep(RETRY_S[0])
        self.fixture_ids = {text(key) for key in await client.hkeys(keys.start_tasks)}
        tasks = TaskStore(clock=clock)
        async for _, raw in client.hscan_iter(keys.tasks, count=SCAN):
            load(tasks, TaskRecord.decode(raw))
        self._copy.tasks = tasks
        apply_settings(self._copy, *await client.mget([getattr(keys, name) for name in SETTINGS]))

    # Following the bus.
    async def start(self) -> None:
        """Start listening and sweeping; return once the copy is current, or Redis is known out of reach."""
        ready = asyncio.get_running_loop().create_future()
        self._running = [
            asyncio.create_task(self._listen(ready)),
            asyncio.create_task(self._sweep()),
        ]
        await ready

    async def stop(self) -> None:
        """Stop listening and sweeping."""
        pending = set(self._running)
        # redis-py's pubsub can swallow a cancel that lands while it closes its connection, and a stop that
        # waited on it would hang the process's shutdown: the cancel is said again until each task is done.
        while pending:
            for task in pending:
                task.cancel()
            done, pending = await asyncio.wait(pending, timeout=TIMEOUT_S)
            for task in done:
                if not task.cancelled():
                    task.exception()

    async def _listen(self, ready: asyncio.Future[None]) -> None:
        tries = 0
        while True:
            try:
                async with self._link.connected().pubsub() as pubsub:
                    await pubsub.subscribe(self._keys.changes)
                    # Subscribed first, then read whole: no change can fall between the two. Counted among
                    # the processes a change waits for from the moment it can hear of one.
                    await self._bus.alive()
                    await self._resync()
                    self._link.up()
                    tries = 0
                    if not ready.done():
                        ready.set_result(None)
                    while True:
                        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                        if message is not None:
                            await self._apply(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Redis out of reach, or a record this process cannot read: either way its copy may
                # be stale, so it answers 500 and reads the whole state again once it can.
                self._link.down(exc)
                if not ready.done():
                    ready.set_result(None)
                await asyncio.sleep(RETRY_S[min(tries, len(RETRY_S) - 1)])
                tries += 1

    async def _apply(self, data: bytes) -> None:
        version, kind, argument = data.decode().split(" ", 2)
        client, keys = self._link.connected(), self._keys
        if kind == "task":
            raw = await client.hget(keys.tasks, argument)
            record = TaskRecord.decode(raw) if raw is not None else None
            if record is None:
                self._copy.tasks.remove(argument)
            else:
                load(self._copy.tasks, record)
            if record is None or record.owner != self._process or record.hook is None or record.timeline is None:
                # Its webhooks are no longer this process's to send (stored again, elsewhere or without one).
                self._owned.pop(argument, None)
        elif kind == "settings":
            apply_settings(self._copy, *await client.mget([getattr(keys, name) for name in SETTINGS]))
        else:
            if kind == RESET:
                # What each process keeps on its own goes with a reset too, as a memory store's does.
                self._copy.files.clear()
                self._copy.documents.clear()
            self._owned.clear()
            await self._resync()
        await self._bus.acknowledge(version)

    # Sending the webhooks of the tasks this process took.
    def own(self, task_id: str, hook: Hook) -> None:
        """Send the steps after the first of the task `task_id` to `hook` as it comes to them."""
        self._owned[task_id] = (0, hook)

    def disown(self) -> None:
        """Send no more steps of any task."""
        self._owned.clear()

    async def _sweep(self) -> None:
        """Say this process is alive, and send the steps its hooked tasks came to, in order."""
        alive = 0.0
        while True:
            await asyncio.sleep(SWEEP_S)
            try:
                if time.monotonic() - alive > ALIVE_S / 5:
                    await self._bus.alive()
                    alive = time.monotonic()
                if self._owned and self._link.available:
                    await self._send_steps()
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError):
                # Redis out of reach: the listener says when it is lost and when it is back, once each.
                pass
            except Exception as exc:
                if self._link.may_complain():
                    logger.warning(
                        "apiframe-mock: webhooks of the store at %s wait (%s)", self._link.where, reason(exc)
                    )

    async def _send_steps(self) -> None:
        tasks, webhooks = self._copy.tasks, self._copy.webhooks
        assert self.polls is not None
        with contextlib.suppress(RedisError, OSError, ServerError):
            await self.polls(list(self._owned))
            for task_id, (heard, hook) in list(self._owned.items()):
                live = tasks.live(task_id)
                if live is None:
                    self._owned.pop(task_id, None)
                    continue
                index = live.index()
                for step in range(heard + 1, index + 1):
                    webhooks.deliver(task_id, hook, live.view(step))
                self._owned[task_id] = (index, hook)
                if index == len(live.timeline.steps) - 1:
                    self._owned.pop(task_id, None)
