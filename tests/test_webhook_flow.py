"""Webhooks of submitted tasks: every step to the submitter's URL, in order, with its secret, never slowing the API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver import MockState, bundled_schemas, create_app
from mockserver.edges.v1 import load_endpoints
from mockserver.engine.lifecycle import Submissions
from mockserver.engine.webhooks import WebhookDispatcher

from .conftest import Api, serving
from .submitting import PROMPT
from .webhook_receivers import RECEIVER_PATH, Receiver, hanging, receiving

TOKEN = "webhook-token"
CONTROL = {"Authorization": f"Bearer {TOKEN}"}
TASK = bundled_schemas().validator("task.json")
SECRET = "s3cret-hook"


@pytest.fixture
def state() -> MockState:
    state = MockState.from_fixtures()
    # Short waits, so a retried delivery is seen within the test's patience.
    state.store.webhooks = WebhookDispatcher(timeout_s=0.5, backoff_s=0.05)
    return state


@pytest.fixture
def mock(state: MockState) -> Iterator[Api]:
    with serving(create_app(state, control_token=TOKEN)) as api:
        yield api
    state.store.webhooks.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving((500, 500)) as running:
        yield running


def submit(api: Api, url: str, **fields: Any) -> str:
    answer = api.post("/imagine", {"prompt": PROMPT, "webhook_url": url, "webhook_secret": SECRET, **fields})
    assert answer.status == 200, answer.body
    task_id: str = answer.body["task_id"]
    return task_id


def poll_to_the_end(api: Api, task_id: str) -> None:
    while api.post("/fetch", {"task_id": task_id}).body["status"] not in ("finished", "failed"):
        pass


def test_every_step_reaches_the_receiver_in_order_with_the_secret(
    mock: Api, state: MockState, receiver: Receiver
) -> None:
    task_id = submit(mock, receiver.url + RECEIVER_PATH)
    poll_to_the_end(mock, task_id)
    assert state.store.webhooks.wait_idle(5)
    received = receiver.inbox.received()
    assert [(hook.json["status"], hook.json.get("percentage")) for hook in received] == [
        ("pending", None),
        ("processing", "25"),
        ("processing", "50"),
        ("processing", "75"),
        ("finished", None),
    ]
    for hook in received:
        assert hook.headers["x-webhook-secret"] == SECRET
        assert hook.headers["content-type"] == "application/json"
        assert "authorization" not in hook.headers
        assert TASK.is_valid(hook.json)
        assert hook.json["task_id"] == task_id
    assert received[-1].json == mock.post("/fetch", {"task_id": task_id}).body


def test_by_seconds_the_steps_go_out_without_anyone_polling(mock: Api, state: MockState, receiver: Receiver) -> None:
    state.store.submissions = Submissions.from_json({"by": "seconds", "every": 0.1}, load_endpoints())
    submit(mock, receiver.url + RECEIVER_PATH)
    assert receiver.inbox.wait_for(5, 5)
    assert [hook.json["status"] for hook in receiver.inbox.received()] == ["pending"] + ["processing"] * 3 + [
        "finished"
    ]


def test_a_receiver_that_fails_twice_gets_the_delivery_on_the_third_attempt(
    mock: Api, state: MockState, receiver: Receiver
) -> None:
    submit(mock, receiver.url + "/flaky")
    assert state.store.webhooks.wait_idle(5)
    first = [(delivery.attempt, delivery.status) for delivery in state.store.webhooks.deliveries()][:3]
    assert first == [(1, 500), (2, 500), (3, 200)]
    assert [hook.json["status"] for hook in receiver.inbox.received()] == ["pending", "pending", "pending"]


def test_a_failed_task_sends_its_failure(mock: Api, state: MockState, receiver: Receiver) -> None:
    task_id = submit(mock, receiver.url + RECEIVER_PATH, prompt="[mock:fail: out of GPUs]")
    poll_to_the_end(mock, task_id)
    assert state.store.webhooks.wait_idle(5)
    assert receiver.inbox.received()[-1].json == {
        "task_id": task_id,
        "task_type": "imagine",
        "status": "failed",
        "message": "out of GPUs",
    }


def test_moving_a_task_by_hand_sends_each_step_it_passes(mock: Api, state: MockState, receiver: Receiver) -> None:
    task_id = submit(mock, receiver.url + RECEIVER_PATH)
    answer = mock.send("POST", f"/__mock__/tasks/{task_id}/advance", b'{"to": "end"}', CONTROL)
    assert answer.body["task"]["status"] == "finished"
    assert state.store.webhooks.wait_idle(5)
    assert len(receiver.inbox.received()) == 5


def test_the_control_api_lists_every_attempt_with_the_secret_redacted(
    mock: Api, state: MockState, receiver: Receiver
) -> None:
    task_id = submit(mock, receiver.url + RECEIVER_PATH)
    assert state.store.webhooks.wait_idle(5)
    listed = mock.send("GET", "/__mock__/webhooks", None, CONTROL).body
    assert (listed["dropped"], listed["pending"], len(listed["deliveries"])) == (0, 0, 1)
    delivery = listed["deliveries"][0]
    assert (delivery["task_id"], delivery["url"], delivery["attempt"], delivery["status"]) == (
        task_id,
        receiver.url + RECEIVER_PATH,
        1,
        200,
    )
    assert delivery["headers"]["x-webhook-secret"] == "<redacted>"
    assert SECRET not in json.dumps(listed)
    assert mock.send("DELETE", "/__mock__/webhooks", None, CONTROL).body["deliveries"] == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://example.com/hook",
            'webhook_url "http://example.com/hook" names host example.com, which the mock does not call: it calls '
            "loopback hosts only (127.0.0.0/8, ::1, localhost); allow it with serve --webhook-allow example.com, "
            "or --webhook-allow any",
        ),
    ],
)
def test_a_refused_target_is_400_naming_the_flag(mock: Api, state: MockState, url: str, message: str) -> None:
    before = len(state.store.tasks)
    answer = mock.post("/imagine", {"prompt": PROMPT, "webhook_url": url})
    assert (answer.status, answer.body) == (400, {"errors": [{"msg": message}]})
    assert len(state.store.tasks) == before


def test_a_secret_that_cannot_be_a_header_is_400(mock: Api) -> None:
    answer = mock.post("/imagine", {"prompt": PROMPT, "webhook_url": "http://127.0.0.1:9/x", "webhook_secret": "a\nb"})
    assert answer.body == {
        "errors": [
            {
                "msg": "webhook_secret holds a line break or NUL: it goes back as the x-webhook-secret header, "
                "which cannot carry one; send a secret without them."
            }
        ]
    }


def test_a_hanging_receiver_never_delays_the_api(mock: Api, state: MockState, fixture_tasks: Any) -> None:
    ids = [task["task_id"] for task in fixture_tasks[:20]]
    with hanging() as url:
        for _ in range(5):
            submit(mock, url)
        answers: list[float] = []

        def poll() -> None:
            for _ in range(50):
                started = time.monotonic()
                assert mock.post("/fetch-many", {"task_ids": ids}).status == 200
                answers.append(time.monotonic() - started)

        poller = threading.Thread(target=poll)
        poller.start()
        poller.join(30)
        # Every attempt waits out its timeout while the API answers on.
        assert len(answers) == 50
        assert max(answers) < 0.4
        assert state.store.webhooks.pending() > 0
        assert state.store.webhooks.wait_idle(10)
    assert {delivery.error for delivery in state.store.webhooks.deliveries()} == {"timed out after 0.5 s"}
