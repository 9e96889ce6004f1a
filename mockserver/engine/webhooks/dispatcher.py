"""The dispatcher: delivers webhooks from its own thread and event loop, in order per task, with retries."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...errors import DeliveryError
from ...wire import JSONObject, encode_json, quote_id
from ..task import Task
from .client import post_json, request_headers
from .forms import EVENT_HEADER, SIGNATURE_HEADER, sign, worded
from .records import SECRET_HEADER, Delivery
from .targets import Hook

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF_S = 0.5
"""Each attempt may take `DEFAULT_TIMEOUT_S`; between attempts the wait starts at `DEFAULT_BACKOFF_S` and doubles."""
DEFAULT_MAX_PENDING = 10_000
"""Payloads waiting across all tasks, past which a new one is dropped: a dead receiver must not eat the memory."""
DEFAULT_MAX_RECORDS = 10_000
"""Attempt records kept, the newest."""
DEFAULT_CONCURRENCY = 32
"""Attempts in flight at once, across all tasks."""
_JOIN_TIMEOUT_S = 5.0

logger = logging.getLogger("apiframe_mock.webhooks")


@dataclass(frozen=True, slots=True)
class _Payload:
    """One task state to deliver, encoded when it was sent so that later changes to the task do not leak in."""

    task_id: str
    url: str
    headers: dict[str, str]
    body: bytes


class WebhookDispatcher:
    """Delivers task payloads to webhook URLs on a daemon thread of its own, started by the first `send`."""

    def __init__(
        self,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff_s: float = DEFAULT_BACKOFF_S,
        max_pending: int = DEFAULT_MAX_PENDING,
        max_records: int = DEFAULT_MAX_RECORDS,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_record: Callable[[Delivery], None] | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError(f"attempts must be 1 or more, not {attempts}")
        self._timeout_s = timeout_s
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._max_pending = max_pending
        self._slots = asyncio.Semaphore(concurrency)
        # One lock guards all the state below; the condition on it wakes wait_idle.
        self._idle = threading.Condition()
        self._queues: dict[str, deque[_Payload]] = {}
        self._pending = 0
        self._records: deque[Delivery] = deque(maxlen=max_records)
        self._workers: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._on_record = on_record
        self.dropped = 0
        """How many payloads were dropped, past `max_pending` or after `close`, since the last clear."""

    def send(self, task_id: str, url: str, secret: str | None, body: JSONObject) -> None:
        """Queue `body` for delivery to `url` as it is, and return at once; deliveries for one task go in order."""
        self._queue(task_id, Hook(url, secret), "", body)

    def deliver(self, task_id: str, hook: Hook, view: Task) -> None:
        """Queue the step `view` of a task for `hook`, worded and signed as its form says (see `forms`); at once."""
        found = worded(hook, view)
        if found is not None:
            self._queue(task_id, hook, *found)

    def _queue(self, task_id: str, hook: Hook, event: str, body: JSONObject) -> None:
        headers = {SECRET_HEADER: hook.secret} if hook.secret is not None else {}
        encoded = encode_json(body)
        if event:
            headers[EVENT_HEADER] = event
        if hook.signing is not None:
            headers[SIGNATURE_HEADER] = sign(encoded, hook.signing)
        payload = _Payload(task_id, hook.url, headers, encoded)
        with self._idle:
            if self._closed or self._pending >= self._max_pending:
                self.dropped += 1
                return
            self._pending += 1
            queue = self._queues.get(task_id)
            if queue is not None:
                # That task's worker is still busy: it takes this payload once the ones before it are done.
                queue.append(payload)
                return
            self._queues[task_id] = deque([payload])
            # Scheduled with the lock held, so close cannot shut the loop between the check and the call.
            self._running_loop().call_soon_threadsafe(self._start_worker, task_id)

    def deliveries(self) -> list[Delivery]:
        """Return the record of every attempt, oldest first (the newest `max_records`)."""
        with self._idle:
            return list(self._records)

    def pending(self) -> int:
        """Return how many payloads are waiting or being delivered."""
        return self._pending

    def clear(self) -> None:
        """Forget the records and the dropped count; deliveries under way go on."""
        with self._idle:
            self._records.clear()
            self.dropped = 0

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until no payload is pending, at most `timeout_s` seconds; say whether that happened."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout_s)

    async def wait_idle_async(self, timeout_s: float) -> bool:
        """Wait as `wait_idle` does, without blocking the calling event loop."""
        return await asyncio.to_thread(self.wait_idle, timeout_s)

    def close(self) -> None:
        """Stop the thread, abandoning pending deliveries; later sends are dropped. Safe to call twice."""
        with self._idle:
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_JOIN_TIMEOUT_S)
        with self._idle:
            self._loop = self._thread = None
            self._queues.clear()
            self._pending = 0
            self._idle.notify_all()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        """Return the delivery loop, starting its thread on first use (called with the lock held)."""
        if self._loop is None:
            # Started here, not in __init__: a dispatcher built before the server forks its workers
            # then runs one thread in each worker that sends, none in the parent.
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._run, args=(self._loop,), name="apiframe-mock-webhooks", daemon=True
            )
            self._thread.start()
        return self._loop

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        loop.run_forever()
        # Stopped by close: cancel what is under way and let it unwind, so no task is destroyed pending.
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.close()

    def _start_worker(self, task_id: str) -> None:
        worker = asyncio.get_running_loop().create_task(self._work(task_id))
        # The loop keeps only weak references to its tasks.
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _work(self, task_id: str) -> None:
        """Deliver the payloads of `task_id` one after another until its queue is empty."""
        queue = self._queues[task_id]
        while True:
            await self._deliver(queue[0])
            with self._idle:
                queue.popleft()
                self._pending -= 1
                if not queue:
                    del self._queues[task_id]
                    self._idle.notify_all()
                    return

    async def _deliver(self, payload: _Payload) -> None:
        body = json.loads(payload.body)
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                await asyncio.sleep(self._backoff_s * 2 ** (attempt - 2))
            delivery = await self._attempt(payload, body, attempt)
            if delivery.ok:
                return
        reason = delivery.error or f"status {delivery.status}"
        logger.warning(
            "apiframe-mock: webhook for task %s to %s given up after %d attempts: %s",
            quote_id(payload.task_id),
            quote_id(payload.url),
            self._attempts,
            reason,
        )

    async def _attempt(self, payload: _Payload, body: Any, attempt: int) -> Delivery:
        async with self._slots:
            at, started = time.time(), time.perf_counter()
            status, error, headers = None, None, payload.headers
            try:
                headers = request_headers(payload.url, payload.body, payload.headers)
                status = await post_json(payload.url, payload.body, payload.headers, self._timeout_s)
            except DeliveryError as exc:
                error = str(exc)
            duration_ms = (time.perf_counter() - started) * 1000
        delivery = Delivery(payload.task_id, payload.url, headers, body, attempt, status, error, at, duration_ms)
        with self._idle:
            self._records.append(delivery)
        if self._on_record is not None:
            try:
                # In a thread: keeping a record elsewhere (a shared store) may block, and no delivery should wait.
                await asyncio.to_thread(self._on_record, delivery)
            except Exception as exc:
                # A record that cannot be kept elsewhere (a shared store gone) must not stop the deliveries.
                logger.warning("apiframe-mock: webhook delivery record not kept: %s", exc)
        return delivery
