"""The internal record and v1's task JSON convert into each other without loss, for every fixture and task type."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver import TASK_STATUSES, TASK_TYPES, build_task, load_fixtures
from mockserver.edges.v1.convert import encoded, encoded_all, to_record, to_v1
from mockserver.engine.store import Encodings
from mockserver.engine.task import Task
from mockserver.wire import encode_json

FIXTURES = load_fixtures().tasks
BUILT = [build_task(task_type, status) for task_type in TASK_TYPES for status in TASK_STATUSES]


@pytest.mark.parametrize("task", FIXTURES, ids=lambda task: str(task["task_id"]))
def test_every_fixture_becomes_a_record_and_back_unchanged(task: dict[str, Any]) -> None:
    record = to_record(task)
    assert (record.task_id, record.task_type, record.status) == (task["task_id"], task["task_type"], task["status"])
    assert to_v1(record) == task
    assert Task.from_json(record.to_json()) == record


@pytest.mark.parametrize("task", BUILT, ids=lambda task: f"{task['task_type']}:{task['status']}")
def test_every_task_type_in_every_status_becomes_a_record_and_back_unchanged(task: dict[str, Any]) -> None:
    record = to_record(task)
    assert to_v1(record) == task
    assert Task.from_json(record.to_json()) == record


def test_the_fields_the_engine_reads_are_typed_and_the_results_kept_apart() -> None:
    task = build_task("kling-video", "finished", model="kling-v2", created_at=1.5, credit_cost=4, input={"x": 1})
    record = to_record(task)
    assert (record.percentage, record.model, record.created_at, record.credit_cost) == (100, "kling-v2", 1.5, 4)
    assert record.input == {"x": 1}
    assert dict(record.result) == {"video_url": task["video_url"]}


def test_a_field_of_another_type_than_the_engines_is_kept_as_it_came() -> None:
    task = {"task_id": "t-1", "task_type": "seed", "status": "failed", "message": "no", "model": 7, "input": [1]}
    record = to_record(task)
    assert (record.model, record.input, dict(record.result)) == (None, None, {"model": 7, "input": [1]})
    assert to_v1(record) == task


def test_a_record_is_encoded_once_while_it_stands_and_again_once_it_changes() -> None:
    kept: Encodings = {}
    record = to_record(FIXTURES[0])
    first = encoded(record, kept)
    assert first == encode_json(FIXTURES[0])
    assert encoded(record, kept) is first
    changed = record.with_fields({"status": "failed", "message": "out of ink"})
    assert encoded_all([changed, record], kept) == [encode_json(to_v1(changed)), first]
