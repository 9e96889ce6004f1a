"""Official clients against tasks that progress and a service that stumbles."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from apiframe import Apiframe

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app
from mockserver.engine.faults import FaultPlan
from mockserver.engine.timeline import Timeline

RESULT = {
    "task_id": "life-1",
    "task_type": "imagine",
    "status": "finished",
    "original_image_url": "https://cdn.example.invalid/grid.png",
    "image_urls": [f"https://cdn.example.invalid/{n}.png" for n in range(1, 5)],
}
PROGRESS = Timeline.of(
    "pending",
    {"status": "processing", "percentage": "20"},
    {"status": "processing", "percentage": "60"},
    "finished",
)


@pytest.fixture(scope="module")
def lifecycle() -> Iterator[tuple[str, MockState]]:
    state = MockState.from_fixtures()
    with ServerThread(create_app(state)) as server:
        yield server.url, state


def test_sdk_wait_for_completes_as_the_task_progresses(lifecycle: tuple[str, MockState]) -> None:
    url, state = lifecycle
    state.store.tasks.put(RESULT, PROGRESS)
    progress: list[int] = []
    started = time.perf_counter()
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=url) as client:
        done = client.tasks.wait_for("life-1", on_progress=progress.append, interval=0, timeout=30)
    assert progress == [20, 60]
    assert done["status"] == "completed"
    assert done["image_urls"] == RESULT["image_urls"]
    # Driven by polls, the wait involves no sleeping: a generous bound, not a speed target.
    assert time.perf_counter() - started < 5


def test_sdk_wait_for_raises_when_the_task_fails(lifecycle: tuple[str, MockState]) -> None:
    url, state = lifecycle
    failing = Timeline.of(
        "pending", {"status": "processing", "percentage": "30"}, {"status": "failed", "message": "Banned prompt."}
    )
    state.store.tasks.put({**RESULT, "task_id": "life-2"}, failing)
    # The SDK raises a bare Exception for a failed task.
    with (
        Apiframe(api_key=DEFAULT_API_KEY, base_url=url) as client,
        pytest.raises(Exception, match=r"^Task life-2 failed: Banned prompt\.$"),
    ):
        client.tasks.wait_for("life-2", interval=0, timeout=30)


def retry_loop(url: str, attempts: int) -> list[Any]:
    """A client's retry loop: call fetch-many, noting each outcome."""
    seen: list[Any] = []
    with httpx.Client(base_url=url, timeout=5) as client:
        for _ in range(attempts):
            try:
                response = client.post(
                    "/fetch-many", json={"task_ids": ["a", "b"]}, headers={"Authorization": DEFAULT_API_KEY}
                )
                seen.append((response.status_code, response.headers.get("retry-after")))
            except httpx.TransportError:
                seen.append("dropped")
    return seen


def test_the_same_seed_gives_a_retry_loop_the_same_fault_sequence(lifecycle: tuple[str, MockState]) -> None:
    url, state = lifecycle
    plan = {
        "seed": 2024,
        "faults": [
            {"kind": "error", "probability": 0.2},
            {"kind": "rate_limit", "probability": 0.2, "retry_after": 2},
            {"kind": "drop", "probability": 0.1},
            {"kind": "latency", "min_ms": 0, "max_ms": 5},
        ],
    }
    runs = []
    for _ in range(2):
        state.store.faults = FaultPlan.from_json(plan)
        runs.append(retry_loop(url, 40))
    state.store.faults = FaultPlan()
    assert runs[0] == runs[1]
    assert {"dropped", (500, None), (429, "2"), (200, None)} <= set(runs[0])
