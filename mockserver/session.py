"""One mock server per test session, reset per test, and the handle a test drives it with.

Kept apart from `plugin.py` so that these names can be exported without importing pytest.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .app import WEBHOOK_RECEIVER_PATH, create_app
from .auth import AuthScheme
from .calibration import Calibration, load_calibration
from .errors import FaultSpecError, MarkerError, SubmissionsSpecError, TaskSpecError, UsageError
from .factory import build_task, move_task
from .faults import FaultPlan
from .fixtures import load_fixtures
from .journal import Journal, RecordedRequest
from .server import ServerThread
from .state import DEFAULT_API_KEY, MockState
from .store import ADVANCE_TO, TaskStore, advance_task
from .submissions import PLUGIN_PACE, Submissions, load_endpoints
from .timeline import Timeline, check_views
from .webhooks import ALLOW_ANY, Delivery, Inbox, ReceivedWebhook, TargetPolicy, WebhookDispatcher
from .wire import JSONObject

WEBHOOK_WAIT_S = 10.0
"""How long `webhooks` and `received_webhooks` wait for deliveries under way before answering."""


def _api_key(value: object, root: Path) -> str:
    __tracebackhide__ = True
    if not isinstance(value, str) or not value:
        raise MarkerError(f"apiframe_mock marker: api_key={value!r} must be a non-empty string")
    return value


def _auth_scheme(value: object, root: Path) -> AuthScheme:
    __tracebackhide__ = True
    if value not in tuple(AuthScheme):
        allowed = ", ".join(repr(scheme.value) for scheme in AuthScheme)
        raise MarkerError(f"apiframe_mock marker: auth_scheme={value!r} is not one of {allowed}")
    return AuthScheme(str(value))


def _faults(value: object, root: Path) -> JSONObject:
    __tracebackhide__ = True
    plan = {"faults": list(value)} if isinstance(value, list | tuple) else value
    try:
        FaultPlan.from_json(plan)
    except FaultSpecError as exc:
        shapes = "a list of faults or {'seed': ..., 'faults': [...]}"
        raise MarkerError(f"apiframe_mock marker: {exc}; give {shapes}") from None
    assert isinstance(plan, dict)
    return plan


def _submissions(value: object, root: Path) -> Submissions:
    __tracebackhide__ = True
    try:
        return Submissions.from_json(value, load_endpoints(), PLUGIN_PACE)
    except SubmissionsSpecError as exc:
        raise MarkerError(
            f"apiframe_mock marker: {exc}; give {{'by': 'polls' or 'seconds', 'every': N, ...}}"
        ) from None


def _webhook_allow(value: object, root: Path) -> tuple[str, ...]:
    __tracebackhide__ = True
    hosts = (value,) if isinstance(value, str) else value
    if not isinstance(hosts, list | tuple) or not all(isinstance(host, str) and host for host in hosts):
        raise MarkerError(
            f"apiframe_mock marker: webhook_allow={value!r} must be a host name, a list of them, or {ALLOW_ANY!r}"
        )
    return tuple(hosts)


def _fixtures(value: object, root: Path) -> Path:
    __tracebackhide__ = True
    if not isinstance(value, str | os.PathLike):
        raise MarkerError(f"apiframe_mock marker: fixtures={value!r} must be a folder path (str or Path)")
    folder = root / Path(value)
    if not folder.is_dir():
        # Named as the test gave it: a relative path is the rootdir's, which the test may not have in mind.
        raise MarkerError(
            f"apiframe_mock marker: fixtures={os.fspath(value)!r} is not a folder (relative to the rootdir {root})"
        )
    return folder


def _config(value: object, root: Path) -> Calibration:
    __tracebackhide__ = True
    if not isinstance(value, str | os.PathLike):
        raise MarkerError(f"apiframe_mock marker: config={value!r} must be the path of a calibration file")
    try:
        return load_calibration(root / Path(value))
    except UsageError as exc:
        raise MarkerError(f"apiframe_mock marker: config: {exc}") from None


@dataclass(frozen=True, slots=True)
class MockOptions:
    """Per-test settings of the mock, given as keyword options of the ``apiframe_mock`` marker."""

    api_key: str = field(default=DEFAULT_API_KEY, metadata={"convert": _api_key})
    auth_scheme: AuthScheme = field(default=AuthScheme.BEARER_TOO, metadata={"convert": _auth_scheme})
    fixtures: Path | None = field(default=None, metadata={"convert": _fixtures})
    faults: JSONObject | None = field(default=None, metadata={"convert": _faults})
    submissions: Submissions = field(default_factory=Submissions, metadata={"convert": _submissions})
    webhook_allow: tuple[str, ...] = field(default=(), metadata={"convert": _webhook_allow})
    config: Calibration = field(default_factory=Calibration, metadata={"convert": _config})
    """The calibration file's settings: the mock answers the points the docs leave open as production does."""

    @classmethod
    def parse(cls, options: Mapping[str, object], root: Path) -> MockOptions:
        """Check the marker's `options` (relative paths are under `root`), or raise MarkerError naming the bad one."""
        __tracebackhide__ = True
        known = {option.name: option.metadata["convert"] for option in fields(cls)}
        checked: dict[str, Any] = {}
        for name, value in options.items():
            if name not in known:
                raise MarkerError(f"apiframe_mock marker: unknown option {name!r}; the options are {', '.join(known)}")
            checked[name] = known[name](value, root)
        return cls(**checked)


class MockServer:
    """The session's running mock: a uvicorn thread serving one state and journal, reset per test."""

    def __init__(self) -> None:
        self.journal = Journal()
        self.inbox = Inbox()
        fixtures = load_fixtures()
        self.state = MockState.from_fixtures(fixtures)
        self._seeds: dict[Path | None, tuple[TaskStore, JSONObject]] = {None: (self.state.store, fixtures.account)}
        self.state.store = self.state.store.copy()
        self._thread = ServerThread(create_app(self.state, journal=self.journal, inbox=self.inbox))
        self.url = self._thread.url

    @classmethod
    def start(cls) -> MockServer:
        """Build the app on a free port of 127.0.0.1 and return once it accepts connections."""
        server = cls()
        server._thread.start()
        return server

    def reset(self, options: MockOptions) -> None:
        """Restore the seed tasks and account of `options`, accept its key, and empty the journal."""
        __tracebackhide__ = True
        store, account = self._seed(options.fixtures)
        self.state.store = store.copy()
        self.state.account = account
        self.state.keys = options.config.key_check(options.api_key, options.auth_scheme)
        self.state.calibration = options.config
        # A plan counts its calls down, so every test gets one built afresh.
        self.state.faults = FaultPlan.from_json(options.faults) if options.faults else FaultPlan()
        self.state.submissions = options.submissions
        self.state.webhook_targets = TargetPolicy(options.webhook_allow)
        # A fresh dispatcher, so no delivery still under way for the last test lands in this one's records.
        self.state.webhooks.close()
        self.state.webhooks = WebhookDispatcher()
        self.journal.clear()
        self.inbox.clear()

    def _seed(self, folder: Path | None) -> tuple[TaskStore, JSONObject]:
        __tracebackhide__ = True
        # Each fixtures folder is read and encoded once per session; a reset only copies two dicts.
        if folder not in self._seeds:
            loaded = MockState.from_fixtures(load_fixtures(folder))
            self._seeds[folder] = (loaded.store, loaded.account)
        return self._seeds[folder]

    def requests(self) -> list[RecordedRequest]:
        """Return the journal's entries, oldest first."""
        return self.journal.entries()

    def stop(self) -> None:
        """Stop serving, and delivering webhooks."""
        self._thread.stop()
        self.state.webhooks.close()


class ApiframeMock:
    """What the ``apiframe_mock`` fixture gives a test: where the mock is, its tasks, and what it received."""

    def __init__(self, server: MockServer, options: MockOptions) -> None:
        self._server = server
        self.options = options

    @property
    def url(self) -> str:
        """The base URL of the mock, ``http://127.0.0.1:<port>``, with no trailing slash."""
        return self._server.url

    @property
    def api_key(self) -> str:
        """The API key the mock accepts in this test."""
        return self.options.api_key

    def add_task(
        self,
        task_type: str = "imagine",
        status: str = "finished",
        *,
        timeline: Timeline | Sequence[str | Mapping[str, Any]] | None = None,
        **fields: Any,
    ) -> JSONObject:
        """Store a valid task of `task_type` in `status`, realistic defaults overridden by `fields`; return it.

        With a `timeline` (a `Timeline`, or steps such as ``["pending", {"status": "processing",
        "percentage": "40"}, "finished"]`` advancing one per poll), the task moves through those steps
        as it is fetched, and `status` with `fields` is what it shows once finished.
        """
        __tracebackhide__ = True
        task = build_task(task_type, status, **fields)
        steps = timeline if isinstance(timeline, Timeline) or timeline is None else Timeline.of(*timeline)
        if steps is not None:
            check_views(task, steps)
        self._server.state.store.put(task, steps)
        return copy.deepcopy(task)

    def set_status(self, task_id: str, status: str, **fields: Any) -> JSONObject:
        """Move the stored task `task_id` on to `status`, `fields` overriding; return it as now stored."""
        __tracebackhide__ = True
        store = self._server.state.store
        task = store.get(task_id)
        if task is None:
            raise TaskSpecError(
                f"set_status: no stored task has task_id {task_id!r}; use the id that add_task returned or a fixture's"
            )
        moved = move_task(task, status, **fields)
        store.put(moved)
        return copy.deepcopy(moved)

    def advance(self, task_id: str, to: str = "next") -> JSONObject:
        """Move the stored task `task_id` to its next step, or to its end with ``to="end"``, at once; return it.

        A submitted task moves along its lifecycle (its webhook hears of each step); any other task goes
        from a waiting status to processing, then to finished.
        """
        __tracebackhide__ = True
        if to not in ADVANCE_TO:
            raise TaskSpecError(f"advance: to={to!r} is not one of {', '.join(map(repr, ADVANCE_TO))}")
        moved = advance_task(self._server.state.store, task_id, to_end=to == "end")
        if moved is None:
            raise TaskSpecError(f"advance: no stored task has task_id {task_id!r}; use the id a submission returned")
        return copy.deepcopy(moved)

    @property
    def webhook_url(self) -> str:
        """A URL on the mock itself that receives webhooks, so a test needs no server of its own."""
        return self._server.url + WEBHOOK_RECEIVER_PATH

    @property
    def webhooks(self) -> list[Delivery]:
        """Every webhook delivery attempt in this test, oldest first, once those under way are done."""
        self._server.state.webhooks.wait_idle(WEBHOOK_WAIT_S)
        return self._server.state.webhooks.deliveries()

    @property
    def received_webhooks(self) -> list[ReceivedWebhook]:
        """What `webhook_url` received in this test, oldest first, once deliveries under way are done."""
        self._server.state.webhooks.wait_idle(WEBHOOK_WAIT_S)
        return self._server.inbox.received()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests the mock received in this test, oldest first, at most `JOURNAL_MAX_ENTRIES` (keys redacted)."""
        return self._server.requests()
