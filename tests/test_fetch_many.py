"""POST /fetch-many: 200 with the known tasks, 400 for every malformed body, JSON always."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver import DEFAULT_API_KEY, MAX_TASK_IDS, MIN_TASK_IDS

from .conftest import Api

RULE = "task_ids must be an array of 2 to 20 task id strings."


def bad_request(message: str) -> dict[str, Any]:
    return {"errors": [{"msg": message}]}


def test_known_ids_come_back_in_request_order(api: Api, fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    wanted = [fixture_tasks[3], fixture_tasks[0], fixture_tasks[7]]
    answer = api.post("/fetch-many", {"task_ids": [task["task_id"] for task in wanted]})
    assert (answer.status, answer.content_type) == (200, "application/json")
    assert answer.body == {"tasks": wanted}


@pytest.mark.parametrize("count", [MIN_TASK_IDS, MAX_TASK_IDS])
def test_the_bounds_are_accepted(api: Api, task_ids: list[str], count: int) -> None:
    answer = api.post("/fetch-many", {"task_ids": task_ids[:count]})
    assert answer.status == 200
    assert [task["task_id"] for task in answer.body["tasks"]] == task_ids[:count]


@pytest.mark.parametrize(("count", "said"), [(0, "0 items"), (1, "1 item"), (21, "21 items"), (500, "500 items")])
def test_counts_outside_the_bounds_are_refused(api: Api, count: int, said: str) -> None:
    answer = api.post("/fetch-many", {"task_ids": [f"id-{n}" for n in range(count)]})
    assert (answer.status, answer.content_type) == (400, "application/json")
    assert answer.body == bad_request(f"task_ids has {said}: {RULE}")


def test_unknown_ids_are_left_out(api: Api, task_ids: list[str]) -> None:
    answer = api.post("/fetch-many", {"task_ids": ["no-such-task", task_ids[0], "another-unknown"]})
    assert answer.status == 200
    assert [task["task_id"] for task in answer.body["tasks"]] == [task_ids[0]]


def test_only_unknown_ids_give_an_empty_list(api: Api) -> None:
    answer = api.post("/fetch-many", {"task_ids": ["nope-1", "nope-2"]})
    assert (answer.status, answer.body) == (200, {"tasks": []})


def test_a_repeated_id_is_answered_once_per_ask(api: Api, task_ids: list[str]) -> None:
    answer = api.post("/fetch-many", {"task_ids": [task_ids[0], task_ids[1], task_ids[0]]})
    assert answer.status == 200
    assert [task["task_id"] for task in answer.body["tasks"]] == [task_ids[0], task_ids[1], task_ids[0]]


def test_extra_keys_beside_task_ids_are_ignored(api: Api, task_ids: list[str]) -> None:
    answer = api.post("/fetch-many", {"task_ids": task_ids[:2], "webhook_url": 3, "extra": {"a": []}})
    assert answer.status == 200
    assert len(answer.body["tasks"]) == 2


@pytest.mark.parametrize(
    "task_id", ["", " ", "x" * 10_000, "😀 ünïcødé", "../../etc/passwd", "'; DROP TABLE tasks; --", "\u0000", "\ud800"]
)
def test_any_string_is_an_id(api: Api, task_id: str) -> None:
    answer = api.post("/fetch-many", {"task_ids": [task_id, task_id]})
    assert (answer.status, answer.body) == (200, {"tasks": []})


@pytest.mark.parametrize(
    ("item", "said"),
    [(1, "a number"), (1.5, "a number"), (None, "null"), (True, "a boolean"), ({}, "an object"), ([], "an array")],
)
def test_an_item_that_is_not_a_string_is_refused(api: Api, item: object, said: str) -> None:
    answer = api.post("/fetch-many", {"task_ids": ["a", item, "c"]})
    assert (answer.status, answer.content_type) == (400, "application/json")
    assert answer.body == bad_request(f"task_ids[1] is {said}: {RULE}")


def test_missing_task_ids_is_refused(api: Api) -> None:
    answer = api.post("/fetch-many", {"ids": ["a", "b"]})
    assert (answer.status, answer.body) == (400, bad_request(f"task_ids is missing: {RULE}"))


@pytest.mark.parametrize(
    ("value", "said"),
    [("a,b", "a string"), (2, "a number"), (None, "null"), ({"0": "a", "1": "b"}, "an object"), (False, "a boolean")],
)
def test_task_ids_that_is_not_an_array_is_refused(api: Api, value: object, said: str) -> None:
    answer = api.post("/fetch-many", {"task_ids": value})
    assert (answer.status, answer.body) == (400, bad_request(f"task_ids is {said}: {RULE}"))


@pytest.mark.parametrize(
    ("payload", "said"),
    [(["a", "b"], "an array"), ("task_ids", "a string"), (12, "a number"), (None, "null"), (True, "a boolean")],
)
def test_a_body_that_is_not_an_object_is_refused(api: Api, payload: object, said: str) -> None:
    answer = api.post("/fetch-many", payload)
    expected = f"The request body is {said}: it must be a JSON object; {RULE}"
    assert (answer.status, answer.body) == (400, bad_request(expected))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", f"The request body is empty: send a JSON object; {RULE}"),
        (b"  \n", f"The request body is empty: send a JSON object; {RULE}"),
        (
            b'{"task_ids": ["a", "b"',
            f"The request body is not valid JSON (Expecting ',' delimiter: line 1, column 23): "
            f"send a JSON object; {RULE}",
        ),
        (
            b"{task_ids: []}",
            "The request body is not valid JSON (Expecting property name enclosed in double quotes: line 1, "
            f"column 2): send a JSON object; {RULE}",
        ),
        (
            b'{"task_ids": ["a", "\xff\xfe"]}',
            f"The request body is not valid UTF-8 (byte 20): send a JSON object; {RULE}",
        ),
        (
            b'{"task_ids": [NaN, "b"]}',
            f"The request body is not usable JSON (NaN is not valid JSON): send a JSON object; {RULE}",
        ),
        (
            b'{"task_ids": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            f"The request body is not usable JSON (nested too deeply): send a JSON object; {RULE}",
        ),
    ],
    ids=["empty", "blank", "truncated", "unquoted-key", "not-utf8", "nan", "deep"],
)
def test_a_body_that_is_not_json_is_refused(api: Api, raw: bytes, expected: str) -> None:
    answer = api.send("POST", "/fetch-many", raw, {"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.content_type) == (400, "application/json")
    assert answer.body == bad_request(expected)


def test_a_body_over_the_limit_is_refused_with_413(api: Api) -> None:
    answer = api.send("POST", "/fetch-many", b" " * (1024 * 1024 + 1), {"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.content_type) == (413, "application/json")
    assert answer.body == bad_request("The request body is larger than 1048576 bytes, the most the mock accepts.")


def test_the_content_type_is_not_enforced(api: Api, task_ids: list[str]) -> None:
    raw = json.dumps({"task_ids": task_ids[:2]}).encode()
    answer = api.send("POST", "/fetch-many", raw, {"Authorization": DEFAULT_API_KEY, "Content-Type": "text/plain"})
    assert answer.status == 200
    assert len(answer.body["tasks"]) == 2
