"""The state in this process's memory: the embedded default, for `make run` and the pytest plugin."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from ...wire import JSONObject
from ..faults import Decision, FaultPlan
from ..journal import JournalPage, RecordedRequest
from ..lifecycle import Submissions
from ..timeline import Advance, StepListener, Timeline
from ..webhooks import Delivery, Hook, WebhookDispatcher
from .base import Store
from .progress import advance_task
from .tasks import TaskStore

HORIZON_S = 86_400.0
"""Steps further off than a day get no timer: a stalled step lasts for ever, and a mock rarely runs that long."""
TIMER_SLACK_S = 0.01
"""Event loops run a timer up to a clock tick early; a step woken before it begins would go unsent."""


@dataclass(frozen=True, slots=True)
class _Start:
    """What `reset` restores."""

    tasks: TaskStore
    account: JSONObject
    faults: JSONObject
    submissions: Submissions


def sender(hook: Hook, task_id: str, dispatcher: WebhookDispatcher) -> StepListener:
    """Return a step listener that posts each step of task `task_id` to `hook`."""

    def send(view: JSONObject) -> None:
        dispatcher.send(task_id, hook.url, hook.secret, view)

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

    _start: _Start | None = None

    def fixture_ids(self) -> set[str]:
        """Return the ids of the tasks remembered as the start (all of them, before any is)."""
        return {str(task["task_id"]) for task in (self._start.tasks if self._start else self.tasks)}

    def remember(self) -> None:
        """Take the state as it is now as the one `reset` restores."""
        self._start = _Start(self.tasks.copy(), dict(self.account), self.faults.to_json(), self.submissions)

    async def open(self) -> None:
        """Nothing to open: the state is already here."""

    async def close(self) -> None:
        """Stop delivering webhooks."""
        self.webhooks.close()

    async def put_task(
        self, task: JSONObject, timeline: Timeline | None = None, hook: Hook | None = None, submitted: bool = False
    ) -> None:
        """Store `task`, on `timeline` if given, its steps sent to `hook` if given, marked if `submitted`."""
        task_id = str(task["task_id"])
        listener = sender(hook, task_id, self.webhooks) if hook is not None else None
        self.tasks.put(task, timeline, listener if timeline is not None else None, submitted)
        if listener is None:
            return
        listener(timeline.view(task, timeline.steps[0]) if timeline is not None else task)
        if timeline is not None:
            wake_at_steps(timeline, lambda: self.tasks.refresh(task_id))

    async def remove_task(self, task_id: str) -> bool:
        """Forget the task `task_id`; say whether there was one."""
        return self.tasks.remove(task_id)

    async def advance_task(self, task_id: str, to_end: bool = False) -> JSONObject | None:
        """Move the task along (see `progress.advance_task`)."""
        return advance_task(self.tasks, task_id, to_end)

    async def current(self, task_id: str) -> JSONObject | None:
        """Return the task as a fetch would show it now."""
        return self.tasks.get(task_id)

    async def tasks_now(self) -> list[JSONObject]:
        """Return every task as a fetch would show it now."""
        return list(self.tasks)

    async def fetch(self, task_id: str) -> bytes | None:
        """Return the encoded task as a fetch sees it now (a poll), or None."""
        return self.tasks.encoded(task_id)

    async def fetch_many(self, task_ids: list[str]) -> bytes:
        """Return the encoded fetch-many answer for `task_ids`."""
        return self.tasks.fetch_many_body(task_ids)

    async def set_faults(self, faults: FaultPlan) -> None:
        """Put `faults` in force."""
        self.faults = faults

    async def faults_now(self) -> JSONObject:
        """Return the faults in force with what is left of each `next`."""
        return self.faults.to_json()

    async def decide(self, route: str, keyed: bool) -> Decision:
        """Decide what the faults do to this call of `route`."""
        return self.faults.decide(route, keyed)

    async def failure(self) -> str | None:
        """Return the message this submission's task fails with, if a fail_task fault strikes it."""
        return self.faults.failure()

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

    async def deliveries(self) -> tuple[list[Delivery], int, int]:
        """Return the delivery records, how many were dropped, and how many wait."""
        return self.webhooks.deliveries(), self.webhooks.dropped, self.webhooks.pending()

    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""
        self.webhooks.clear()

    async def reset(self) -> None:
        """Restore the remembered tasks, account, faults and pace; empty the journal and the records."""
        if self._start is None:
            self.remember()
        start = self._start
        assert start is not None
        self.tasks = start.tasks.copy()
        self.account = dict(start.account)
        self.faults = FaultPlan.from_json(start.faults)
        self.submissions = start.submissions
        self.webhooks.clear()
        self.journal.clear()
