"""The breadth study's submit routes (image, video, music, AI Photos), held to the same specs as the first ones.

Key first, then every required field and its type, then the task it acts on; then a task that finishes
and is read back by /fetch and /fetch-many, its steps told to its webhook.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contract_tests.submissions import body_for, missing_bodies, request_schema
from mockserver import TASK_TYPES, MockState, build_task, bundled_schemas
from mockserver.edges.v1 import Endpoint

from .conftest import Api
from .submitting import ENDPOINTS, PROMPT, fetch, lifecycle, valid_body
from .webhook_receivers import RECEIVER_PATH, Receiver, receiving

TASK = bundled_schemas().validator("task.json")
CREATED = {
    "nano-banana": "nano-banana",
    "nano-banana-pro": "nano-banana-pro",
    "ideogram-upscale": "ideogram-upscale",
    "ideogram-remix": "ideogram-remix",
    "imagine-video-extend": "imagine-video-extend",
    "luma-extend": "luma-ext",
    "kling-imagine-2-6": "kling-2.6-video",
    "kling-tryon": "kling-tryon",
    "wan-imagine": "wan-video",
    "seedance-imagine": "seedance-video",
    "suno-upload": "suno-upload",
    "suno-extend": "suno",
    "suno-lyrics": "suno-lyrics",
    "udio-generate": "udio-generate",
    "udio-extend": "udio-extend",
    "ai-photo-upload": "ai-photo-upload",
    "ai-photo-train": "ai-photo-train",
    "ai-photo-generate": "ai-photo-generate",
    "pro/imagine": "imagine",
    "pro/seed": "seed",
    "pro/zoom": "outpaint-1",
    "pro/upscale": "upscale-subtle",
    "pro/vary": "variation-strong",
    "pro/variations": "variation-1",
    "pro/pan": "pan-up",
}
"""Each new endpoint and the task_type of the task it creates."""
NEW = [ENDPOINTS[name] for name in CREATED]
ASYNC = [endpoint for endpoint in NEW if not endpoint.sync]
WITH_PARENT = [endpoint for endpoint in ENDPOINTS.values() if endpoint.parent is not None]
"""Every endpoint that acts on a task, the first ones included: the parent rules are one rule."""
SECRET = "breadth-secret"


def named(endpoint: Endpoint) -> str:
    return endpoint.name


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with receiving() as running:
        yield running


def test_every_documented_route_of_the_breadth_study_is_served() -> None:
    assert set(CREATED) <= set(ENDPOINTS)
    assert len(ENDPOINTS) == 48


def test_the_dashboard_openapi_and_the_plugin_s_strategies_know_every_new_route_and_type(mock: Api) -> None:
    # The dashboard's type list is TASK_TYPES (tests/test_dashboard_routes.py); the strategies draw from it too
    # (tests/test_strategies.py runs each type).
    assert {task_type for name, task_type in CREATED.items() if not name.startswith("pro/")} <= set(TASK_TYPES)
    paths = mock.send("GET", "/openapi.json").body["paths"]
    assert {endpoint.path for endpoint in NEW} | {"/upload", "/upload-audio"} <= set(paths)


@pytest.mark.parametrize("key", [None, "wrong"])
@pytest.mark.parametrize("endpoint", NEW, ids=named)
def test_the_key_is_checked_before_anything_else(mock: Api, state: MockState, endpoint: Endpoint, key: str) -> None:
    before = len(state.store.tasks)
    answer = mock.post(endpoint.path, {"not": "a valid body"}, key=key)
    assert (answer.status, answer.content_type, answer.body) == (401, "application/json", {})
    assert len(state.store.tasks) == before


@pytest.mark.parametrize("endpoint", NEW, ids=named)
def test_each_required_field_left_out_is_a_400_naming_it(mock: Api, state: MockState, endpoint: Endpoint) -> None:
    before = len(state.store.tasks)
    for missing, body in missing_bodies(endpoint):
        answer = mock.post(endpoint.path, body)
        assert answer.body == {
            "errors": [{"msg": f"{missing} is missing: POST {endpoint.path} requires {endpoint.requires}."}]
        }
    assert len(state.store.tasks) == before


@pytest.mark.parametrize("endpoint", NEW, ids=named)
def test_each_required_field_of_the_wrong_type_is_a_400_naming_it(mock: Api, endpoint: Endpoint) -> None:
    for name in request_schema(endpoint)["required"]:
        answer = mock.post(endpoint.path, {**body_for(endpoint), name: {"a": 1}})
        assert answer.status == 400
        message = answer.body["errors"][0]["msg"]
        assert message.startswith(f"{name} is "), message
        assert f"POST {endpoint.path} " in message, message


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/nano-banana",
            {"prompt": PROMPT, "images": []},
            "images: [] should be non-empty (POST /nano-banana).",
        ),
        (
            "/ideogram-upscale",
            {"prompt": PROMPT, "image_url": "https://a.invalid/1.png", "resemblance": 101},
            "resemblance: 101 is greater than the maximum of 100 (POST /ideogram-upscale).",
        ),
        (
            "/kling-imagine-2-6",
            {"prompt": PROMPT, "duration": 7},
            "duration is 7: POST /kling-imagine-2-6 allows 5, 10.",
        ),
        (
            "/wan-imagine",
            {"model": "wan2.6-flash", "prompt": PROMPT},
            "image_url is missing: POST /wan-imagine requires prompt, image_url when model is wan2.6-flash.",
        ),
        (
            "/seedance-imagine",
            {"model": "seedance-3"},
            'model is "seedance-3": POST /seedance-imagine allows "seedance-1.5-pro", "seedance-2", "seedance-2-fast".',
        ),
        (
            "/udio-generate",
            {"prompt": PROMPT, "lyrics_type": "spoken"},
            'lyrics_type is "spoken": POST /udio-generate allows "generate", "user", "instrumental".',
        ),
    ],
)
def test_a_documented_limit_is_a_400_saying_what_is_allowed(mock: Api, path: str, body: object, message: str) -> None:
    assert mock.post(path, body).body == {"errors": [{"msg": message}]}


@pytest.mark.parametrize("endpoint", WITH_PARENT, ids=named)
def test_a_parent_that_names_no_task_is_400(mock: Api, endpoint: Endpoint) -> None:
    assert endpoint.parent is not None
    body = {**body_for(endpoint), endpoint.parent.field: "no-such-task"}
    assert mock.post(endpoint.path, body).body == {
        "errors": [
            {
                "msg": f'{endpoint.parent.field} "no-such-task" matches no task: POST {endpoint.path} acts on an '
                "existing task's id."
            }
        ]
    }


@pytest.mark.parametrize("endpoint", WITH_PARENT, ids=named)
def test_a_parent_of_another_kind_is_400_listing_the_kinds_it_acts_on(
    mock: Api, state: MockState, endpoint: Endpoint
) -> None:
    assert endpoint.parent is not None
    other = build_task("suno-lyrics", "finished")
    state.store.tasks.put(other)
    body = {**valid_body(endpoint, state.store.tasks), endpoint.parent.field: other["task_id"]}
    assert mock.post(endpoint.path, body).body == {
        "errors": [
            {
                "msg": f'{endpoint.parent.field} "{other["task_id"]}" is a suno-lyrics task: '
                f"POST {endpoint.path} acts on {', '.join(endpoint.parent.task_types)} tasks."
            }
        ]
    }


@pytest.mark.parametrize("endpoint", WITH_PARENT, ids=named)
def test_an_unfinished_parent_is_400(mock: Api, state: MockState, endpoint: Endpoint) -> None:
    assert endpoint.parent is not None
    running = build_task(endpoint.parent.task_types[0], "processing")
    state.store.tasks.put(running)
    body = {**valid_body(endpoint, state.store.tasks), endpoint.parent.field: running["task_id"]}
    assert mock.post(endpoint.path, body).body == {
        "errors": [
            {
                "msg": f'{endpoint.parent.field} "{running["task_id"]}" is processing: POST {endpoint.path} acts on '
                "a finished task; fetch it until it is."
            }
        ]
    }


def test_suno_extend_takes_only_a_song_of_its_parent(mock: Api, state: MockState) -> None:
    song = build_task("suno", "finished")
    state.store.tasks.put(song)
    first, second = (entry["song_id"] for entry in song["songs"])
    answer = mock.post("/suno-extend", {"parent_task_id": song["task_id"], "song_id": "someone-elses"})
    assert answer.body == {
        "errors": [
            {
                "msg": f'song_id "someone-elses" is no song of task "{song["task_id"]}": its songs are "{first}", '
                f'"{second}".'
            }
        ]
    }
    assert mock.post("/suno-extend", {"parent_task_id": song["task_id"], "song_id": second}).status == 200


def test_extending_a_video_past_its_four_is_400(mock: Api, state: MockState) -> None:
    video = build_task("imagine-video", "finished", video_urls=["https://cdn.example.invalid/1.mp4"])
    state.store.tasks.put(video)
    answer = mock.post("/imagine-video-extend", {"parent_task_id": video["task_id"], "index": "2", "prompt": PROMPT})
    assert answer.body == {
        "errors": [
            {"msg": f'index 2 is out of range: task "{video["task_id"]}" has 1 videos, so index must be 1 to 1.'}
        ]
    }


@pytest.mark.parametrize("endpoint", NEW, ids=named)
def test_a_valid_submission_ends_in_a_finished_task_that_fetch_and_fetch_many_show(
    mock: Api, state: MockState, endpoint: Endpoint
) -> None:
    answer = mock.post(endpoint.path, valid_body(endpoint, state.store.tasks))
    assert answer.status == 200, answer.body
    task_id = answer.body["task_id"]
    if endpoint.sync:
        assert (answer.body["status"], answer.body["task_type"]) == ("finished", CREATED[endpoint.name])
        steps = [answer.body]
    else:
        assert list(answer.body) == ["task_id"]
        steps = lifecycle(mock, task_id)
        assert steps[0]["status"] == "pending"
    final = steps[-1]
    assert (final["status"], final["task_type"]) == ("finished", CREATED[endpoint.name])
    assert all(TASK.is_valid(step) for step in steps), steps
    assert fetch(mock, task_id) == final
    other = build_task("imagine", "finished")
    state.store.tasks.put(other)
    many = mock.post("/fetch-many", {"task_ids": [task_id, other["task_id"]]})
    assert (many.status, many.body) == (200, {"tasks": [final, other]})


def test_each_upload_s_audio_and_each_lyric_are_shown_as_submitted(mock: Api) -> None:
    audio = "https://cdn.example.invalid/voice.mp3"
    upload = mock.post("/suno-upload", {"audio_url": audio}).body
    assert (upload["audio_url"], len(upload["songs"])) == (audio, 2)
    extended = mock.post("/suno-extend", {"parent_task_id": upload["task_id"], "continue_at": 12.5})
    assert lifecycle(mock, extended.body["task_id"])[-1]["task_type"] == "suno"
    lyrics = mock.post("/suno-lyrics", {"prompt": PROMPT}).body
    assert set(lyrics) == {"task_id", "task_type", "status", "title", "lyrics"}


def test_the_ai_photos_flow_runs_upload_then_train_then_generate(mock: Api) -> None:
    upload = mock.post(
        "/ai-photo-upload",
        {"images": ["https://a.invalid/1.png"], "ethnicity": "asian", "gender": "female", "age": 30},
    )
    lifecycle(mock, upload.body["task_id"])
    training = mock.post("/ai-photo-train", {"training_images_id": upload.body["task_id"], "trigger_word": "TOKMSN"})
    assert lifecycle(mock, training.body["task_id"])[-1] == {
        "task_id": training.body["task_id"],
        "task_type": "ai-photo-train",
        "status": "finished",
    }
    photos = mock.post("/ai-photo-generate", {"training_id": training.body["task_id"], "prompt": "TOKMSN in a suit"})
    assert (photos.status, photos.body["task_type"], len(photos.body["image_urls"])) == (200, "ai-photo-generate", 4)


@pytest.mark.parametrize("endpoint", ASYNC, ids=named)
def test_every_step_of_a_new_task_reaches_its_webhook_in_order(
    mock: Api, state: MockState, receiver: Receiver, endpoint: Endpoint
) -> None:
    hook = {"webhook_url": receiver.url + RECEIVER_PATH, "webhook_secret": SECRET}
    task_id = mock.post(endpoint.path, {**valid_body(endpoint, state.store.tasks), **hook}).body["task_id"]
    steps = lifecycle(mock, task_id)
    assert state.store.webhooks.wait_idle(5)
    told = [hook.json for hook in receiver.inbox.received() if hook.json["task_id"] == task_id]
    assert told == steps
    assert [step["status"] for step in told][:: len(told) - 1] == ["pending", "finished"]
    assert all(hook.headers["x-webhook-secret"] == SECRET for hook in receiver.inbox.received())
