"""The state in this process's memory: the embedded default, for `make run` and the pytest plugin."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection

from ...wire import JSONObject
from ..faults import FaultPlan
from ..journal import JournalPage, RecordedRequest
from ..lifecycle import Submissions
from ..task import Task
from ..timeline import Advance, StepListener, Timeline
from ..webhooks import Delivery, Hook, WebhookDispatcher
from .base import Seed, Store
from .progress import advance_task

HORIZON_S = 86_400.0
"""Steps further off than a day get no timer: a stalled step lasts for ever, and a mock rarely runs that long."""
TIMER_SLACK_S = 0.01
"""Event loops run a timer up to a clock tick early; a step woken before it begins would go unsent."""


def sender(hook: Hook, task_id: str, dispatcher: WebhookDispatcher) -> StepListener:
    """Return a step listener that posts each step of task `task_id` to `hook`."""

    def send(view: Task) -> None:
        dispatcher.deliver(task_id, hook, view)

    return send


def wake_at_steps(timeline: Timeline, refresh: Callable[[], None]) -> None:
    """Call `refresh` as each step of a timeline that moves by seconds begins, so its webhooks go out on time."""
    if timeline.by is not Advance.SECONDS:
        return
    loop = asyncio.get_running_loop()
    for start in timeline.starts[1:]:
        if start <= HORIZON_S:
            loop.call_later(start + TIMER_SLACK_S, refresh)


class MemoryStore(Store):
    """Everything in this process: fast, and gone when it ends; one process only."""

    _start: Seed | None = None

    def fixture_ids(self) -> set[str]:
        """Return the ids of the tasks remembered as the start (all of them, before any is)."""
        return {task.task_id for task in (self._start.tasks if self._start else self.tasks)}

    def remember(self) -> None:
        """Take the state as it is now as the one `reset` restores."""
        self._start = Seed(self.tasks.copy(), dict(self.account), self.faults.copy(), self.submissions)

    async def open(self) -> None:
        """Nothing to open: the state is already here."""

    async def close(self) -> None:
        """Stop delivering webhooks."""
        self.webhooks.close()

    async def _put(self, task: Task, timeline: Timeline | None, hook: Hook | None, submitted: bool) -> None:
        task_id = task.task_id
        listener = sender(hook, task_id, self.webhooks) if hook is not None and timeline is not None else None
        self.tasks.put(task, timeline, listener, submitted)
        if listener is not None and timeline is not None:
            wake_at_steps(timeline, lambda: self.tasks.refresh(task_id))

    async def _sync_polls(self, task_ids: Collection[str] | None, count: bool = False) -> None:
        """Nothing to bring up to date: this process counts every poll itself."""

    async def _count(self, route: str, indices: list[int]) -> tuple[int, set[int]]:
        return self.faults.call_number(route), self.faults.take(indices)

    async def _delivery_records(self) -> list[Delivery]:
        return self.webhooks.deliveries()

    async def remove_task(self, task_id: str) -> bool:
        """Forget the task `task_id`; say whether there was one."""
        return self.tasks.remove(task_id)

    async def advance_task(self, task_id: str, to_end: bool = False) -> Task | None:
        """Move the task along (see `progress.advance_task`)."""
        return advance_task(self.tasks, task_id, to_end)

    async def set_faults(self, faults: FaultPlan) -> None:
        """Put `faults` in force."""
        self.faults = faults

    async def faults_now(self) -> JSONObject:
        """Return the faults in force with what is left of each `next`."""
        return self.faults.to_json()

    async def set_submissions(self, submissions: Submissions) -> None:
        """Put `submissions` in force."""
        self.submissions = submissions

    async def record_request(self, entry: RecordedRequest) -> None:
        """Add `entry` to the journal."""
        self.journal.record(entry)

    async def requests(self, last: int | None = None) -> JournalPage:
        """Return the journal's entries (the newest `last`, if given)."""
        return self.journal.page(last)

    async def clear_requests(self) -> None:
        """Empty the journal."""
        self.journal.clear()

    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""
        self.webhooks.clear()

    async def reset(self) -> None:
        """Restore the remembered tasks, account, faults and pace; empty the journal and the records."""
        if self._start is None:
            self.remember()
        assert self._start is not None
        self._restore(self._start)
        self.webhooks.clear()

    async def reseed(self, seed: Seed) -> None:
        """Make `seed` the state, and the one `reset` restores; empty the journal and the records."""
        self._start = seed
        self._restore(seed)
        # A fresh dispatcher, so no delivery still under way for the old state lands in the new one's records.
        self.webhooks.close()
        self.webhooks = WebhookDispatcher()

    def _restore(self, start: Seed) -> None:
        self.tasks = start.tasks.copy()
        self.account = dict(start.account)
        # A plan counts its calls down in place: each start gets its own.
        self.faults = start.faults.copy()
        self.submissions = start.submissions
        self.journal.clear()
        self.ledger.clear()
        self.files.clear()
        self.documents.clear()
