"""The fast validity check (jsonschema-rs) agrees with jsonschema on every schema, fixture and altered task."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver import load_fixtures
from mockserver.schemas import bundled_schemas

SCHEMAS = bundled_schemas()
TASKS = load_fixtures().tasks
TASK_KEYS = sorted({key for task in TASKS for key in task} | {"error", "percentage", "message"})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
task_types = st.sampled_from([*sorted({task["task_type"] for task in TASKS}), "upscalex", "unknown", ""])
statuses = st.sampled_from(["pending", "processing", "finished", "failed", "retry", "done", ""])


@st.composite
def mutated_tasks(draw: st.DrawFn) -> Any:
    task = dict(draw(st.sampled_from(TASKS)))
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(TASK_KEYS))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            task.pop(key, None)
        elif choice == 1:
            task[key] = draw(json_values)
        elif choice == 2:
            task["task_type"] = draw(task_types)
        else:
            task["status"] = draw(statuses)
    return task


@pytest.mark.parametrize("name", sorted(SCHEMAS.documents))
def test_every_bundled_fixture_gets_the_same_answer_from_both(name: str) -> None:
    check, validator = SCHEMAS.predicate(name), SCHEMAS.validator(name)
    instances: list[Any] = [*TASKS, {}, [], None, "x", 3]
    for instance in instances:
        assert check(instance) == validator.is_valid(instance)


@settings(max_examples=400)
@given(task=mutated_tasks())
def test_a_changed_task_gets_the_same_answer_from_both(task: Any) -> None:
    assert SCHEMAS.predicate("task.json")(task) == SCHEMAS.validator("task.json").is_valid(task)
