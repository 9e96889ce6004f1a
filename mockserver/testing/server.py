"""The session's mock server: one uvicorn thread serving one state, reset per test through the engine's commands."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from ..app import create_app
from ..engine import commands
from ..engine.faults import FaultPlan
from ..engine.fixtures import load_fixtures
from ..engine.journal import Journal, RecordedRequest
from ..engine.store import Seed, TaskStore
from ..engine.webhooks import TargetPolicy
from ..http.inbox import Inbox
from ..server import ServerThread
from ..state import MockState
from ..wire import JSONObject
from .options import MockOptions

Result = TypeVar("Result")
COMMAND_TIMEOUT_S = 30.0
"""How long a test waits for a command on the server's loop: far past any, short of a hung run."""


class MockServer:
    """The session's running mock: a uvicorn thread serving one state and journal, reset per test."""

    def __init__(self) -> None:
        self.journal = Journal()
        self.inbox = Inbox()
        fixtures = load_fixtures()
        self.state = MockState.from_fixtures(fixtures)
        self._seeds: dict[Path | None, tuple[TaskStore, JSONObject]] = {
            None: (self.state.store.tasks, fixtures.account)
        }
        self.state.store.tasks = self.state.store.tasks.copy()
        self.app = create_app(self.state, journal=self.journal, inbox=self.inbox)
        self._thread = ServerThread(self.app)
        self.url = self._thread.url

    @classmethod
    def start(cls) -> MockServer:
        """Build the app on a free port of 127.0.0.1 and return once it accepts connections."""
        server = cls()
        server._thread.start()
        return server

    def run(self, command: Coroutine[Any, Any, Result]) -> Result:
        """Run `command` on the server's event loop, where the store is changed, and return what it returns."""
        __tracebackhide__ = True
        loop = self.app.loop
        assert loop is not None, "the server is not serving"
        return asyncio.run_coroutine_threadsafe(command, loop).result(COMMAND_TIMEOUT_S)

    def reset(self, options: MockOptions) -> None:
        """Restore the seed tasks and account of `options`, accept its key, and empty the journal."""
        __tracebackhide__ = True
        tasks, account = self._seed(options.fixtures)
        self.state.calibrate(options.config, options.api_key, options.auth_scheme)
        self.state.webhook_targets = TargetPolicy(options.webhook_allow)
        faults = FaultPlan.from_json(options.faults) if options.faults else FaultPlan()
        self.run(commands.reset(self.state.store, Seed(tasks, account, faults, options.submissions)))
        self.inbox.clear()

    def _seed(self, folder: Path | None) -> tuple[TaskStore, JSONObject]:
        __tracebackhide__ = True
        # Each fixtures folder is read once per session; a reset only copies two dicts of frozen records.
        if folder not in self._seeds:
            loaded = MockState.from_fixtures(load_fixtures(folder))
            self._seeds[folder] = (loaded.store.tasks, loaded.store.account)
        return self._seeds[folder]

    def requests(self) -> list[RecordedRequest]:
        """Return the journal's entries, oldest first."""
        return self.run(self.state.store.requests()).entries

    def stop(self) -> None:
        """Stop serving, and delivering webhooks."""
        self._thread.stop()
        self.state.store.webhooks.close()
