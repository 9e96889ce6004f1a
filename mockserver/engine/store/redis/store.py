"""RedisStore: the state on Redis, this process holding a copy that the change bus keeps current."""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from ....errors import StoreUnavailable
from ....wire import JSONObject, encode_json
from ...faults import FaultPlan
from ...journal import JournalPage, RecordedRequest
from ...lifecycle import Submissions
from ...task import Task
from ...timeline import Timeline
from ...webhooks import Delivery, Hook, WebhookDispatcher
from ..base import Seed, Store
from ..progress import advance_task
from ..records import TaskRecord
from ..scripts import COUNT_CALL
from ..tasks import TaskStore
from .bus import RELOAD, RESET, Bus, change
from .follower import Follower
from .history import History
from .keys import Keys
from .ledger import RedisLedger
from .link import Link, reason
from .seed import SETTINGS, next_left, restarted, write_seed


class RedisStore(Store):
    """The state in Redis under `prefix`, this process holding a copy kept current.

    `clock` tells the wall time every host shares (by default the system's): when a task on a timeline
    started, and when a process last said it was alive.
    """

    shared = True

    def __init__(self, url: str, prefix: str, seed: Store, clock: Callable[[], float] = time.time) -> None:
        super().__init__(
            TaskStore(clock=clock),
            dict(seed.account),
            seed.faults,
            seed.submissions,
            WebhookDispatcher(on_record=self._keep_delivery),
        )
        self._link = Link(url)
        self._keys = Keys(prefix)
        self._history = History(self._link, self._keys)
        self.where = self._link.where
        self._seed = seed
        self._clock = clock
        self._id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._bus = Bus(self._link, self._keys, self._id, clock)
        self._follower = Follower(self, self._link, self._keys, self._bus, self._id, clock, seed)
        self._follower.polls = self.polls
        self._count_call: AsyncScript | None = None
        self.ledger = RedisLedger(self._link, self._keys, clock)

    @property
    def available(self) -> bool:  # type: ignore[override]
        """Whether this process's copy is current, so it can answer."""
        return self._link.available

    # Before serving: in the parent process, with a plain client, so that a failure is one clear line.
    def prepare(self, reset: bool) -> bool:
        """Load the seed into an empty namespace (or any, with `reset`); return whether it did. Sync, before serving."""
        sync, keys = self._link.sync, self._keys
        try:
            sync.ping()
            if not reset and sync.exists(keys.version):
                self._follower.load_sync()
                return False
            write_seed(sync.pipeline(transaction=True), keys, self._seed, self._clock).execute()
            # Processes already serving this namespace (--store-reset) are reset, their own files with the rest.
            sync.publish(keys.changes, change(int(sync.incr(keys.version)), RESET if reset else RELOAD))
            self._follower.load_sync()
            return True
        except RedisError as exc:
            raise StoreUnavailable(f"cannot reach the store at {self.where}: {reason(exc)}") from None

    def fixture_ids(self) -> set[str]:
        """Return the ids of the tasks the namespace was first loaded with, as this process last read them."""
        return self._follower.fixture_ids

    def remember(self) -> None:
        """Nothing to take: what `reset` restores is the namespace as it was first loaded, kept in Redis."""

    # Serving: in each worker process, on its own event loop.
    async def open(self) -> None:
        """Connect this process, take the state as it is, and keep it current.

        Out of reach now, the process starts all the same, answering 500 until Redis answers (the
        command line has already checked it could reach Redis).
        """
        client = self._link.open()
        self._count_call = client.register_script(COUNT_CALL)
        self._history.open()
        await self._follower.start()

    async def close(self) -> None:
        """Stop listening and sending, and let go of the connections."""
        await self._follower.stop()
        self.webhooks.close()
        if self._link.client is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._bus.leave()
        await self._link.close()

    # Tasks.
    async def _put(self, task: Task, timeline: Timeline | None, hook: Hook | None, submitted: bool) -> None:
        task_id = task.task_id
        started = self._clock() if timeline is not None else None
        submitted = submitted or self.tasks.submitted(task_id)
        record = TaskRecord(task, timeline, started, 0, hook, self._id if hook is not None else "", submitted)

        async def put() -> None:
            pipe = self._link.redis().pipeline(transaction=True)
            pipe.hset(self._keys.tasks, task_id, record.encode())
            pipe.hdel(self._keys.polls, task_id)
            await pipe.execute()
            await self._bus.publish("task", task_id)

        await self._link.guard(put)
        if hook is not None and timeline is not None:
            self._follower.own(task_id, hook)

    async def remove_task(self, task_id: str) -> bool:
        """Forget the task `task_id` everywhere."""

        async def remove() -> bool:
            pipe = self._link.redis().pipeline(transaction=True)
            pipe.hdel(self._keys.tasks, task_id)
            pipe.hdel(self._keys.polls, task_id)
            removed, _ = await pipe.execute()
            await self._bus.publish("task", task_id)
            return bool(removed)

        return await self._link.guard(remove)

    async def advance_task(self, task_id: str, to_end: bool = False) -> Task | None:
        """Move the task along, for every process."""

        async def advance() -> Task | None:
            await self.polls([task_id])
            moved = advance_task(self.tasks, task_id, to_end)
            if moved is None:
                return None
            raw = await self._link.redis().hget(self._keys.tasks, task_id)
            record = TaskRecord.decode(raw) if raw is not None else TaskRecord(moved)
            live = self.tasks.live(task_id)
            if live is not None:
                record = replace(record, floor=live.floor)
            else:
                record = replace(record, task=moved, timeline=None, started=None, floor=0)
            await self._link.redis().hset(self._keys.tasks, task_id, record.encode())
            await self._bus.publish("task", task_id)
            return moved

        return await self._link.guard(advance)

    async def _sync_polls(self, task_ids: Collection[str] | None, count: bool = False) -> None:
        await self._link.guard(lambda: self.polls(task_ids, count))

    async def polls(self, task_ids: Collection[str] | None, count: bool = False) -> None:
        """Set this process's copies of tasks moving by polls to Redis's count of them (one more, if `count`)."""
        wanted = self.tasks.polled_ids(task_ids)
        if not wanted:
            return
        client = self._link.redis()
        if count:
            pipe = client.pipeline(transaction=False)
            for task_id in wanted:
                pipe.hincrby(self._keys.polls, task_id, 1)
            polls = [int(value) - 1 for value in await pipe.execute()]
        else:
            polls = [int(value or 0) for value in await client.hmget(self._keys.polls, wanted)]
        for task_id, value in zip(wanted, polls, strict=True):
            self.tasks.set_polls(task_id, value)

    # Faults and submissions.
    async def set_faults(self, faults: FaultPlan) -> None:
        """Put `faults` in force for every process, their counts started afresh."""

        async def put() -> None:
            pipe = self._link.redis().pipeline(transaction=True)
            pipe.set(self._keys.faults, encode_json(faults.to_json()))
            pipe.delete(self._keys.calls, self._keys.next_left)
            pipe.hset(self._keys.next_left, mapping=next_left(faults) or {"-": 0})
            await pipe.execute()
            await self._bus.publish("settings")

        await self._link.guard(put)

    async def faults_now(self) -> JSONObject:
        """Return the faults in force with what is left of each `next`, as Redis counts it."""
        left = await self._link.guard(lambda: self._link.redis().hgetall(self._keys.next_left))
        shown = self.faults.to_json()
        for index, fault in enumerate(shown["faults"]):
            if "next" in fault:
                fault["next"] = int(left.get(str(index).encode(), 0))
        return shown

    async def _count(self, route: str, indices: list[int]) -> tuple[int, set[int]]:
        count_call = self._count_call
        assert count_call is not None
        counted = await self._link.guard(
            lambda: count_call(keys=[self._keys.calls, self._keys.next_left], args=[route, *indices])
        )
        return int(counted[0]), {int(index) for index in counted[1:]}

    async def set_submissions(self, submissions: Submissions) -> None:
        """Put `submissions` in force for every process."""

        async def put() -> None:
            await self._link.redis().set(self._keys.submissions, encode_json(submissions.to_json()))
            await self._bus.publish("settings")

        await self._link.guard(put)

    # The journal and the webhook records.
    async def record_request(self, entry: RecordedRequest) -> None:
        """Add `entry` to the journal every process shares."""
        await self._history.record(entry)

    async def requests(self, last: int | None = None) -> JournalPage:
        """Return the journal's entries (the newest `last`, if given), oldest first."""
        return await self._history.requests(last)

    async def clear_requests(self) -> None:
        """Empty the journal."""
        await self._history.clear_requests()

    def _keep_delivery(self, delivery: Delivery) -> None:
        self._history.keep_delivery(delivery)

    async def _delivery_records(self) -> list[Delivery]:
        return await self._history.deliveries()

    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""
        self.webhooks.clear()
        await self._history.clear_deliveries()

    async def reset(self) -> None:
        """Restore the namespace as first loaded, for every process; empty the journal and the records."""
        keys = self._keys

        async def restore() -> None:
            client = self._link.redis()
            start: dict[Any, Any] = {
                task_id: restarted(raw, self._clock)
                for task_id, raw in (await client.hgetall(keys.start_tasks)).items()
            }
            values: list[Any] = await client.mget([getattr(keys, f"start_{name}") for name in SETTINGS])
            faults = FaultPlan.from_json(json.loads(values[1]))
            pipe = client.pipeline(transaction=True)
            pipe.delete(keys.tasks, keys.polls, keys.calls, keys.next_left, keys.deliveries)
            pipe.delete(keys.journal, keys.journal_bytes, keys.journal_dropped, keys.ledger_spent, keys.ledger_claims)
            if start:
                pipe.hset(keys.tasks, mapping=start)
            for name, value in zip(SETTINGS, values, strict=True):
                pipe.set(getattr(keys, name), value)
            pipe.hset(keys.next_left, mapping=next_left(faults) or {"-": 0})
            await pipe.execute()
            await self._bus.publish(RESET)

        await self._link.guard(restore)
        self._follower.disown()
        self.webhooks.clear()

    async def reseed(self, seed: Seed) -> None:
        """Make `seed` the namespace's state, and the one `reset` restores, for every process."""

        async def write() -> None:
            await write_seed(
                self._link.redis().pipeline(transaction=True), self._keys, seed, self._clock, serving=True
            ).execute()
            await self._bus.publish(RESET)

        await self._link.guard(write)
        self._follower.disown()
        self.webhooks.clear()
