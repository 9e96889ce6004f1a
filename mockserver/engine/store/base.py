"""The one interface to where a mock's state is kept: this process's memory, or Redis shared by every process.

Reads that must be fast (a steady task, the account, whether a fault is in force) are answered from
the attributes, which every process holds; what every process must agree on goes through the
methods: a change is seen everywhere once its call has returned, and a count (a poll of a task on a
timeline, a fault's `next`, a journal entry) is counted once, whichever process made it.

What every store does alike is done here, once; a store says how it keeps things through a few hooks:
`_put` and `_sync_polls` for tasks, `_count` for fault calls, `_delivery_records` for webhook records.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, field

from ...wire import JSONObject
from ..faults import FAIL_TASK_ROUTE, Decision, FaultPlan
from ..files import MAX_FILES_KEPT_BYTES, Documents, Files
from ..journal import Journal, JournalPage, RecordedRequest
from ..ledger import Ledger
from ..lifecycle import Submissions
from ..task import Task
from ..timeline import Timeline
from ..webhooks import Delivery, Hook, WebhookDispatcher
from .tasks import TaskStore


@dataclass(frozen=True, slots=True)
class Seed:
    """What a state starts from, and what `reset` restores: tasks, account, faults and submission pace."""

    tasks: TaskStore
    account: JSONObject
    faults: FaultPlan = field(default_factory=FaultPlan)
    submissions: Submissions = field(default_factory=Submissions)


class Store(ABC):
    """A mock's tasks, account, faults, submission pace, journal and webhook records, and the changes to them."""

    shared = False
    """Whether several processes can serve one state from this store."""
    available = True
    """Whether this process can answer from the store now; a shared store out of reach makes it False."""

    def __init__(
        self,
        tasks: TaskStore,
        account: JSONObject,
        faults: FaultPlan | None = None,
        submissions: Submissions | None = None,
        webhooks: WebhookDispatcher | None = None,
    ) -> None:
        self.tasks = tasks
        """The tasks as this process sees them: the store itself in memory, a copy kept current on Redis."""
        self.account = account
        self.faults = faults or FaultPlan()
        self.submissions = submissions or Submissions()
        self.webhooks = webhooks or WebhookDispatcher()
        self.journal = Journal()
        self.ledger = Ledger()
        """The credits spent and the idempotency keys claimed; a shared store brings a shared one."""
        self.files = Files(MAX_FILES_KEPT_BYTES)
        self.documents = Documents()

    # What a store must say: how it starts, keeps tasks, counts, and restores.
    @abstractmethod
    def fixture_ids(self) -> set[str]:
        """Return the ids of the tasks the mock started with, which `reset` restores."""

    @abstractmethod
    def remember(self) -> None:
        """Take the state as it is now as the one `reset` restores."""

    @abstractmethod
    async def open(self) -> None:
        """Make the store ready to serve in this process, or raise StoreUnavailable saying why not."""

    @abstractmethod
    async def close(self) -> None:
        """Let go of what `open` took."""

    @abstractmethod
    async def _put(self, task: Task, timeline: Timeline | None, hook: Hook | None, submitted: bool) -> None:
        """Keep `task` for every process (see `put_task`); the first step's webhook is sent by the caller."""

    @abstractmethod
    async def _sync_polls(self, task_ids: Collection[str] | None, count: bool = False) -> None:
        """Bring this process's polls of the tasks `task_ids` (all, if None) up to date; count one more of each."""

    @abstractmethod
    async def _count(self, route: str, indices: list[int]) -> tuple[int, set[int]]:
        """Count a call of `route`, using one `next` of each fault at `indices`: its number, and the faults used."""

    @abstractmethod
    async def _delivery_records(self) -> list[Delivery]:
        """Return every webhook delivery attempt, oldest first."""

    @abstractmethod
    async def remove_task(self, task_id: str) -> bool:
        """Forget the task `task_id`; say whether there was one."""

    @abstractmethod
    async def advance_task(self, task_id: str, to_end: bool = False) -> Task | None:
        """Move the task to its next step (its last, with `to_end`) and return it; None if there is none."""

    @abstractmethod
    async def set_faults(self, faults: FaultPlan) -> None:
        """Put `faults` in force, their counts started afresh."""

    @abstractmethod
    async def faults_now(self) -> JSONObject:
        """Return the faults in force, as ``{"seed", "faults"}`` with what is left of each `next`."""

    @abstractmethod
    async def set_submissions(self, submissions: Submissions) -> None:
        """Put `submissions` in force for the tasks submitted from now on."""

    @abstractmethod
    async def record_request(self, entry: RecordedRequest) -> None:
        """Add `entry` to the journal."""

    @abstractmethod
    async def requests(self, last: int | None = None) -> JournalPage:
        """Return the journal's entries (the newest `last`, if given), oldest first, and where they stand."""

    @abstractmethod
    async def clear_requests(self) -> None:
        """Empty the journal."""

    @abstractmethod
    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""

    @abstractmethod
    async def reset(self) -> None:
        """Restore the remembered state: tasks, account, faults and pace; empty the journal and the records."""

    @abstractmethod
    async def reseed(self, seed: Seed) -> None:
        """Make `seed` the state, and the one `reset` restores; empty the journal and the records."""

    # What every store does alike, over the hooks above.
    async def put_task(
        self, task: Task, timeline: Timeline | None = None, hook: Hook | None = None, submitted: bool = False
    ) -> None:
        """Store `task` (replacing the one with its id), on `timeline` if given, its steps sent to `hook` if given.

        `submitted` marks a task a submit endpoint created; a task stored again keeps the mark.
        """
        await self._put(task, timeline, hook, submitted)
        if hook is not None:
            first = timeline.show(task, 0) if timeline is not None else task
            self.webhooks.deliver(task.task_id, hook, first)

    async def current(self, task_id: str) -> Task | None:
        """Return the task as a fetch would show it now, without counting a poll; None if there is none."""
        await self._sync_polls([task_id])
        return self.tasks.get(task_id)

    async def tasks_now(self) -> list[Task]:
        """Return every task as a fetch would show it now."""
        await self._sync_polls(None)
        return list(self.tasks)

    async def fetch(self, task_id: str) -> Task | None:
        """Return the task as a fetch sees it now (a poll), or None."""
        await self._sync_polls([task_id], count=True)
        return self.tasks.poll(task_id)

    async def fetch_many(self, task_ids: list[str]) -> list[Task]:
        """Return the tasks of `task_ids` that exist, in order, a poll of each task on a timeline."""
        await self._sync_polls(task_ids, count=True)
        return self.tasks.poll_many(task_ids)

    async def decide(self, route: str, keyed: bool) -> Decision:
        """Decide what the faults do to this call of `route` (see `FaultPlan.decide`)."""
        # One plan throughout: a change applied while the count is made must not mix two plans' indices.
        plan = self.faults
        call, taken = await self._count(route, plan.counted(route, keyed))
        return plan.decision(route, call, taken, keyed)

    async def failure(self) -> str | None:
        """Return the message the task of this submission fails with, if a fail_task fault strikes it."""
        plan = self.faults
        if not plan.has_failures():
            return None
        call, taken = await self._count(FAIL_TASK_ROUTE, plan.failing())
        return plan.failure_of(call, taken)

    async def deliveries(self) -> tuple[list[Delivery], int, int]:
        """Return every webhook delivery attempt, oldest first, how many were dropped, and how many wait."""
        return await self._delivery_records(), self.webhooks.dropped, self.webhooks.pending()

    async def settle(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` seconds for this process's webhook deliveries under way; say whether they ended."""
        return await self.webhooks.wait_idle_async(timeout_s)
