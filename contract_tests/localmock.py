"""The local mock a differential run compares with: it serves the live tasks, and follows them as they move on."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mockserver import FixtureSet, MockState, ServerThread, create_app

from .client import Client
from .exchange import Exchange
from .target import Target


@dataclass(frozen=True, slots=True)
class LocalMock:
    """A mock on 127.0.0.1 holding live tasks: the client that talks to it, and its state."""

    client: Client
    state: MockState

    def hold(self, task: dict[str, Any]) -> None:
        """Hold `task` as production now shows it, in place of the one with its id."""
        self.state.store.tasks.put(task)


@contextmanager
def local_mock(
    tasks: Sequence[dict[str, Any]], account: dict[str, Any], known: Sequence[str] = ()
) -> Iterator[LocalMock]:
    """Serve `tasks` and `account` from a fresh mock under a random key; yield it, its client knowing `known` ids."""
    state = MockState.from_fixtures(FixtureSet(tasks=tuple(tasks), account=account), secrets.token_urlsafe(16))
    with ServerThread(create_app(state)) as server:
        client = Client(Target(server.url, state.keys.api_key, tuple(known)), ignore)
        try:
            yield LocalMock(client, state)
        finally:
            client.close()


def ignore(exchange: Exchange) -> None:
    """Take no note of an exchange: a differential run judges pairs, not single answers."""
