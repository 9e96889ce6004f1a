"""The state on Redis, shared by every process and host that names the same URL and prefix.

Each process keeps a copy of the tasks and settings that Redis tells it to refresh (publish and
subscribe), so a steady task is answered without a round trip. A change waits until every
subscribed process has applied it, so it is seen everywhere once its call has returned. Counts
(polls of a task on a timeline, fault calls and their `next`, the journal) are made in Redis by
scripts, so each counts once whichever process made it. A task's webhooks are sent by the process
that took its submission, so they go out in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import redis
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ..errors import ServerError, StoreUnavailable
from ..faults import FAIL_TASK_ROUTE, Decision, FaultPlan
from ..journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES, JournalPage, RecordedRequest
from ..submissions import Submissions, load_endpoints
from ..timeline import Advance, Timeline
from ..webhooks import DEFAULT_MAX_RECORDS, Delivery, Hook, WebhookDispatcher
from ..wire import JSONObject, encode_json
from .base import Store
from .progress import advance_task
from .records import TaskRecord, decode_delivery, decode_entry, encode_delivery, encode_entry
from .scripts import COUNT_CALL, JOURNAL_PUSH
from .tasks import TaskStore
from .urls import redacted

logger = logging.getLogger("apiframe_mock.store")
Result = TypeVar("Result")
Pipe = TypeVar("Pipe", redis.client.Pipeline, aioredis.client.Pipeline)

TIMEOUT_S = 1.0
"""How long any one Redis call may take: past it, the request that needed it gets 500 rather than hang."""
ACK_TIMEOUT_S = 2.0
"""How long a change waits for every process to apply it before it answers anyway (one is stuck or gone)."""
SWEEP_S = 0.05
"""How often a process looks for steps its tasks came to, to send their webhooks."""
RETRY_S = (0.1, 0.2, 0.5, 1.0)
"""How long a process waits before each try to reach Redis again, the last repeated."""
ALIVE_S = 5.0
"""A process that has not said it is alive for this long is not waited for."""
COMPLAIN_S = 10.0
"""How often, at most, a failing call to Redis is logged."""
_SCAN = 1000


class RedisStore(Store):
    """The state in Redis under `prefix`, this process holding a copy kept current."""

    shared = True

    def __init__(self, url: str, prefix: str, seed: Store) -> None:
        webhooks = WebhookDispatcher(on_record=self._keep_delivery)
        super().__init__(TaskStore(clock=time.time), dict(seed.account), seed.faults, seed.submissions, webhooks)
        self.url = url
        self.where = redacted(url)
        self._seed = seed
        self._keys = _Keys(prefix)
        self._id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._client: aioredis.Redis | None = None
        self._tasks_running: list[asyncio.Task[None]] = []
        self._fixture_ids: set[str] = set()
        self._owned: dict[str, tuple[int, Hook]] = {}
        """The tasks on a timeline whose webhooks this process sends: the last step sent, and where to."""
        self.available = False
        self._down_since: float | None = None
        self._complained = 0.0
        self._applied = 0
        """The newest change this process has applied."""
        self._applying = asyncio.Condition()
        self._sync = redis.Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)

    # Before serving: in the parent process, with a plain client, so that a failure is one clear line.
    def prepare(self, reset: bool) -> bool:
        """Load the seed into an empty namespace (or any, with `reset`); return whether it did. Sync, before serving."""
        keys = self._keys
        try:
            self._sync.ping()
            if not reset and self._sync.exists(keys.version):
                self._load_sync()
                return False
            self._write_seed(self._sync.pipeline(transaction=True)).execute()
            # Processes already serving this namespace (--store-reset) read it afresh.
            self._sync.publish(keys.changes, f"{self._sync.incr(keys.version)} all -")
            self._load_sync()
            return True
        except RedisError as exc:
            raise StoreUnavailable(f"cannot reach the store at {self.where}: {_reason(exc)}") from None

    def _write_seed(self, pipe: Pipe) -> Pipe:
        """Queue on `pipe` the commands that make the namespace hold the seed, and where `reset` goes back to."""
        keys = self._keys
        pipe.delete(*keys.all())
        for destination in (keys.tasks, keys.start_tasks):
            for chunk in _chunks(list(self._seed.tasks), _SCAN):
                pipe.hset(destination, mapping={task["task_id"]: self._record_of(task).encode() for task in chunk})
        for name, value in self._settings(self._seed).items():
            pipe.set(getattr(keys, name), value)
            pipe.set(getattr(keys, f"start_{name}"), value)
        pipe.hset(keys.next_left, mapping=_next_left(self._seed.faults) or {"-": 0})
        pipe.set(keys.version, 1)
        return pipe

    def _record_of(self, task: JSONObject) -> TaskRecord:
        live = self._seed.tasks.live(task["task_id"])
        if live is None:
            return TaskRecord(task)
        return TaskRecord(live.task, live.timeline, started=time.time())

    @staticmethod
    def _settings(store: Store) -> dict[str, bytes]:
        return {
            "account": encode_json(store.account),
            "faults": encode_json(store.faults.to_json()),
            "submissions": encode_json(store.submissions.to_json()),
        }

    def _load_sync(self) -> None:
        self._fixture_ids = {_text(key) for key in self._sync.hkeys(self._keys.start_tasks)}
        tasks = TaskStore(clock=time.time)
        for _, raw in self._sync.hscan_iter(self._keys.tasks, count=_SCAN):
            _put(tasks, TaskRecord.decode(raw))
        values = self._sync.mget(self._keys.account, self._keys.faults, self._keys.submissions)
        self._apply_settings(tasks, *values)

    def _apply_settings(self, tasks: TaskStore, account: Any, faults: Any, submissions: Any) -> None:
        self.tasks = tasks
        self.account = json.loads(account) if account else {}
        self.faults = FaultPlan.from_json(json.loads(faults)) if faults else FaultPlan()
        if submissions:
            self.submissions = Submissions.from_json(json.loads(submissions), load_endpoints())

    def fixture_ids(self) -> set[str]:
        """Return the ids of the tasks the namespace was first loaded with, as this process last read them."""
        return self._fixture_ids

    def remember(self) -> None:
        """Nothing to take: what `reset` restores is the namespace as it was first loaded, kept in Redis."""

    # Serving: in each worker process, on its own event loop.
    async def open(self) -> None:
        """Connect this process, take the state as it is, and keep it current.

        Out of reach now, the process starts all the same, answering 500 until Redis answers (the
        command line has already checked it could reach Redis).
        """
        self._client = aioredis.Redis.from_url(
            self.url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S, health_check_interval=1
        )
        self._scripts = (self._client.register_script(JOURNAL_PUSH), self._client.register_script(COUNT_CALL))
        ready = asyncio.get_running_loop().create_future()
        self._tasks_running = [
            asyncio.create_task(self._listen(ready)),
            asyncio.create_task(self._sweep()),
        ]
        await ready

    async def close(self) -> None:
        """Stop listening and sending, and let go of the connections."""
        for task in self._tasks_running:
            task.cancel()
        for task in self._tasks_running:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.webhooks.close()
        if self._client is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._client.hdel(self._keys.processes, self._id)
            await self._client.aclose()
        self._sync.close()

    async def _listen(self, ready: asyncio.Future[None]) -> None:
        tries = 0
        while True:
            try:
                assert self._client is not None
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self._keys.changes)
                    # Subscribed first, then read whole: no change can fall between the two. Counted among
                    # the processes a change waits for from the moment it can hear of one.
                    await self._connected().hset(self._keys.processes, self._id, time.time())
                    await self._resync()
                    self._up()
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
                self._down(exc)
                if not ready.done():
                    ready.set_result(None)
                await asyncio.sleep(RETRY_S[min(tries, len(RETRY_S) - 1)])
                tries += 1

    def _up(self) -> None:
        if self._down_since is not None:
            logger.warning("apiframe-mock: the store at %s answers again; serving", self.where)
        self._down_since = None
        self.available = True

    def _down(self, exc: BaseException) -> None:
        self.available = False
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "apiframe-mock: lost the store at %s (%s): answering 500 until it is back", self.where, _reason(exc)
            )

    def _may_complain(self) -> bool:
        """Say whether a failed call may be logged: not in an outage already logged, and once a while at most."""
        now = time.monotonic()
        if self._down_since is not None or now - self._complained <= COMPLAIN_S:
            return False
        self._complained = now
        return True

    async def _resync(self) -> None:
        client = self._connected()
        while not await client.exists(self._keys.version):
            # Redis came back empty (restarted without persistence, or flushed): the namespace starts
            # afresh with the fixtures, loaded by whichever process gets there first; the others wait.
            if await client.set(self._keys.seeding, self._id, nx=True, ex=10):
                await self._write_seed(client.pipeline(transaction=True)).execute()
                await client.delete(self._keys.seeding)
                await client.publish(self._keys.changes, f"{await client.incr(self._keys.version)} all -")
                logger.warning("apiframe-mock: the store at %s was empty: loaded the fixtures again", self.where)
            else:
                await asyncio.sleep(RETRY_S[0])
        self._fixture_ids = {_text(key) for key in await client.hkeys(self._keys.start_tasks)}
        tasks = TaskStore(clock=time.time)
        async for _, raw in client.hscan_iter(self._keys.tasks, count=_SCAN):
            _put(tasks, TaskRecord.decode(raw))
        self._apply_settings(tasks, *await client.mget(self._keys.account, self._keys.faults, self._keys.submissions))

    async def _apply(self, data: bytes) -> None:
        version, kind, argument = data.decode().split(" ", 2)
        client = self._connected()
        if kind == "task":
            raw = await client.hget(self._keys.tasks, argument)
            record = TaskRecord.decode(raw) if raw is not None else None
            if record is None:
                self.tasks.remove(argument)
            else:
                _put(self.tasks, record)
            if record is None or record.owner != self._id or record.hook is None or record.timeline is None:
                # Its webhooks are no longer this process's to send (stored again, elsewhere or without one).
                self._owned.pop(argument, None)
        elif kind == "settings":
            self._apply_settings(
                self.tasks, *await client.mget(self._keys.account, self._keys.faults, self._keys.submissions)
            )
        else:
            self._owned.clear()
            await self._resync()
        await client.rpush(self._keys.acks(version), 1)
        await client.expire(self._keys.acks(version), 60)
        async with self._applying:
            self._applied = max(self._applied, int(version))
            self._applying.notify_all()

    async def _change(self, kind: str, argument: str = "-") -> None:
        """Tell every process of a change, and wait until each has applied it (or `ACK_TIMEOUT_S` passed)."""
        client = self._redis()
        version = await client.incr(self._keys.version)
        listeners = await client.publish(self._keys.changes, f"{version} {kind} {argument}")
        # Anything may subscribe to the channel (a person's redis-cli): only mock processes answer.
        expected = min(listeners, await self._processes())
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

    async def _processes(self) -> int:
        """Count the mock processes that said they were alive within `ALIVE_S`."""
        seen = await self._redis().hvals(self._keys.processes)
        now = time.time()
        return sum(now - float(value) < ALIVE_S for value in seen)

    def _redis(self) -> aioredis.Redis:
        """Return the client for a request's calls, or answer 500 while Redis is out of reach."""
        if self._client is None or not self.available:
            raise ServerError()
        return self._client

    def _connected(self) -> aioredis.Redis:
        assert self._client is not None
        return self._client

    async def _guard(self, call: Callable[[], Awaitable[Result]]) -> Result:
        """Run `call`, answering 500 if Redis fails it, and saying why (once a while, not once a request)."""
        try:
            return await call()
        except (RedisError, OSError) as exc:
            # Whether the process can serve at all is the listener's to say: a call that failed once
            # (Redis paused, a slow moment) must not stop the process after Redis is back.
            if self._may_complain():
                logger.warning(
                    "apiframe-mock: a call to the store at %s failed (%s): answering 500", self.where, _reason(exc)
                )
            raise ServerError() from None

    # Tasks.
    async def put_task(
        self, task: JSONObject, timeline: Timeline | None = None, hook: Hook | None = None, submitted: bool = False
    ) -> None:
        """Store `task` for every process, on `timeline` if given; this process sends its steps to `hook`."""
        task_id = str(task["task_id"])
        started = time.time() if timeline is not None else None
        submitted = submitted or self.tasks.submitted(task_id)
        record = TaskRecord(task, timeline, started, 0, hook, self._id if hook is not None else "", submitted)

        async def put() -> None:
            pipe = self._redis().pipeline(transaction=True)
            pipe.hset(self._keys.tasks, task_id, record.encode())
            pipe.hdel(self._keys.polls, task_id)
            await pipe.execute()
            await self._change("task", task_id)

        await self._guard(put)
        if hook is None:
            return
        if timeline is None:
            self.webhooks.send(task_id, hook.url, hook.secret, task)
            return
        self._owned[task_id] = (0, hook)
        self.webhooks.send(task_id, hook.url, hook.secret, timeline.view(task, timeline.steps[0]))

    async def remove_task(self, task_id: str) -> bool:
        """Forget the task `task_id` everywhere."""

        async def remove() -> bool:
            pipe = self._redis().pipeline(transaction=True)
            pipe.hdel(self._keys.tasks, task_id)
            pipe.hdel(self._keys.polls, task_id)
            removed, _ = await pipe.execute()
            await self._change("task", task_id)
            return bool(removed)

        return await self._guard(remove)

    async def advance_task(self, task_id: str, to_end: bool = False) -> JSONObject | None:
        """Move the task along, for every process."""

        async def advance() -> JSONObject | None:
            await self._polls([task_id])
            moved = advance_task(self.tasks, task_id, to_end)
            if moved is None:
                return None
            raw = await self._redis().hget(self._keys.tasks, task_id)
            record = TaskRecord.decode(raw) if raw is not None else TaskRecord(moved)
            live = self.tasks.live(task_id)
            if live is not None:
                record = replace(record, floor=live.floor)
            else:
                record = replace(record, task=moved, timeline=None, started=None, floor=0)
            await self._redis().hset(self._keys.tasks, task_id, record.encode())
            await self._change("task", task_id)
            return moved

        return await self._guard(advance)

    async def current(self, task_id: str) -> JSONObject | None:
        """Return the task as a fetch would show it now, without counting a poll."""
        await self._guard(lambda: self._polls([task_id]))
        return self.tasks.get(task_id)

    async def tasks_now(self) -> list[JSONObject]:
        """Return every task as a fetch would show it now."""
        await self._guard(lambda: self._polls(None))
        return list(self.tasks)

    async def _polls(self, task_ids: list[str] | None, count: bool = False) -> None:
        """Set this process's copies of tasks moving by polls to Redis's count of them (one more, if `count`)."""
        wanted = [
            task_id
            for task_id in dict.fromkeys(task_ids if task_ids is not None else self.tasks.live_ids())
            if (live := self.tasks.live(task_id)) is not None and live.timeline.by is Advance.POLLS
        ]
        if not wanted:
            return
        client = self._redis()
        if count:
            pipe = client.pipeline(transaction=False)
            for task_id in wanted:
                pipe.hincrby(self._keys.polls, task_id, 1)
            polls = [int(value) - 1 for value in await pipe.execute()]
        else:
            polls = [int(value or 0) for value in await client.hmget(self._keys.polls, wanted)]
        for task_id, value in zip(wanted, polls, strict=True):
            live = self.tasks.live(task_id)
            if live is not None:
                live.polls = value

    async def fetch(self, task_id: str) -> bytes | None:
        """Return the encoded task as a fetch sees it now, counting the poll in Redis."""
        await self._guard(lambda: self._polls([task_id], count=True))
        return self.tasks.encoded(task_id)

    async def fetch_many(self, task_ids: list[str]) -> bytes:
        """Return the encoded fetch-many answer, counting one poll of each task on a timeline in Redis."""
        await self._guard(lambda: self._polls(task_ids, count=True))
        return self.tasks.fetch_many_body(task_ids)

    async def _sweep(self) -> None:
        """Say this process is alive, and send the steps its hooked tasks came to, in order."""
        alive = 0.0
        while True:
            await asyncio.sleep(SWEEP_S)
            try:
                if time.monotonic() - alive > ALIVE_S / 5:
                    await self._connected().hset(self._keys.processes, self._id, time.time())
                    alive = time.monotonic()
                if self._owned and self.available:
                    await self._send_steps()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._may_complain():
                    logger.warning("apiframe-mock: webhooks of the store at %s wait (%s)", self.where, _reason(exc))

    async def _send_steps(self) -> None:
        with contextlib.suppress(RedisError, OSError, ServerError):
            await self._polls(list(self._owned))
            for task_id, (heard, hook) in list(self._owned.items()):
                live = self.tasks.live(task_id)
                if live is None:
                    self._owned.pop(task_id, None)
                    continue
                index = live.index()
                for step in live.timeline.steps[heard + 1 : index + 1]:
                    self.webhooks.send(task_id, hook.url, hook.secret, live.timeline.view(live.task, step))
                self._owned[task_id] = (index, hook)
                if index == len(live.timeline.steps) - 1:
                    self._owned.pop(task_id, None)

    # Faults and submissions.
    async def set_faults(self, faults: FaultPlan) -> None:
        """Put `faults` in force for every process, their counts started afresh."""

        async def put() -> None:
            pipe = self._redis().pipeline(transaction=True)
            pipe.set(self._keys.faults, encode_json(faults.to_json()))
            pipe.delete(self._keys.calls, self._keys.next_left)
            pipe.hset(self._keys.next_left, mapping=_next_left(faults) or {"-": 0})
            await pipe.execute()
            await self._change("settings")

        await self._guard(put)

    async def faults_now(self) -> JSONObject:
        """Return the faults in force with what is left of each `next`, as Redis counts it."""
        left = await self._guard(lambda: self._redis().hgetall(self._keys.next_left))
        shown = self.faults.to_json()
        for index, fault in enumerate(shown["faults"]):
            if "next" in fault:
                fault["next"] = int(left.get(str(index).encode(), 0))
        return shown

    async def _count(self, route: str, indices: list[int]) -> tuple[int, set[int]]:
        counted = await self._guard(
            lambda: self._scripts[1](keys=[self._keys.calls, self._keys.next_left], args=[route, *indices])
        )
        return int(counted[0]), {int(index) for index in counted[1:]}

    async def decide(self, route: str, keyed: bool) -> Decision:
        """Decide what the faults do to this call, the call and each `next` counted in Redis."""
        # One plan throughout: a change applied while the count is made must not mix two plans' indices.
        plan = self.faults
        call, taken = await self._count(route, plan.counted(route, keyed))
        return plan.decision(route, call, taken, keyed)

    async def failure(self) -> str | None:
        """Return the message this submission's task fails with, if a fail_task fault strikes it."""
        plan = self.faults
        if not plan.has_failures():
            return None
        call, taken = await self._count(FAIL_TASK_ROUTE, plan.failing())
        return plan.failure_of(call, taken)

    async def set_submissions(self, submissions: Submissions) -> None:
        """Put `submissions` in force for every process."""

        async def put() -> None:
            await self._redis().set(self._keys.submissions, encode_json(submissions.to_json()))
            await self._change("settings")

        await self._guard(put)

    # The journal and the webhook records.
    async def record_request(self, entry: RecordedRequest) -> None:
        """Add `entry` to the one journal every process shares; if Redis fails it, the entry is lost, not the answer."""
        encoded = encode_entry(entry)
        keys = self._keys
        # The answer has started by now: a failure here could only turn it into a broken one.
        with contextlib.suppress(ServerError):
            await self._guard(
                lambda: self._scripts[0](
                    keys=[keys.journal, keys.journal_bytes, keys.journal_dropped],
                    args=[encoded, len(entry.body), JOURNAL_MAX_ENTRIES, JOURNAL_MAX_BYTES],
                )
            )

    async def requests(self, last: int | None = None) -> JournalPage:
        """Return the journal's entries (the newest `last`, if given), oldest first."""

        async def read() -> JournalPage:
            pipe = self._redis().pipeline(transaction=True)
            pipe.lrange(self._keys.journal, -last if last else 0, -1)
            pipe.get(self._keys.journal_dropped)
            pipe.llen(self._keys.journal)
            entries, dropped, total = await pipe.execute()
            shown = [] if last == 0 else [decode_entry(raw) for raw in entries]
            return JournalPage(shown, int(dropped or 0), int(total))

        return await self._guard(read)

    async def clear_requests(self) -> None:
        """Empty the journal."""
        keys = self._keys
        await self._guard(lambda: self._redis().delete(keys.journal, keys.journal_bytes, keys.journal_dropped))

    def _keep_delivery(self, delivery: Delivery) -> None:
        # Called by the dispatcher in a thread of its own, so a slow Redis holds up no delivery.
        pipe = self._sync.pipeline(transaction=True)
        pipe.rpush(self._keys.deliveries, encode_delivery(delivery))
        pipe.ltrim(self._keys.deliveries, -DEFAULT_MAX_RECORDS, -1)
        pipe.execute()

    async def deliveries(self) -> tuple[list[Delivery], int, int]:
        """Return every process's delivery attempts, oldest first, and this process's dropped and waiting."""
        raw = await self._guard(lambda: self._redis().lrange(self._keys.deliveries, 0, -1))
        return [decode_delivery(item) for item in raw], self.webhooks.dropped, self.webhooks.pending()

    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""
        self.webhooks.clear()
        await self._guard(lambda: self._redis().delete(self._keys.deliveries))

    async def reset(self) -> None:
        """Restore the namespace as first loaded, for every process; empty the journal and the records."""
        keys = self._keys

        async def restore() -> None:
            client = self._redis()
            start: dict[Any, Any] = {
                task_id: _restarted(raw) for task_id, raw in (await client.hgetall(keys.start_tasks)).items()
            }
            settings: list[Any] = await client.mget(keys.start_account, keys.start_faults, keys.start_submissions)
            faults = FaultPlan.from_json(json.loads(settings[1]))
            pipe = client.pipeline(transaction=True)
            pipe.delete(keys.tasks, keys.polls, keys.calls, keys.next_left, keys.deliveries)
            pipe.delete(keys.journal, keys.journal_bytes, keys.journal_dropped)
            if start:
                pipe.hset(keys.tasks, mapping=start)
            pipe.set(keys.account, settings[0])
            pipe.set(keys.faults, settings[1])
            pipe.set(keys.submissions, settings[2])
            pipe.hset(keys.next_left, mapping=_next_left(faults) or {"-": 0})
            await pipe.execute()
            await self._change("all")

        await self._guard(restore)
        self._owned.clear()
        self.webhooks.clear()


class _Keys:
    """The names of a namespace's keys in Redis."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        for name in (
            "tasks",
            "polls",
            "account",
            "faults",
            "next_left",
            "calls",
            "submissions",
            "journal",
            "journal_bytes",
            "journal_dropped",
            "deliveries",
            "version",
            "changes",
            "start_tasks",
            "start_account",
            "start_faults",
            "start_submissions",
            "seeding",
            "processes",
        ):
            setattr(self, name, f"{prefix}:{name}")

    tasks: str
    polls: str
    account: str
    faults: str
    next_left: str
    calls: str
    submissions: str
    journal: str
    journal_bytes: str
    journal_dropped: str
    deliveries: str
    version: str
    changes: str
    start_tasks: str
    start_account: str
    start_faults: str
    start_submissions: str
    seeding: str
    processes: str

    def acks(self, version: str) -> str:
        """Where the processes say they applied change `version`."""
        return f"{self.prefix}:acks:{version}"

    def all(self) -> list[str]:
        """Every key of the namespace that holds state."""
        return [value for name, value in vars(self).items() if name != "prefix"]


def _put(tasks: TaskStore, record: TaskRecord) -> None:
    tasks.put(record.task, record.timeline, None, record.submitted, started=record.started, floor=record.floor)


def _restarted(raw: bytes | str) -> bytes | str:
    """Return a starting task's record with its timeline, if any, starting now, as a reset in memory does."""
    record = TaskRecord.decode(raw)
    return replace(record, started=time.time()).encode() if record.timeline is not None else raw


def _next_left(faults: FaultPlan) -> dict[Any, Any]:
    return {str(index): fault.next for index, fault in enumerate(faults.faults) if fault.next is not None}


def _chunks(items: list[JSONObject], size: int) -> list[list[JSONObject]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _reason(exc: BaseException) -> str:
    return str(exc).strip().rstrip(".") or type(exc).__name__
