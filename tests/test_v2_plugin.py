"""The pytest plugin serves v2 too: its key in v2's form, jobs added by hand, moved on, and their webhooks."""

from __future__ import annotations

import copy
import hashlib
import hmac
from typing import Any

import httpx
import pytest

from mockserver import ApiframeMock, TaskSpecError
from mockserver.edges.v2.convert import seconds_of
from mockserver.engine.timeline import Timeline


def test_the_plugin_gives_the_key_in_v2s_form(apiframe_mock: ApiframeMock) -> None:
    assert apiframe_mock.v2_key == "afk_" + apiframe_mock.api_key
    me = httpx.get(f"{apiframe_mock.url}/v2/me", headers={"X-API-Key": apiframe_mock.v2_key})
    assert me.status_code == 200


def test_an_added_job_is_served_as_a_job(apiframe_mock: ApiframeMock) -> None:
    job = apiframe_mock.add_job(model="suno", status="COMPLETED")
    url, key = f"{apiframe_mock.url}/v2/jobs/{job['id']}", {"X-API-Key": apiframe_mock.v2_key}
    assert [httpx.get(url, headers=key).json() for _ in range(2)] == [job, job]
    assert (job["model"], job["status"], sorted(job["result"])) == ("suno", "COMPLETED", ["tracks"])


def test_mutating_a_returned_job_or_the_input_given_changes_nothing_served(apiframe_mock: ApiframeMock) -> None:
    asked = {"model": "midjourney", "prompt": "a lighthouse"}
    job = apiframe_mock.add_job(model="midjourney", status="COMPLETED", input=asked)
    added = copy.deepcopy(job)
    asked["prompt"] = "changed by the test"
    job["input"]["prompt"] = "changed in the answer"
    job["result"]["images"].append("https://cdn.example.invalid/late.png")
    served = httpx.get(f"{apiframe_mock.url}/v2/jobs/{job['id']}", headers={"X-API-Key": apiframe_mock.v2_key})
    assert served.json() == added
    assert (added["input"]["prompt"], len(added["result"]["images"])) == ("a lighthouse", 4)


@pytest.mark.parametrize(
    ("model", "fields", "shown"),
    [
        ("suno", {"status": "PROCESSING", "progress": 30}, ("PROCESSING", 30, None)),
        ("kling-2.6", {"status": "PROCESSING", "progress": 60}, ("PROCESSING", 60, None)),
        ("flux-1.1-pro", {"status": "FAILED", "error": "no ink"}, ("FAILED", None, "no ink")),
        ("flux-1.1-pro", {"status": "QUEUED"}, ("QUEUED", 0, None)),
    ],
)
def test_an_added_job_shows_the_progress_or_error_given(
    apiframe_mock: ApiframeMock, model: str, fields: dict[str, Any], shown: tuple[str, int | None, str | None]
) -> None:
    job = apiframe_mock.add_job(model=model, **fields)
    assert (job["status"], job["progress"], job["error"]) == shown


def test_a_job_on_a_clock_is_completed_when_its_last_step_began(apiframe_mock: ApiframeMock) -> None:
    job = apiframe_mock.add_job(timeline=Timeline.of("pending", "finished", by="seconds", every=1000))
    apiframe_mock.advance(job["id"], to="end")
    done = httpx.get(f"{apiframe_mock.url}/v2/jobs/{job['id']}", headers={"X-API-Key": apiframe_mock.v2_key}).json()
    assert seconds_of(done["completedAt"]) == pytest.approx(seconds_of(done["createdAt"]) + 1000)


def test_an_added_job_on_a_timeline_moves_as_it_is_polled_and_by_advance(apiframe_mock: ApiframeMock) -> None:
    job = apiframe_mock.add_job(model="kling-2.6", timeline=["pending", "processing", "finished"])
    url, key = f"{apiframe_mock.url}/v2/jobs/{job['id']}", {"X-API-Key": apiframe_mock.v2_key}
    assert job["status"] == "QUEUED"
    assert httpx.get(url, headers=key).json()["status"] == "QUEUED"
    apiframe_mock.advance(job["id"], to="end")
    assert httpx.get(url, headers=key).json()["result"] == {
        "videoUrl": f"https://cdn.apiframe-mock.invalid/{job['id']}/video.mp4"
    }


def test_a_job_the_plugin_cannot_build_names_what_is_allowed(apiframe_mock: ApiframeMock) -> None:
    with pytest.raises(TaskSpecError, match=r"unknown status 'DONE': use one of QUEUED, PROCESSING, COMPLETED, FAILED"):
        apiframe_mock.add_job(status="DONE")
    with pytest.raises(TaskSpecError, match=r"unknown model 'flux-9': use one of "):
        apiframe_mock.add_job(model="flux-9")


def test_received_webhooks_carry_a_signature_of_the_v2_key(apiframe_mock: ApiframeMock) -> None:
    body = {"model": "flux-1.1-pro", "prompt": "a lighthouse", "webhookUrl": apiframe_mock.webhook_url}
    key = {"X-API-Key": apiframe_mock.v2_key}
    job_id = httpx.post(f"{apiframe_mock.url}/v2/images/generate", json=body, headers=key).json()["jobId"]
    apiframe_mock.advance(job_id, to="end")
    (webhook,) = apiframe_mock.received_webhooks
    signing = hashlib.sha256(apiframe_mock.v2_key.encode()).digest()
    expected = "sha256=" + hmac.new(signing, webhook.body, hashlib.sha256).hexdigest()
    assert (webhook.headers["x-webhook-event"], webhook.headers["x-webhook-signature"]) == ("completed", expected)
    assert (webhook.signed_with(apiframe_mock.v2_key), webhook.signed_with("afk_other")) == (True, False)


def test_a_whole_percentage_written_as_a_float_is_that_number_in_v2_and_v1(apiframe_mock: ApiframeMock) -> None:
    task = apiframe_mock.add_task("flux", "processing", percentage=50.0, model="flux-1.1-pro")
    job = httpx.get(f"{apiframe_mock.url}/v2/jobs/{task['task_id']}", headers={"X-API-Key": apiframe_mock.v2_key})
    assert (job.status_code, job.json()["status"], job.json()["progress"]) == (200, "PROCESSING", 50), job.text
    fetched = httpx.post(
        f"{apiframe_mock.url}/fetch",
        json={"task_id": task["task_id"]},
        headers={"Authorization": apiframe_mock.api_key},
    )
    # v1 shows the number as the schema has it, a whole number: 50, not 50.0.
    assert (fetched.status_code, fetched.json()["percentage"], '"percentage":50.0' in fetched.text) == (200, 50, False)


def test_a_percentage_with_a_fraction_is_refused_naming_the_field_and_what_is_allowed(
    apiframe_mock: ApiframeMock,
) -> None:
    # v2's progress is an integer: a fraction is neither rounded nor shown as null, but refused at once.
    with pytest.raises(TaskSpecError, match=r"percentage: 50\.5 is not allowed; Progress as a whole number 0-100"):
        apiframe_mock.add_task("flux", "processing", percentage=50.5)
