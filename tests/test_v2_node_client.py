"""The official v2 Node client, unchanged but for its base URL, against the mock: what a v2 customer runs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import MockState

from .conftest import CONTROL
from .v2 import KEY, V2_KEY
from .vendor import sdk_node
from .webhook_receivers import RECEIVER_PATH, receiving

DRIVER = Path(__file__).parent / "node" / "v2_client.mjs"
FLUX = {"model": "flux-1.1-pro", "prompt": "a lighthouse"}


@pytest.fixture
def run(v2_server: str) -> Iterator[Any]:
    """Run a scenario of tests/node/v2_client.mjs against the module's mock (reset after the test)."""
    node, folder = sdk_node()

    def scenario(name: str, given: str | None = None) -> Any:
        done = subprocess.run(
            [node, str(DRIVER), str(folder), v2_server, V2_KEY, name],
            input=given,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    yield scenario
    httpx.post(f"{v2_server}/__mock__/reset", headers=CONTROL)


def test_me_shows_the_team_and_its_credits(run: Any) -> None:
    me = run("me")
    assert (me["team"]["credits"], me["apiKey"]["prefix"], me["user"]["role"]) == (1250, "afk_apif", "OWNER")


def test_every_family_generates_to_completed_through_wait_for_with_progress(run: Any) -> None:
    steps = [["QUEUED", 0], ["PROCESSING", 25], ["PROCESSING", 50], ["PROCESSING", 75], ["COMPLETED", 100]]
    assert run("generate") == {
        "image": {"accepted": "QUEUED", "progress": steps, "status": "COMPLETED", "result": ["images"]},
        "video": {"accepted": "QUEUED", "progress": steps, "status": "COMPLETED", "result": ["videoUrl"]},
        "music": {"accepted": "QUEUED", "progress": steps, "status": "COMPLETED", "result": ["tracks"]},
    }


def test_a_failed_job_rejects_wait_for_with_its_error(run: Any) -> None:
    failed = run("failed")
    assert (failed["name"], failed["message"]) == ("ApiframeError", "no ink")


def test_each_refusal_is_the_clients_typed_error(run: Any) -> None:
    errors = run("errors")
    assert (errors["unauthorised"]["name"], errors["unauthorised"]["message"]) == (
        "AuthenticationError",
        "Invalid API key",
    )
    assert (errors["invalid"]["name"], errors["invalid"]["details"]) == (
        "ValidationError",
        {"prompt": ["Must be at least 1 characters"]},
    )
    assert (errors["missing"]["name"], errors["missing"]["message"]) == ("NotFoundError", "Job not found")


def test_too_few_credits_is_insufficient_credits_error(run: Any, v2_state: MockState) -> None:
    v2_state.store.account = {**v2_state.store.account, "credits": 10}
    failed = run("credits")
    assert (failed["name"], failed["creditsRequired"], failed["creditsAvailable"]) == (
        "InsufficientCreditsError",
        40,
        10,
    )


def test_a_rate_limit_is_rate_limit_error_with_its_retry_after(run: Any, v2_server: str) -> None:
    plan = {"seed": 1, "faults": [{"kind": "rate_limit", "retry_after": 7}]}
    httpx.put(f"{v2_server}/__mock__/faults", json=plan, headers=CONTROL).raise_for_status()
    failed = run("limited")
    assert (failed["name"], failed["status"], failed["retryAfterSeconds"]) == ("RateLimitError", 429, 7)


def test_a_replayed_idempotency_key_gives_the_same_job_and_another_body_conflict_error(run: Any) -> None:
    replay = run("idempotent")
    assert replay["same"] is True
    assert (replay["other"]["name"], replay["other"]["status"]) == ("ConflictError", 409)


def test_the_job_list_pages_newest_first_to_its_end(run: Any) -> None:
    assert run("paging") == {"newestFirst": True, "pages": 3}


def test_an_upload_gives_a_url_that_serves_the_file(run: Any) -> None:
    assert run("uploads") == {"kind": "image", "contentType": "image/png", "served": 200, "same": True}


def test_a_lora_is_created_trained_listed_and_archived(run: Any) -> None:
    assert run("loras") == {
        "created": "PENDING",
        "statuses": ["PENDING", "TRAINING", "READY"],
        "listed": 1,
        "archived": "ARCHIVED",
    }


def test_a_webhook_of_the_mock_passes_the_clients_verify_webhook(run: Any, v2_server: str) -> None:
    with receiving() as receiver, httpx.Client(base_url=v2_server) as v2:
        hook = {"webhookUrl": receiver.url + RECEIVER_PATH}
        job_id = v2.post("/v2/images/generate", json={**FLUX, **hook}, headers=KEY).json()["jobId"]
        while v2.get(f"/v2/jobs/{job_id}", headers=KEY).json()["status"] != "COMPLETED":
            pass
        assert receiver.inbox.wait_for(1, 10)
        (webhook,) = receiver.inbox.received()
    given = {"body": webhook.body.decode(), "signature": webhook.headers["x-webhook-signature"]}
    assert run("verify", json.dumps(given)) == {"genuine": True, "tampered": False, "otherKey": False}
