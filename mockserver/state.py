"""What a running mock holds: its tasks, its account, the key it accepts, and how submissions and webhooks go."""

from __future__ import annotations

from dataclasses import dataclass, field

from .auth import AuthScheme, KeyCheck
from .faults import FaultPlan
from .fixtures import FixtureSet, load_fixtures
from .limits import BODY_TIMEOUT_S
from .store import TaskStore
from .submissions import Submissions
from .webhooks import TargetPolicy, WebhookDispatcher
from .wire import JSONObject

DEFAULT_API_KEY = "apiframe-mock-key"


@dataclass(slots=True)
class MockState:
    """The mutable state behind one app; tests and the plugin swap its parts between runs."""

    keys: KeyCheck
    account: JSONObject
    store: TaskStore = field(default_factory=TaskStore)
    faults: FaultPlan = field(default_factory=FaultPlan)
    body_timeout_s: float = BODY_TIMEOUT_S
    submissions: Submissions = field(default_factory=Submissions)
    webhooks: WebhookDispatcher = field(default_factory=WebhookDispatcher)
    webhook_targets: TargetPolicy = field(default_factory=TargetPolicy)
    workers: int = 1
    """Worker processes serving this state, each with its own copy; submissions need it to be 1."""

    @classmethod
    def from_fixtures(
        cls,
        fixtures: FixtureSet | None = None,
        api_key: str = DEFAULT_API_KEY,
        auth_scheme: AuthScheme = AuthScheme.BEARER_TOO,
    ) -> MockState:
        """Build the state serving `fixtures` (the bundled ones by default) behind `api_key`."""
        fixtures = fixtures or load_fixtures()
        store = TaskStore()
        for task in fixtures.tasks:
            store.put(task, fixtures.timelines.get(task["task_id"]))
        return cls(KeyCheck(api_key, auth_scheme), dict(fixtures.account), store)
