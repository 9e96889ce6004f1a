"""A local server standing for production, for the commands that talk to one (diff, snapshot)."""

from __future__ import annotations

import json
from typing import Any

from mockserver import Journal, MockState, ServerThread, create_app
from mockserver.paths import default_fixtures_dir
from tests.contract.wrapper import After, Wrapped


def fixture_task(name: str) -> dict[str, Any]:
    """Return the bundled fixture task ``tasks/<name>.json``."""
    task: dict[str, Any] = json.loads((default_fixtures_dir() / "tasks" / f"{name}.json").read_text())
    return task


def production(key: str, after: After | None = None, journal: Journal | None = None) -> ServerThread:
    """The mock holding the bundled tasks behind `key`, its answers passed through `after`."""
    state = MockState.from_fixtures(api_key=key)
    return ServerThread(Wrapped(create_app(state, journal=journal), after=after))
