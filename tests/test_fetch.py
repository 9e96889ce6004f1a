"""POST /fetch: one task from the same store; an unknown id gets the documented 400 shape."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api


def test_a_known_id_returns_the_task_unwrapped(api: Api, fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    answer = api.post("/fetch", {"task_id": fixture_tasks[5]["task_id"]})
    assert (answer.status, answer.content_type, answer.body) == (200, "application/json", fixture_tasks[5])


def test_an_unknown_id_is_a_400_naming_it(api: Api) -> None:
    answer = api.post("/fetch", {"task_id": "no-such-task"})
    assert (answer.status, answer.content_type) == (400, "application/json")
    assert answer.body == {
        "errors": [{"msg": 'task_id "no-such-task" matches no task: it must be the id of an existing task.'}]
    }


def test_a_long_unknown_id_is_shortened_in_the_message(api: Api) -> None:
    answer = api.post("/fetch", {"task_id": "x" * 5000})
    assert answer.status == 400
    assert answer.body["errors"][0]["msg"].startswith('task_id "' + "x" * 100 + '..." matches no task')


def test_a_lone_surrogate_id_is_answered_in_json(api: Api) -> None:
    answer = api.send("POST", "/fetch", b'{"task_id": "\\ud800"}', {"Authorization": "apiframe-mock-key"})
    assert answer.status == 400
    assert answer.body == {
        "errors": [{"msg": 'task_id "\\ud800" matches no task: it must be the id of an existing task.'}]
    }


def test_an_unknown_id_outside_ascii_is_quoted_as_sent(api: Api) -> None:
    answer = api.post("/fetch", {"task_id": "tâche-日本"})
    assert answer.body == {
        "errors": [{"msg": 'task_id "tâche-日本" matches no task: it must be the id of an existing task.'}]
    }


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, "task_id is missing: task_id must be a task id string."),
        ({"task_id": 7}, "task_id is a number: task_id must be a task id string."),
        ({"task_id": ["a"]}, "task_id is an array: task_id must be a task id string."),
        ([], "The request body is an array: it must be a JSON object; task_id must be a task id string."),
    ],
)
def test_a_malformed_body_is_a_400(api: Api, payload: object, expected: str) -> None:
    answer = api.post("/fetch", payload)
    assert (answer.status, answer.body) == (400, {"errors": [{"msg": expected}]})
