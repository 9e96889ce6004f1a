"""Repeated fetch-many bodies are answered from memory, never stale: every change to the store shows."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from mockserver import DEFAULT_API_KEY, MockState, TaskStore, create_app
from mockserver.engine.timeline import Timeline

from .conftest import Api, serving

TASK = {"task_id": "cache-1", "task_type": "seed", "status": "finished", "seed": "1"}
BODY = {"task_ids": ["cache-1", "cache-2"]}


@pytest.fixture
def mock() -> Iterator[tuple[Api, MockState]]:
    state = MockState.from_fixtures()
    with serving(create_app(state)) as client:
        yield client, state


def ids(api: Api) -> list[str]:
    return [task["task_id"] for task in api.post("/fetch-many", BODY).body["tasks"]]


def test_a_task_added_after_an_answer_shows_in_the_next(mock: tuple[Api, MockState]) -> None:
    api, state = mock
    assert ids(api) == []
    state.store.tasks.put(TASK)
    assert ids(api) == ["cache-1"]
    state.store.tasks.put({**TASK, "task_id": "cache-2"})
    assert ids(api) == ["cache-1", "cache-2"]


def test_a_changed_or_removed_task_shows_in_the_next_answer(mock: tuple[Api, MockState]) -> None:
    api, state = mock
    state.store.tasks.put(TASK)
    assert api.post("/fetch-many", BODY).body["tasks"][0]["seed"] == "1"
    state.store.tasks.put({**TASK, "seed": "2"})
    assert api.post("/fetch-many", BODY).body["tasks"][0]["seed"] == "2"
    state.store.tasks.remove("cache-1")
    assert ids(api) == []


def test_a_replaced_store_is_answered_from(mock: tuple[Api, MockState]) -> None:
    api, state = mock
    state.store.tasks.put(TASK)
    assert ids(api) == ["cache-1"]
    state.store.tasks = TaskStore()
    assert ids(api) == []
    state.store.tasks = TaskStore([TASK])
    assert ids(api) == ["cache-1"]


def test_a_task_on_a_timeline_moves_on_every_time(mock: tuple[Api, MockState]) -> None:
    api, state = mock
    state.store.tasks.put(TASK, Timeline.of("pending", "processing", "finished"))
    seen = [api.post("/fetch-many", BODY).body["tasks"][0]["status"] for _ in range(4)]
    assert seen == ["pending", "processing", "finished", "finished"]


def test_a_bad_body_is_refused_every_time(mock: tuple[Api, MockState]) -> None:
    api, _ = mock
    raw = json.dumps({"task_ids": ["x"]}).encode()
    answers = [api.send("POST", "/fetch-many", raw, {"Authorization": DEFAULT_API_KEY}) for _ in range(2)]
    assert [answer.status for answer in answers] == [400, 400]


def test_a_task_on_a_timeline_elsewhere_leaves_steady_answers_cached_and_right(mock: tuple[Api, MockState]) -> None:
    api, state = mock
    state.store.tasks.put(TASK)
    state.store.tasks.put({**TASK, "task_id": "moving"}, Timeline.of("pending", "processing", "finished"))
    assert ids(api) == ["cache-1"]
    state.store.tasks.put({**TASK, "seed": "3"})
    assert api.post("/fetch-many", BODY).body["tasks"][0]["seed"] == "3"
    moving = {"task_ids": ["moving", "cache-1"]}
    assert [api.post("/fetch-many", moving).body["tasks"][0]["status"] for _ in range(3)] == [
        "pending",
        "processing",
        "finished",
    ]
