"""What a running mock holds: the key it accepts, where its state is kept, and how it reaches out."""

from __future__ import annotations

from dataclasses import dataclass, field

from .auth import AuthScheme, KeyCheck
from .calibration import Calibration
from .faults import FaultPlan
from .fixtures import FixtureSet, load_fixtures
from .journal import Journal
from .limits import BODY_TIMEOUT_S
from .store import MemoryStore, Store, TaskStore
from .submissions import Submissions
from .webhooks import TargetPolicy, WebhookDispatcher
from .wire import JSONObject

DEFAULT_API_KEY = "apiframe-mock-key"


@dataclass(slots=True)
class MockState:
    """The state behind one app: its key and limits, and its `backend` store, whose parts it shows as its own."""

    keys: KeyCheck
    backend: Store
    body_timeout_s: float = BODY_TIMEOUT_S
    webhook_targets: TargetPolicy = field(default_factory=TargetPolicy)
    workers: int = 1
    """Worker processes serving this state, each with its own copy unless the store is shared."""
    calibration: Calibration = field(default_factory=Calibration)
    """How the mock answers where the docs are silent: its guesses, or what production was seen to do."""

    @classmethod
    def from_fixtures(
        cls,
        fixtures: FixtureSet | None = None,
        api_key: str = DEFAULT_API_KEY,
        auth_scheme: AuthScheme = AuthScheme.BEARER_TOO,
    ) -> MockState:
        """Build the state serving `fixtures` (the bundled ones by default) behind `api_key`, in memory."""
        fixtures = fixtures or load_fixtures()
        tasks = TaskStore()
        for task in fixtures.tasks:
            tasks.put(task, fixtures.timelines.get(task["task_id"]))
        return cls(KeyCheck(api_key, auth_scheme), MemoryStore(tasks, dict(fixtures.account)))

    # The parts of the store, as this process reads them; tests and the plugin swap them between runs.
    @property
    def store(self) -> TaskStore:
        """The tasks, as this process sees them."""
        return self.backend.tasks

    @store.setter
    def store(self, tasks: TaskStore) -> None:
        self.backend.tasks = tasks

    @property
    def account(self) -> JSONObject:
        """The account `GET /account` answers."""
        return self.backend.account

    @account.setter
    def account(self, account: JSONObject) -> None:
        self.backend.account = account

    @property
    def faults(self) -> FaultPlan:
        """The faults in force."""
        return self.backend.faults

    @faults.setter
    def faults(self, faults: FaultPlan) -> None:
        self.backend.faults = faults

    @property
    def submissions(self) -> Submissions:
        """How submitted tasks move on."""
        return self.backend.submissions

    @submissions.setter
    def submissions(self, submissions: Submissions) -> None:
        self.backend.submissions = submissions

    @property
    def webhooks(self) -> WebhookDispatcher:
        """The dispatcher that delivers webhooks, and keeps their records."""
        return self.backend.webhooks

    @webhooks.setter
    def webhooks(self, webhooks: WebhookDispatcher) -> None:
        self.backend.webhooks = webhooks

    @property
    def journal(self) -> Journal:
        """The journal of requests received, when the app keeps one."""
        return self.backend.journal

    @journal.setter
    def journal(self, journal: Journal) -> None:
        self.backend.journal = journal
