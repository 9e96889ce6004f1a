"""The official PyPI clients work against the mock with only the base URL changed."""

from __future__ import annotations

from typing import Any

import pytest
from apiframe import Apiframe
from apiframe.exceptions import AuthenticationError
from apiframe_python import ApiframeClient

from mockserver import DEFAULT_API_KEY


def legacy_client(url: str, key: str = DEFAULT_API_KEY) -> Any:
    client = ApiframeClient(key)
    client.base_url = url
    return client


def test_apiframe_fetch_many_fetch_and_account(server: str, fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    client = legacy_client(server)
    wanted = list(fixture_tasks[:3])
    assert client.fetch_many([task["task_id"] for task in wanted]) == {"tasks": wanted}
    assert client.fetch(wanted[0]["task_id"]) == wanted[0]
    assert client.account() == {"email": "mock-user@example.com", "credits": 1250, "plan": "pro", "total_images": 4821}


def test_apiframe_with_a_wrong_key_gets_an_empty_object(server: str) -> None:
    assert legacy_client(server, "wrong").fetch_many(["a", "b"]) == {}


def test_apiframe_sees_the_400_body(server: str) -> None:
    assert legacy_client(server).fetch_many(["only-one"]) == {
        "errors": [{"msg": "task_ids has 1 item: task_ids must be an array of 2 to 20 task id strings."}]
    }


def test_apiframe_sdk_tasks_get_many_get_and_account(server: str, fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    finished = next(task for task in fixture_tasks if task["status"] == "finished")
    running = next(task for task in fixture_tasks if task["status"] == "processing" and "percentage" in task)
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=server) as client:
        many = client.tasks.get_many([finished["task_id"], running["task_id"]])
        one = client.tasks.get(running["task_id"])
        account = client.tasks.get_account_info()
    assert [task["id"] for task in many["tasks"]] == [finished["task_id"], running["task_id"]]
    assert [task["status"] for task in many["tasks"]] == ["completed", "processing"]
    assert one["progress"] == int(running["percentage"])
    assert account["credits"] == 1250


def test_apiframe_sdk_with_a_wrong_key_raises_authentication_error(server: str) -> None:
    with Apiframe(api_key="wrong", base_url=server) as client, pytest.raises(AuthenticationError) as caught:
        client.tasks.get_many(["a", "b"])
    assert str(caught.value) == "{}"
