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

from .app import create_app
from .auth import AuthScheme, KeyCheck
from .errors import FaultSpecError, MarkerError, TaskSpecError
from .factory import build_task, move_task
from .faults import FaultPlan
from .fixtures import load_fixtures
from .journal import Journal, RecordedRequest
from .server import ServerThread
from .state import DEFAULT_API_KEY, MockState
from .store import TaskStore
from .timeline import Timeline, check_views
from .wire import JSONObject


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


def _fixtures(value: object, root: Path) -> Path:
    __tracebackhide__ = True
    if not isinstance(value, str | os.PathLike):
        raise MarkerError(f"apiframe_mock marker: fixtures={value!r} must be a folder path (str or Path)")
    return root / Path(value)


@dataclass(frozen=True, slots=True)
class MockOptions:
    """Per-test settings of the mock, given as keyword options of the ``apiframe_mock`` marker."""

    api_key: str = field(default=DEFAULT_API_KEY, metadata={"convert": _api_key})
    auth_scheme: AuthScheme = field(default=AuthScheme.BEARER_TOO, metadata={"convert": _auth_scheme})
    fixtures: Path | None = field(default=None, metadata={"convert": _fixtures})
    faults: JSONObject | None = field(default=None, metadata={"convert": _faults})

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
        fixtures = load_fixtures()
        self.state = MockState.from_fixtures(fixtures)
        self._seeds: dict[Path | None, tuple[TaskStore, JSONObject]] = {None: (self.state.store, fixtures.account)}
        self.state.store = self.state.store.copy()
        self._thread = ServerThread(create_app(self.state, journal=self.journal))
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
        self.state.keys = KeyCheck(options.api_key, options.auth_scheme)
        # A plan counts its calls down, so every test gets one built afresh.
        self.state.faults = FaultPlan.from_json(options.faults) if options.faults else FaultPlan()
        self.journal.clear()

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
        """Stop serving."""
        self._thread.stop()


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

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests the mock received in this test, oldest first, at most `JOURNAL_MAX_ENTRIES` (keys redacted)."""
        return self._server.requests()
