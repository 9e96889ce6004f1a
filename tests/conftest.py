"""Shared fixtures: one real uvicorn per session serving the bundled fixtures, and an HTTP client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from starlette.types import ASGIApp

from mockserver import DEFAULT_API_KEY, AuthScheme, Journal, MockApp, MockState, ServerThread, create_app, load_fixtures

from .browser import launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Loaded here rather than through its entry point (blocked in pyproject.toml) so that coverage sees it.
pytest_plugins = ["pytester", "mockserver.plugin"]

# On a fresh machine Hypothesis builds its Unicode table the first time any test draws text, which
# takes 3 to 10 s and trips the too_slow health check of whichever test comes first: a false alarm.
# Speed is measured by `make bench`, never by a test's deadline, which a loaded machine would trip.
settings.register_profile("project", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("project")


@dataclass(frozen=True)
class Answer:
    """What the server sent back, decoded once."""

    status: int
    content_type: str
    headers: httpx.Headers
    body: Any


class Api:
    """Sends raw requests to a running mock and decodes the answer."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = httpx.Client(base_url=url, timeout=10)

    def send(
        self, method: str, path: str, content: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        response = self.client.request(method, path, content=content, headers=headers)
        return Answer(response.status_code, response.headers.get("content-type", ""), response.headers, response.json())

    def post(self, path: str, payload: object, key: str | None = DEFAULT_API_KEY) -> Answer:
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = key
        return self.send("POST", path, json.dumps(payload).encode(), headers)


@contextmanager
def serving(app: ASGIApp) -> Iterator[Api]:
    """Serve `app` on a real uvicorn on 127.0.0.1 and yield a client for it."""
    with ServerThread(app) as server:
        client = Api(server.url)
        try:
            yield client
        finally:
            client.client.close()


# `serve` answers fetch-many ahead of Starlette's middleware; with a journal, as the plugin and the
# control API run it, the request goes through the middleware. The specs hold on both lanes.
LANES = ("plain", "journalled")
TOKEN = "control-token-for-tests"
"""The control token of the `control_server` fixture."""
CONTROL = {"Authorization": f"Bearer {TOKEN}"}


def lane_app(state: MockState, lane: str) -> MockApp:
    """Return the app serving `state` on `lane`: without a journal (``plain``) or with one."""
    return create_app(state, journal=Journal() if lane == "journalled" else None)


@pytest.fixture(scope="session")
def fixture_tasks() -> tuple[dict[str, Any], ...]:
    return load_fixtures().tasks


@pytest.fixture(scope="session")
def task_ids(fixture_tasks: tuple[dict[str, Any], ...]) -> list[str]:
    return [task["task_id"] for task in fixture_tasks]


@pytest.fixture(scope="session", params=LANES)
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    with ServerThread(lane_app(MockState.from_fixtures(), request.param)) as running:
        yield running.url


@pytest.fixture(scope="session")
def bare_server() -> Iterator[str]:
    state = MockState.from_fixtures(auth_scheme=AuthScheme.BARE)
    with ServerThread(create_app(state)) as running:
        yield running.url


@pytest.fixture(scope="session")
def api(server: str) -> Iterator[Api]:
    client = Api(server)
    yield client
    client.client.close()


@pytest.fixture(scope="module")
def state() -> MockState:
    """The bundled fixtures' state, one per test module, that `mock` serves."""
    return MockState.from_fixtures()


@pytest.fixture(scope="module")
def mock(state: MockState) -> Iterator[Api]:
    """A client of a real uvicorn serving `state`, one per test module."""
    with serving(create_app(state)) as api:
        yield api
    state.store.webhooks.close()


@pytest.fixture(scope="module")
def control_server() -> Iterator[str]:
    """A mock with its control API on behind `TOKEN`, one per test module."""
    with ServerThread(create_app(MockState.from_fixtures(), control_token=TOKEN)) as server:
        yield server.url


@pytest.fixture
def ctl(control_server: str) -> Iterator[Api]:
    """A client of `control_server`, which is reset after the test."""
    client = Api(control_server)
    yield client
    client.send("POST", "/__mock__/reset", None, CONTROL)
    client.client.close()


def call(api: Api, method: str, path: str, payload: object = None) -> Any:
    """Send a control request under /__mock__ with the token, `payload` as its JSON body."""
    content = None if payload is None else json.dumps(payload).encode()
    return api.send(method, f"/__mock__{path}", content, CONTROL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium shared by the tests of one module (see tests/browser.py)."""
    with launched() as started:
        yield started


@pytest.fixture(scope="module")
def v2_state() -> MockState:
    """The state of a module's v2 mock: the bundled fixtures (a module overrides it for other settings)."""
    return MockState.from_fixtures()


@pytest.fixture(scope="module")
def v2_server(v2_state: MockState) -> Iterator[str]:
    """A mock serving `v2_state` with its control API on behind `TOKEN`, one per test module."""
    with ServerThread(create_app(v2_state, control_token=TOKEN)) as server:
        yield server.url


@pytest.fixture
def v2(v2_server: str) -> Iterator[httpx.Client]:
    """A client of `v2_server`, which is reset after the test."""
    with httpx.Client(base_url=v2_server, timeout=10) as client:
        yield client
        client.post("/__mock__/reset", headers=CONTROL)
