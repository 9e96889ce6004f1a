"""v2 beside v1: keys, job creation and its checks, jobs moving as v1 tasks do, paging, idempotency, credits."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, KeyCheck, MockState

from .conftest import CONTROL
from .v2 import KEY, V2_KEY

SWITCHED_OFF = "afk_switched-off"
FLUX = {"model": "flux-1.1-pro", "prompt": "a lighthouse at dusk"}


@pytest.fixture(scope="module")
def v2_state() -> MockState:
    state = MockState.from_fixtures()
    state.keys = KeyCheck(DEFAULT_API_KEY, inactive=(SWITCHED_OFF,))
    return state


def create(v2: httpx.Client, body: dict[str, Any], path: str = "/v2/images/generate", **headers: str) -> str:
    """Create a job and return its id."""
    answer = v2.post(path, json=body, headers={**KEY, **headers})
    assert answer.status_code == 202, answer.text
    job_id: str = answer.json()["jobId"]
    return job_id


def poll_to_end(v2: httpx.Client, job_id: str) -> list[dict[str, Any]]:
    """Poll the job until it ends and return every answer."""
    seen = [v2.get(f"/v2/jobs/{job_id}", headers=KEY).json()]
    while seen[-1]["status"] not in ("COMPLETED", "FAILED"):
        seen.append(v2.get(f"/v2/jobs/{job_id}", headers=KEY).json())
    return seen


# Keys
@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        ({}, 401, "API key is required"),
        ({"X-API-Key": "afk_nobody"}, 401, "Invalid API key"),
        ({"Authorization": V2_KEY}, 401, "API key is required"),
        ({"X-API-Key": SWITCHED_OFF}, 403, "API key is inactive"),
    ],
)
def test_a_request_without_a_valid_key_is_refused_before_its_body_is_read(
    v2: httpx.Client, headers: dict[str, str], status: int, error: str
) -> None:
    for answer in (v2.get("/v2/me", headers=headers), v2.post("/v2/images/generate", content=b"{", headers=headers)):
        assert (answer.status_code, answer.json()) == (status, {"error": error})


@pytest.mark.parametrize("key", [V2_KEY, DEFAULT_API_KEY])
def test_one_key_serves_both_versions_and_v2_takes_it_with_afk_before_it(v2: httpx.Client, key: str) -> None:
    assert v2.get("/v2/me", headers={"X-API-Key": key}).status_code == 200
    assert v2.get("/account", headers={"Authorization": DEFAULT_API_KEY}).status_code == 200


def test_me_shows_the_account_and_its_credits_less_what_jobs_spent(v2: httpx.Client) -> None:
    before = v2.get("/v2/me", headers=KEY).json()
    create(v2, FLUX)
    after = v2.get("/v2/me", headers=KEY).json()
    assert before["user"]["email"] == "mock-user@example.com"
    assert before["apiKey"]["prefix"] == V2_KEY[:8]
    assert (before["team"]["credits"], after["team"]["credits"]) == (1250, 1246)


def test_the_model_catalog_is_public_and_filtered_by_modality(v2: httpx.Client) -> None:
    music = v2.get("/v2/models", params={"modality": "music"}).json()["models"]
    assert [entry["id"] for entry in music] == [
        "elevenlabs-music",
        "lyria-3-clip",
        "lyria-3-pro",
        "mureka",
        "producer",
        "suno",
        "udio",
    ]
    assert {entry["modality"] for entry in v2.get("/v2/models").json()["models"]} == {"image", "video", "music"}
    answer = v2.get("/v2/models", params={"modality": "text"})
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"modality": ["Must be one of image, video, music"]}},
    )


# Creating jobs
def test_a_generate_request_is_answered_202_with_the_queued_job(v2: httpx.Client) -> None:
    answer = v2.post("/v2/images/generate", json=FLUX, headers=KEY)
    assert answer.status_code == 202
    assert answer.json() == {"jobId": str(uuid.UUID(answer.json()["jobId"])), "status": "QUEUED"}


def test_every_wrong_field_is_named_by_its_json_path(v2: httpx.Client) -> None:
    body = {**FLUX, "fluxParams": {"width": 100, "steps": "many", "shape": "round"}, "webhookEvents": ["done"]}
    answer = v2.post("/v2/images/generate", json=body, headers=KEY)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "Invalid request body",
        "details": {
            "fluxParams.shape": [
                "Unrecognized key: allowed here are aspect_ratio, go_fast, guidance, height, image_prompt, "
                "image_prompt_strength, input_images, output_format, output_quality, prompt_upsampling, raw, "
                "resolution, seed, steps, width"
            ],
            "fluxParams.steps": ["Expected integer, received a string"],
            "fluxParams.width": ["Must be at least 256"],
            "webhookEvents.0": ['Must be one of "progress", "completed", "failed", not "done"'],
        },
    }


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"prompt": "x"}, {"model": ["Is missing: POST /v2/music/generate takes one of "]}),
        ({"model": "flux-1.1-pro", "prompt": "x"}, {"model": ['Is "flux-1.1-pro": POST /v2/music/generate takes ']}),
        ({"model": "suno"}, {"prompt": ["Required"]}),
        ({"model": "suno", "prompt": ""}, {"prompt": ["Must be at least 1 characters"]}),
    ],
)
def test_a_body_without_a_model_of_the_route_or_its_fields_is_refused(
    v2: httpx.Client, body: dict[str, Any], details: dict[str, list[str]]
) -> None:
    answer = v2.post("/v2/music/generate", json=body, headers=KEY)
    assert answer.status_code == 400
    got = answer.json()["details"]
    assert got.keys() == details.keys()
    assert all(got[path][0].startswith(start[0]) for path, start in details.items())


def test_a_body_that_is_not_a_json_object_is_refused_in_v2s_shape(v2: httpx.Client) -> None:
    answer = v2.post("/v2/images/generate", content=b"[1]", headers=KEY)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "The request body is an array: it must be a JSON object; "
        "send a JSON object with the model (or action) and its fields."
    }


# Jobs move as v1 tasks do
def test_a_job_moves_by_polls_from_queued_through_progress_to_completed(v2: httpx.Client) -> None:
    job_id = create(v2, FLUX)
    seen = poll_to_end(v2, job_id)
    assert [(job["status"], job["progress"]) for job in seen] == [
        ("QUEUED", 0),
        ("PROCESSING", 25),
        ("PROCESSING", 50),
        ("PROCESSING", 75),
        ("COMPLETED", 100),
    ]
    done = seen[-1]
    assert done == {
        "id": job_id,
        "status": "COMPLETED",
        "model": "flux-1.1-pro",
        "progress": 100,
        "result": {"images": [f"https://cdn.apiframe-mock.invalid/{job_id}/image.png"]},
        "error": None,
        "creditCost": 4,
        "webhookStatus": None,
        "createdAt": done["createdAt"],
        "completedAt": done["createdAt"],
        "expired": False,
        "input": FLUX,
    }


@pytest.mark.parametrize(
    ("path", "body", "result_keys"),
    [
        ("/v2/images/generate", {"model": "midjourney", "prompt": "x"}, ["gridUrl", "images"]),
        ("/v2/videos/generate", {"model": "kling-2.6", "prompt": "x"}, ["videoUrl"]),
        (
            "/v2/videos/generate",
            {
                "model": "midjourney-video",
                "prompt": "x",
                "midjourneyVideoParams": {"start_image": "https://a.example/i.png"},
            },
            ["videos"],
        ),
        ("/v2/music/generate", {"model": "suno", "prompt": "x"}, ["tracks"]),
    ],
)
def test_each_modality_finishes_with_its_own_result(
    v2: httpx.Client, path: str, body: dict[str, Any], result_keys: list[str]
) -> None:
    done = poll_to_end(v2, create(v2, body, path))[-1]
    assert sorted(done["result"]) == result_keys


def test_a_magic_value_fails_the_job_as_it_fails_a_v1_task(v2: httpx.Client) -> None:
    done = poll_to_end(v2, create(v2, {**FLUX, "prompt": "x [mock:fail: out of ink]"}))[-1]
    assert (done["status"], done["error"], done["result"], done["progress"]) == ("FAILED", "out of ink", None, None)


@pytest.mark.parametrize(("job_id", "status"), [("not-a-uuid", 400), (str(uuid.UUID(int=7)), 404)])
def test_a_job_id_that_is_no_uuid_is_400_and_an_unknown_one_404(v2: httpx.Client, job_id: str, status: int) -> None:
    answer = v2.get(f"/v2/jobs/{job_id}", headers=KEY)
    assert answer.status_code == status
    assert answer.json() == (
        {"error": "Invalid request body", "details": {"id": ['Invalid uuid: "not-a-uuid" is not a job id']}}
        if status == 400
        else {"error": "Job not found"}
    )


def test_a_v1_task_is_no_v2_job(v2: httpx.Client, task_ids: list[str]) -> None:
    # Fixture tasks carry no model: they stay v1's.
    v1_task = next(task_id for task_id in task_ids if _is_uuid(task_id))
    assert v2.get(f"/v2/jobs/{v1_task}", headers=KEY).status_code == 404


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def test_an_unknown_v2_path_answers_in_v2s_shape(v2: httpx.Client) -> None:
    answer = v2.get("/v2/nothing", headers=KEY)
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "No route for GET /v2/nothing: unknown path. The mock serves POST /v2/images/generate, "
        "GET /v2/jobs/{id}, GET /v2/jobs, GET /v2/me, GET /v2/models, GET /openapi.json, and v2's other job "
        "routes under /v2/images, /v2/videos and /v2/music, /v2/uploads, /v2/loras and /v2/assets."
    }


# Listing
def test_jobs_are_listed_newest_first_a_page_at_a_time_stable_while_jobs_are_added(v2: httpx.Client) -> None:
    made = [create(v2, FLUX) for _ in range(5)]
    first = v2.get("/v2/jobs", params={"limit": 2}, headers=KEY).json()
    later = create(v2, FLUX)
    second = v2.get("/v2/jobs", params={"limit": 2, "cursor": first["nextCursor"]}, headers=KEY).json()
    third = v2.get("/v2/jobs", params={"limit": 2, "cursor": second["nextCursor"]}, headers=KEY).json()
    pages = [[job["id"] for job in page["jobs"]] for page in (first, second, third)]
    assert pages == [made[:2:-1][:2], made[2:0:-1], made[:1]]
    assert [page["hasMore"] for page in (first, second, third)] == [True, True, False]
    assert third["nextCursor"] is None
    assert "input" not in first["jobs"][0]
    newest = v2.get("/v2/jobs", params={"limit": 1}, headers=KEY).json()
    assert newest["jobs"][0]["id"] == later


def test_jobs_are_filtered_by_status_model_and_id(v2: httpx.Client) -> None:
    flux = create(v2, FLUX)
    suno = create(v2, {"model": "suno", "prompt": "a song"}, "/v2/music/generate")
    poll_to_end(v2, suno)

    def ids(**params: str) -> list[str]:
        return [job["id"] for job in v2.get("/v2/jobs", params=params, headers=KEY).json()["jobs"]]

    assert ids(model="suno") == [suno]
    assert ids(status="COMPLETED") == [suno]
    assert ids(status="QUEUED") == [flux]
    assert ids(search=flux) == [flux]
    listed = v2.get("/v2/jobs", params={"include_models": "true"}, headers=KEY).json()
    assert listed["models"] == ["flux-1.1-pro", "suno"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "²"}, "limit"),
        ({"limit": "9" * 5000}, "limit"),
        ({"status": "DONE"}, "status"),
        ({"cursor": "!"}, "cursor"),
        ({"scope": "world"}, "scope"),
        ({"include_models": "yes"}, "include_models"),
        ({"search": "not-a-uuid"}, "search"),
    ],
)
def test_a_list_query_out_of_bounds_is_400_naming_the_parameter(
    v2: httpx.Client, params: dict[str, str], field: str
) -> None:
    answer = v2.get("/v2/jobs", params=params, headers=KEY)
    assert answer.status_code == 400
    assert list(answer.json()["details"]) == [field]


# Idempotency, credits, faults
def test_a_replayed_idempotency_key_answers_the_first_job_as_it_stands(v2: httpx.Client) -> None:
    job_id = create(v2, FLUX, **{"Idempotency-Key": "order-1"})
    v2.get(f"/v2/jobs/{job_id}", headers=KEY)
    again = v2.post("/v2/images/generate", json=FLUX, headers={**KEY, "Idempotency-Key": "order-1"})
    assert (again.status_code, again.json()) == (202, {"jobId": job_id, "status": "PROCESSING"})
    other = v2.post("/v2/images/generate", json={**FLUX, "prompt": "b"}, headers={**KEY, "Idempotency-Key": "order-1"})
    assert (other.status_code, other.json()) == (
        409,
        {"error": "Idempotency-Key was already used with a different request body: send a new key"},
    )
    assert len(v2.get("/v2/jobs", headers=KEY).json()["jobs"]) == 1


def test_an_idempotency_key_over_255_characters_is_400(v2: httpx.Client) -> None:
    answer = v2.post("/v2/images/generate", json=FLUX, headers={**KEY, "Idempotency-Key": "k" * 256})
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"Idempotency-Key": ["Must be at most 255 characters, not 256"]}},
    )


def test_a_job_the_credits_left_cannot_pay_for_is_402_and_its_key_stays_free(
    v2: httpx.Client, v2_state: MockState
) -> None:
    v2_state.store.account = {**v2_state.store.account, "credits": 42}
    video = {"model": "kling-2.6", "prompt": "x"}
    create(v2, video, "/v2/videos/generate")
    answer = v2.post("/v2/videos/generate", json=video, headers={**KEY, "Idempotency-Key": "k1"})
    assert (answer.status_code, answer.json()) == (
        402,
        {"error": "Insufficient credits", "creditsRequired": 40, "creditsAvailable": 2},
    )
    assert v2.get("/v2/me", headers=KEY).json()["team"]["credits"] == 2
    v2_state.store.account = {**v2_state.store.account, "credits": 1000}
    assert v2.post("/v2/videos/generate", json=video, headers={**KEY, "Idempotency-Key": "k1"}).status_code == 202


def test_an_injected_rate_limit_is_429_with_retry_after_in_v2s_shape(v2: httpx.Client) -> None:
    plan = {"seed": 1, "faults": [{"kind": "rate_limit", "route": "v2:jobs", "retry_after": 3}]}
    assert v2.put("/__mock__/faults", json=plan, headers=CONTROL).status_code == 200
    answer = v2.get(f"/v2/jobs/{uuid.UUID(int=1)}", headers=KEY)
    assert (answer.status_code, answer.headers["retry-after"]) == (429, "3")
    assert answer.json() == {"error": "Too many requests: retry after 3 seconds (injected fault)."}
    assert v2.get("/v2/me", headers=KEY).status_code == 200


# Actions
def test_an_action_on_a_finished_midjourney_grid_is_queued_and_one_it_cannot_take_is_409(v2: httpx.Client) -> None:
    grid = create(v2, {"model": "midjourney", "prompt": "x"})
    action = {"action": "upsample", "index": 2, "parentJobId": grid}
    running = v2.post("/v2/images/midjourney/action", json=action, headers=KEY)
    assert (running.status_code, running.json()) == (
        409,
        {"error": "Action upsample is not available for this job: it is QUEUED, not COMPLETED"},
    )
    poll_to_end(v2, grid)
    upsampled = create(v2, action, "/v2/images/midjourney/action")
    done = poll_to_end(v2, upsampled)[-1]
    assert (done["model"], sorted(done["result"])) == ("midjourney", ["images"])
    again = v2.post(
        "/v2/images/midjourney/action", json={**action, "action": "variation", "parentJobId": upsampled}, headers=KEY
    )
    assert (again.status_code, again.json()) == (
        409,
        {"error": "Action variation is not available for this job: it shows one image, not a grid"},
    )
    flux = create(v2, FLUX)
    poll_to_end(v2, flux)
    other = v2.post("/v2/images/midjourney/action", json={**action, "parentJobId": flux}, headers=KEY)
    assert (other.status_code, other.json()) == (
        409,
        {
            "error": "Action upsample is not available for this job: it is a flux-1.1-pro job, and "
            "POST /v2/images/midjourney/action acts on midjourney jobs"
        },
    )
    missing = v2.post(
        "/v2/images/midjourney/action", json={**action, "parentJobId": str(uuid.UUID(int=9))}, headers=KEY
    )
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": 'Parent job "00000000-0000-0000-0000-000000000009" not found'},
    )


def test_an_action_index_outside_the_grid_is_400(v2: httpx.Client) -> None:
    action = {"action": "upsample", "index": 5, "parentJobId": str(uuid.UUID(int=3))}
    answer = v2.post("/v2/images/midjourney/action", json=action, headers=KEY)
    assert (answer.status_code, answer.json()["details"]) == (400, {"index": ["Must be one of 1, 2, 3, 4, not 5"]})


def test_a_suno_action_names_a_track_of_its_parent(v2: httpx.Client) -> None:
    song = create(v2, {"model": "suno", "prompt": "a song"}, "/v2/music/generate")
    tracks = poll_to_end(v2, song)[-1]["result"]["tracks"]
    extend = {"action": "extend", "parentJobId": song, "trackId": tracks[1]["id"]}
    assert poll_to_end(v2, create(v2, extend, "/v2/music/suno/action"))[-1]["status"] == "COMPLETED"
    wrong = v2.post("/v2/music/suno/action", json={**extend, "trackId": "nope"}, headers=KEY)
    assert wrong.status_code == 409
    assert wrong.json()["error"].startswith('Action extend is not available for this job: trackId "nope" is none')


def test_the_control_api_and_the_journal_show_v2_jobs_beside_v1_tasks(v2: httpx.Client) -> None:
    job_id = create(v2, FLUX)
    listed = v2.get("/__mock__/tasks", headers=CONTROL).json()
    mine = [task for task in listed["tasks"] if task["task_id"] == job_id]
    assert [(task["model"], task["status"]) for task in mine] == [("flux-1.1-pro", "pending")]
    journal = v2.get("/__mock__/journal", headers=CONTROL).json()
    assert ("POST", "/v2/images/generate", 202) in [
        (entry["method"], entry["path"], entry["status"]) for entry in journal["requests"]
    ]


def test_jobs_on_several_workers_without_a_shared_store_are_refused(v2: httpx.Client, v2_state: MockState) -> None:
    v2_state.workers = 2
    try:
        answer = v2.post("/v2/images/generate", json=FLUX, headers=KEY)
    finally:
        v2_state.workers = 1
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("Jobs need one worker or a shared store: this mock runs 2 worker")
