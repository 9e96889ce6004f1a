"""The submit endpoints: the key first, then the body against its schema, then the task it acts on; a new task."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver import DEFAULT_API_KEY, MockState, build_task, bundled_schemas, create_app
from mockserver.edges.v1 import Endpoint

from .conftest import Api, serving
from .submitting import ENDPOINTS, PROMPT, valid_body

TASK = bundled_schemas().validator("task.json")
ASYNC = [endpoint for endpoint in ENDPOINTS.values() if not endpoint.sync]
SYNC = [endpoint for endpoint in ENDPOINTS.values() if endpoint.sync]


@pytest.fixture(scope="module")
def state() -> MockState:
    return MockState.from_fixtures()


@pytest.fixture(scope="module")
def mock(state: MockState) -> Iterator[Api]:
    with serving(create_app(state)) as api:
        yield api


def fetch(api: Api, task_id: str) -> dict[str, Any]:
    answer = api.post("/fetch", {"task_id": task_id})
    assert answer.status == 200
    body: dict[str, Any] = answer.body
    return body


def lifecycle(api: Api, task_id: str) -> list[dict[str, Any]]:
    """Fetch the task until it ends, returning each answer."""
    seen = [fetch(api, task_id)]
    while seen[-1]["status"] not in ("finished", "failed"):
        seen.append(fetch(api, task_id))
        assert len(seen) < 50
    return seen


def test_every_endpoint_the_clients_call_and_the_vendor_documents_is_served() -> None:
    assert sorted(ENDPOINTS) == [
        "blend",
        "describe",
        "faceswap",
        "flux-imagine",
        "ideogram-describe",
        "ideogram-imagine",
        "imagine",
        "imagine-video",
        "inpaint",
        "kling-imagine",
        "luma-imagine",
        "outpaint",
        "pan",
        "reroll",
        "runway-imagine",
        "seed",
        "shorten",
        "suno-imagine",
        "udio-imagine",
        "upscale-1x",
        "upscale-alt",
        "upscale-highres",
        "variations",
    ]
    assert [endpoint.name for endpoint in SYNC] == ["ideogram-describe", "ideogram-imagine"]


@pytest.mark.parametrize("endpoint", ASYNC, ids=lambda endpoint: endpoint.name)
def test_a_submission_answers_a_new_uuid_whose_task_moves_through_valid_steps_to_finished(
    mock: Api, state: MockState, endpoint: Endpoint
) -> None:
    answer = mock.post(endpoint.path, valid_body(endpoint, state.store.tasks))
    assert (answer.status, answer.content_type, list(answer.body)) == (200, "application/json", ["task_id"])
    task_id = answer.body["task_id"]
    assert str(uuid.UUID(task_id)) == task_id
    steps = lifecycle(mock, task_id)
    assert steps[0]["status"] == "pending"
    assert steps[-1]["status"] == "finished"
    for step in steps:
        assert TASK.is_valid(step), step
        assert (step["task_id"], step["task_type"]) == (task_id, steps[-1]["task_type"])
    assert bundled_schemas().family_of(steps[-1]["task_type"]) == endpoint.family
    made = [value for key, value in steps[-1].items() if key.endswith(("url", "urls")) and key not in endpoint.echo]
    assert all(task_id in json.dumps(value) for value in made)


@pytest.mark.parametrize("endpoint", SYNC, ids=lambda endpoint: endpoint.name)
def test_a_synchronous_endpoint_answers_the_finished_task_itself(
    mock: Api, state: MockState, endpoint: Endpoint
) -> None:
    answer = mock.post(endpoint.path, valid_body(endpoint, state.store.tasks))
    assert (answer.status, answer.body["status"], answer.body["task_type"]) == (200, "finished", endpoint.task_type)
    assert TASK.is_valid(answer.body)
    assert fetch(mock, answer.body["task_id"]) == answer.body


@pytest.mark.parametrize(
    ("path", "body", "task_type"),
    [
        ("/upscale-1x", {"index": "3"}, "upscale#3"),
        ("/upscale-1x", {"index": 2}, "upscale#2"),
        ("/variations", {"index": "strong"}, "variation-strong"),
        ("/pan", {"direction": "left"}, "pan-left"),
        ("/outpaint", {"zoom_ratio": "1.5"}, "outpaint-1.5"),
        ("/upscale-alt", {"type": "creative"}, "upscale-creative"),
        ("/upscale-highres", {"type": "4x"}, "upscale-4x"),
    ],
)
def test_the_task_type_follows_the_body(
    mock: Api, state: MockState, path: str, body: dict[str, Any], task_type: str
) -> None:
    endpoint = ENDPOINTS[path.removeprefix("/")]
    answer = mock.post(path, {**valid_body(endpoint, state.store.tasks), **body})
    assert answer.status == 200
    assert fetch(mock, answer.body["task_id"])["task_type"] == task_type


def test_describe_shows_the_image_it_was_given(mock: Api) -> None:
    image = "https://images.example.invalid/cat.png"
    task_id = mock.post("/describe", {"image_url": image}).body["task_id"]
    assert lifecycle(mock, task_id)[-1]["image_url"] == image


@pytest.mark.parametrize("key", [None, "", "wrong", f"Bearer {DEFAULT_API_KEY}x"])
@pytest.mark.parametrize("endpoint", [ENDPOINTS["imagine"], ENDPOINTS["upscale-1x"], SYNC[0]], ids=str)
def test_the_key_is_checked_before_the_body(mock: Api, state: MockState, key: str | None, endpoint: Endpoint) -> None:
    before = len(state.store.tasks)
    answer = mock.post(endpoint.path, {"not": "a valid body"}, key=key)
    assert (answer.status, answer.content_type, answer.body) == (401, "application/json", {})
    assert len(state.store.tasks) == before


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/imagine", {}, "prompt is missing: POST /imagine requires prompt."),
        ("/imagine", {"prompt": 42}, "prompt is a number: POST /imagine needs a string there."),
        ("/imagine", {"prompt": ""}, "prompt is empty: POST /imagine needs a non-empty string there."),
        (
            "/upscale-1x",
            {"parent_task_id": "x"},
            "index is missing: POST /upscale-1x requires parent_task_id, index.",
        ),
        (
            "/upscale-1x",
            {"parent_task_id": "x", "index": 5},
            'index is 5: POST /upscale-1x allows "1", "2", "3", "4", 1, 2, 3, 4.',
        ),
        (
            "/upscale-alt",
            {"parent_task_id": "x", "type": "huge"},
            'type is "huge": POST /upscale-alt allows "subtle", "creative".',
        ),
        (
            "/blend",
            {"image_urls": "https://a.invalid/1.png"},
            "image_urls is a string: POST /blend needs an array there.",
        ),
        (
            "/suno-imagine",
            {"title": "no words"},
            "prompt or lyrics is missing: POST /suno-imagine requires prompt or lyrics.",
        ),
        (
            "/ideogram-imagine",
            {"prompt": PROMPT, "aspect_ratio": "ASPECT_1_1", "resolution": "RESOLUTION_1024_1024"},
            "aspect_ratio and resolution are both given: POST /ideogram-imagine takes one of them, not both.",
        ),
        (
            "/imagine",
            {"prompt": PROMPT, "webhook_secret": 7},
            "webhook_secret is a number: POST /imagine needs a string there.",
        ),
        (
            "/imagine",
            {"prompt": f"{PROMPT} [mock:explode]"},
            "prompt holds '[mock:explode]', which the mock does not know: use [mock:fail], [mock:fail: <message>], "
            "[mock:stall], [mock:slow] or [mock:slow: <polls or seconds>].",
        ),
        (
            "/imagine",
            {"prompt": f"{PROMPT} [mock:slow: soon]"},
            "prompt holds [mock:slow: soon]: give the polls or seconds each step lasts, a number above 0 and "
            "below 1e+09 (for ever is [mock:stall]).",
        ),
    ],
)
def test_a_bad_body_is_400_naming_the_field_and_what_is_allowed(
    mock: Api, state: MockState, path: str, body: dict[str, Any], message: str
) -> None:
    before = len(state.store.tasks)
    answer = mock.post(path, body)
    assert (answer.status, answer.body) == (400, {"errors": [{"msg": message}]})
    assert len(state.store.tasks) == before


@pytest.mark.parametrize("body", [b"", b"[1]", b"{", b'{"prompt": NaN}'])
def test_a_body_that_is_no_json_object_is_400(mock: Api, body: bytes) -> None:
    answer = mock.send("POST", "/imagine", body, {"Authorization": DEFAULT_API_KEY})
    assert answer.status == 400
    assert answer.body["errors"][0]["msg"].endswith("send a JSON object with prompt.")


def test_a_parent_that_names_no_task_is_400(mock: Api) -> None:
    answer = mock.post("/upscale-1x", {"parent_task_id": "no-such-task", "index": "1"})
    assert answer.body == {
        "errors": [
            {"msg": 'parent_task_id "no-such-task" matches no task: POST /upscale-1x acts on an existing task\'s id.'}
        ]
    }


def test_seed_names_its_task_with_task_id(mock: Api) -> None:
    answer = mock.post("/seed", {"task_id": "no-such-task"})
    assert answer.body == {
        "errors": [{"msg": 'task_id "no-such-task" matches no task: POST /seed acts on an existing task\'s id.'}]
    }


def test_upscaling_an_unfinished_grid_is_400(mock: Api, state: MockState) -> None:
    grid = build_task("imagine", "processing")
    state.store.tasks.put(grid)
    answer = mock.post("/upscale-1x", {"parent_task_id": grid["task_id"], "index": "1"})
    assert answer.body == {
        "errors": [
            {
                "msg": f'parent_task_id "{grid["task_id"]}" is processing: POST /upscale-1x acts on a finished task; '
                "fetch it until it is."
            }
        ]
    }


def test_acting_on_a_task_of_the_wrong_kind_is_400(mock: Api, state: MockState) -> None:
    song = build_task("suno", "finished")
    state.store.tasks.put(song)
    answer = mock.post("/upscale-alt", {"parent_task_id": song["task_id"], "type": "subtle"})
    assert answer.status == 400
    assert answer.body["errors"][0]["msg"] == (
        f'parent_task_id "{song["task_id"]}" is a suno task: POST /upscale-alt acts on '
        "upscale#1, upscale#2, upscale#3, upscale#4 tasks."
    )


def test_an_index_past_the_grid_is_400(mock: Api, state: MockState) -> None:
    grid = build_task("imagine", "finished", image_urls=["https://cdn.example.invalid/1.png"])
    state.store.tasks.put(grid)
    answer = mock.post("/upscale-1x", {"parent_task_id": grid["task_id"], "index": 3})
    assert answer.body == {
        "errors": [{"msg": f'index 3 is out of range: task "{grid["task_id"]}" has 1 images, so index must be 1 to 1.'}]
    }


def test_several_workers_refuse_submissions_with_a_reason(state: MockState) -> None:
    crowded = MockState.from_fixtures()
    crowded.workers = 2
    with serving(create_app(crowded)) as api:
        answer = api.post("/imagine", {"prompt": PROMPT})
    assert answer.body == {
        "errors": [
            {
                "msg": "Submissions need a single worker or a shared store: this mock runs 2 worker processes, each "
                "with its own tasks, so a task submitted to one would be unknown to the others; serve it with "
                "--workers 1, or with --store redis://..."
            }
        ]
    }
