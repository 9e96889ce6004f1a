"""v2's webhooks: the events asked for, the vendor's bodies, and a signature the vendor's SDK accepts."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .v2 import KEY, V2_KEY
from .webhook_receivers import RECEIVER_PATH, Receiver, receiving

FLUX = {"model": "flux-1.1-pro", "prompt": "a lighthouse"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as running:
        yield running


def run_job(v2: httpx.Client, body: dict[str, Any]) -> str:
    """Create a job and poll it to its end; return its id."""
    job_id: str = v2.post("/v2/images/generate", json=body, headers=KEY).json()["jobId"]
    while v2.get(f"/v2/jobs/{job_id}", headers=KEY).json()["status"] not in ("COMPLETED", "FAILED"):
        pass
    return job_id


def test_the_events_asked_for_arrive_in_order_signed_with_the_key(v2: httpx.Client, receiver: Receiver) -> None:
    hook = {"webhookUrl": receiver.url + RECEIVER_PATH, "webhookEvents": ["progress", "completed"]}
    job_id = run_job(v2, {**FLUX, **hook})
    assert receiver.inbox.wait_for(4, 10)
    arrived = receiver.inbox.received()
    assert [(webhook.headers["x-webhook-event"], webhook.json.get("progress")) for webhook in arrived] == [
        ("progress", 25),
        ("progress", 50),
        ("progress", 75),
        ("completed", 100),
    ]
    assert arrived[0].json == {
        "event": "progress",
        "jobId": job_id,
        "status": "PROCESSING",
        "progress": 25,
        "model": "flux-1.1-pro",
    }
    done = arrived[-1].json
    assert done == {
        "event": "completed",
        "jobId": job_id,
        "status": "COMPLETED",
        "progress": 100,
        "result": {"images": [f"https://cdn.apiframe-mock.invalid/{job_id}/image.png"]},
        "model": "flux-1.1-pro",
        "creditCost": 4,
        "completedAt": done["completedAt"],
    }
    key = hashlib.sha256(V2_KEY.encode()).digest()
    for webhook in arrived:
        expected = "sha256=" + hmac.new(key, webhook.body, hashlib.sha256).hexdigest()
        assert webhook.headers["x-webhook-signature"] == expected
    assert v2.get(f"/v2/jobs/{job_id}", headers=KEY).json()["webhookStatus"] == "delivered"


def test_without_webhook_events_only_completed_and_failed_are_sent(v2: httpx.Client, receiver: Receiver) -> None:
    run_job(v2, {**FLUX, "prompt": "x [mock:fail: no ink]", "webhookUrl": receiver.url + RECEIVER_PATH})
    assert receiver.inbox.wait_for(1, 10)
    (failed,) = receiver.inbox.received()
    assert failed.headers["x-webhook-event"] == "failed"
    assert (failed.json["status"], failed.json["error"]) == ("FAILED", "no ink")


def test_a_webhook_url_the_mock_may_not_call_is_400(v2: httpx.Client) -> None:
    answer = v2.post("/v2/images/generate", json={**FLUX, "webhookUrl": "https://hooks.example.com/x"}, headers=KEY)
    assert answer.status_code == 400
    assert list(answer.json()["details"]) == ["webhookUrl"]
    assert "--webhook-allow" in answer.json()["details"]["webhookUrl"][0]
