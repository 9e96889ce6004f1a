"""Timelines: a task moves on by polls or by seconds, and shows its result fields only when finished."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockserver import TaskStore, build_task, load_fixtures
from mockserver.edges.v1.convert import to_v1
from mockserver.edges.v1.routes import envelope
from mockserver.engine.factory import FAILURE_MESSAGE, check_task
from mockserver.engine.timeline import Advance, Timeline, check_views, split_timeline
from mockserver.errors import TaskSpecError
from mockserver.wire import encode_json

RESULT = {
    "task_id": "t-1",
    "task_type": "imagine",
    "status": "finished",
    "original_image_url": "https://cdn.example.invalid/grid.png",
    "image_urls": ["https://cdn.example.invalid/1.png"],
}
STEPS = Timeline.of(
    "pending", {"status": "processing", "percentage": "20"}, {"status": "processing", "percentage": "60"}, "finished"
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def encoded(store: TaskStore, task_id: str) -> bytes | None:
    """The task as POST /fetch answers it: a poll, in v1's shape."""
    task = store.poll(task_id)
    return encode_json(to_v1(task)) if task is not None else None


def parts(store: TaskStore, task_ids: list[str]) -> list[bytes]:
    """The tasks as POST /fetch-many answers them: a poll of each, in v1's shape."""
    return [encode_json(to_v1(task)) for task in store.poll_many(task_ids)]


def shown(store: TaskStore, task_id: str) -> dict[str, Any] | None:
    """The task as a fetch would show it now, in v1's shape, without counting a poll."""
    task = store.get(task_id)
    return to_v1(task) if task is not None else None


def statuses(store: TaskStore, task_id: str, polls: int) -> list[str]:
    seen = []
    for _ in range(polls):
        shown = json.loads(encoded(store, task_id) or b"null")
        seen.append(" ".join(str(shown[key]) for key in ("status", "percentage") if key in shown))
    return seen


def test_by_polls_each_fetch_moves_the_task_one_step() -> None:
    store = TaskStore()
    store.put(RESULT, STEPS)
    assert statuses(store, "t-1", 6) == [
        "pending",
        "processing 20",
        "processing 60",
        "finished",
        "finished",
        "finished",
    ]


def test_result_fields_appear_only_once_finished() -> None:
    store = TaskStore()
    store.put(RESULT, STEPS)
    assert json.loads(encoded(store, "t-1") or b"") == {"task_id": "t-1", "task_type": "imagine", "status": "pending"}
    for _ in range(2):
        encoded(store, "t-1")
    assert json.loads(encoded(store, "t-1") or b"") == RESULT


def test_a_step_can_last_longer_than_every() -> None:
    store = TaskStore()
    store.put(RESULT, Timeline.of({"status": "pending", "after": 3}, "finished"))
    assert statuses(store, "t-1", 4) == ["pending", "pending", "pending", "finished"]


def test_fetch_many_counts_one_poll_per_request_however_often_named() -> None:
    store = TaskStore()
    store.put(RESULT, STEPS)
    first = json.loads(envelope(parts(store, ["t-1", "t-1"])))
    second = json.loads(envelope(parts(store, ["t-1"])))
    assert [task["status"] for task in first["tasks"]] == ["pending", "pending"]
    assert second["tasks"][0]["percentage"] == "20"


def test_get_shows_the_task_without_counting_a_poll() -> None:
    store = TaskStore()
    store.put(RESULT, STEPS)
    assert shown(store, "t-1") == {"task_id": "t-1", "task_type": "imagine", "status": "pending"}
    assert statuses(store, "t-1", 1) == ["pending"]


def test_by_seconds_the_task_moves_with_the_clock() -> None:
    clock = FakeClock()
    store = TaskStore(clock=clock)
    store.put(RESULT, Timeline.of("pending", "processing", "finished", by=Advance.SECONDS, every=2))
    seen = []
    for elapsed in (0, 1.9, 2, 3.9, 4, 60):
        clock.now = 100 + elapsed
        seen.append((shown(store, "t-1") or {})["status"])
    assert seen == ["pending", "pending", "processing", "processing", "finished", "finished"]


def test_a_copy_starts_its_timelines_afresh() -> None:
    store = TaskStore()
    store.put(RESULT, STEPS)
    statuses(store, "t-1", 3)
    assert statuses(store.copy(), "t-1", 1) == ["pending"]


def test_a_timeline_ending_in_failure_shows_its_message() -> None:
    store = TaskStore()
    failing = Timeline.of("pending", {"status": "failed", "message": "Banned prompt."})
    store.put(RESULT, failing)
    statuses(store, "t-1", 1)
    assert shown(store, "t-1") == {
        "task_id": "t-1",
        "task_type": "imagine",
        "status": "failed",
        "message": "Banned prompt.",
    }


def test_the_json_form_round_trips() -> None:
    assert Timeline.from_json(STEPS.to_json()) == STEPS


def test_a_fixture_document_carries_its_timeline_apart() -> None:
    task, timeline = split_timeline({**RESULT, "timeline": {"steps": [{"status": "pending"}, {"status": "finished"}]}})
    assert task == RESULT
    assert timeline == Timeline.of("pending", "finished")
    assert split_timeline(RESULT) == (RESULT, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"steps": []}, "timeline is not valid: steps: [] should be non-empty"),
        ({"steps": [{"status": "done"}]}, "timeline is not valid: steps[0].status: 'done' is not one of"),
        ({"steps": [{"status": "pending"}], "by": "hours"}, "timeline is not valid: by: 'hours' is not one of"),
        ({"steps": [{"status": "pending"}], "every": 0}, "timeline is not valid: every: 0 is less than or equal"),
        ({"steps": [{"status": "pending"}], "speed": 2}, "timeline is not valid: (top level): Additional properties"),
    ],
)
def test_a_bad_timeline_names_the_field(value: object, message: str) -> None:
    with pytest.raises(TaskSpecError) as caught:
        Timeline.from_json(value)
    assert str(caught.value).startswith(message)


def test_every_step_must_show_a_valid_task() -> None:
    with pytest.raises(TaskSpecError) as caught:
        check_views(RESULT, Timeline.of("pending", {"status": "processing", "percentage": "40.5"}, "finished"))
    assert str(caught.value) == (
        "timeline step 1 (processing) would show an invalid task: percentage: '40.5' does not match "
        "'^(100|[1-9]?[0-9])$'"
    )
    with pytest.raises(TaskSpecError, match=r"step 1 \(finished\) would show an invalid task: .*'original_image_url'"):
        check_views({"task_id": "x", "task_type": "imagine", "status": "finished"}, Timeline.of("pending", "finished"))


def shown_after_one_poll(task: dict[str, Any], timeline: Timeline) -> object:
    check_views(task, timeline)
    store = TaskStore()
    store.put(task, timeline)
    statuses(store, str(task["task_id"]), 1)
    return shown(store, str(task["task_id"]))


def test_a_failed_step_without_a_message_takes_the_tasks() -> None:
    failed = {"task_id": "t-2", "task_type": "imagine", "status": "failed", "message": "Banned prompt."}
    assert shown_after_one_poll(failed, Timeline.of("pending", "failed")) == failed


def test_a_fixture_whose_failed_step_has_no_message_loads_with_the_tasks(tmp_path: Path) -> None:
    failed = {"task_id": "t-3", "task_type": "seed", "status": "failed", "message": "Banned prompt."}
    document = {**failed, "timeline": {"steps": [{"status": "pending"}, {"status": "failed"}]}}
    (tmp_path / "t-3.json").write_text(json.dumps(document))
    assert load_fixtures(tmp_path).timelines["t-3"].view(failed, {"status": "failed"}) == failed


def test_a_failed_step_of_a_task_without_a_message_takes_the_one_add_task_gives() -> None:
    finished = build_task("imagine", task_id="t-4")
    assert shown_after_one_poll(finished, Timeline.of("pending", "failed")) == {
        "task_id": "t-4",
        "task_type": "imagine",
        "status": "failed",
        "message": FAILURE_MESSAGE,
    }


def test_a_step_that_truly_cannot_be_shown_names_the_missing_field() -> None:
    failed = build_task("imagine", "failed", task_id="t-5")
    with pytest.raises(TaskSpecError) as caught:
        check_views(failed, Timeline.of("pending", "finished"))
    assert str(caught.value) == (
        "timeline step 1 (finished) would show an invalid task: "
        "(top level): 'original_image_url' is a required property"
    )


def test_a_failed_task_without_a_reason_is_told_which_fields_would_give_one() -> None:
    with pytest.raises(TaskSpecError) as caught:
        check_task({"task_id": "t-6", "task_type": "seed", "status": "failed"}, "add_task('seed', 'failed')")
    assert str(caught.value) == (
        "add_task('seed', 'failed') would store an invalid task: (top level): one of 'message', 'error' is required"
    )
