"""The exported Hypothesis strategies: every task they build holds to the schema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver import TASK_STATUSES, TASK_TYPES, TaskSpecError, bundled_schemas, tasks
from mockserver.engine.factory import result_fields
from mockserver.testing.strategies import percentages, task_ids

TASK_SCHEMA = bundled_schemas().validator("task.json")


@settings(max_examples=300)
@given(tasks())
def test_every_generated_task_is_valid(task: dict[str, Any]) -> None:
    assert TASK_SCHEMA.is_valid(task), task
    assert task["task_type"] in TASK_TYPES
    assert task["status"] in TASK_STATUSES


@settings(max_examples=10)
@given(data=st.data())
@pytest.mark.parametrize("task_type", TASK_TYPES)
def test_each_type_finished_carries_its_results(task_type: str, data: st.DataObject) -> None:
    task = data.draw(tasks(task_type, "finished"))
    assert TASK_SCHEMA.is_valid(task), task
    assert set(result_fields(task_type)) <= set(task)


@given(tasks(status="processing"))
def test_running_tasks_may_carry_either_percentage_form(task: dict[str, Any]) -> None:
    assert TASK_SCHEMA.is_valid(task), task
    assert task["status"] == "processing"


@given(tasks(status="failed"))
def test_failed_tasks_carry_a_message(task: dict[str, Any]) -> None:
    assert isinstance(task["message"], str)


@given(task_ids(), percentages())
def test_ids_and_percentages_have_the_documented_forms(task_id: str, percentage: str | int) -> None:
    assert len(task_id) in (36, 12, 13)
    assert 0 <= int(percentage) <= 100


@pytest.mark.parametrize(("task_type", "status"), [("imagin", None), (None, "done")])
def test_bad_arguments_are_named(task_type: str | None, status: str | None) -> None:
    with pytest.raises(TaskSpecError, match="unknown"):
        tasks(task_type, status)
