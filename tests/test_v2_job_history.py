"""V2-JOB-FORWARD's memory: every job a page shows is remembered, the ones after a job that moved back too."""

from __future__ import annotations

import json
from typing import Any

from contract_tests.exchange import Answer, Exchange, Request
from contract_tests.lifecycle_v2 import JobHistory

A, B = "5f0c8a52-4c1e-4a7a-9a53-0c3e4d1b2a01", "5f0c8a52-4c1e-4a7a-9a53-0c3e4d1b2a02"
PROGRESS = {"QUEUED": 0, "PROCESSING": 30, "COMPLETED": 100}


def job(job_id: str, status: str) -> dict[str, Any]:
    """Return a job as the schema has it, `status` and nothing else telling it apart."""
    ended = status == "COMPLETED"
    return {
        "id": job_id,
        "status": status,
        "model": "flux-1.1-pro",
        "progress": PROGRESS[status],
        "result": {"images": ["https://cdn.invalid/a.png"]} if ended else None,
        "error": None,
        "creditCost": 4,
        "webhookStatus": None,
        "createdAt": "2026-12-03T10:00:00.000Z",
        "completedAt": "2026-12-03T10:00:00.000Z" if ended else None,
        "expired": False,
        "input": {"model": "flux-1.1-pro", "prompt": "a lighthouse"},
    }


def page(*jobs: dict[str, Any]) -> Exchange:
    """Return a read of GET /v2/jobs showing `jobs`."""
    body = json.dumps({"jobs": list(jobs), "nextCursor": None, "hasMore": False}).encode()
    answer = Answer(200, (("content-type", "application/json"),), body)
    return Exchange("http://127.0.0.1:9", Request("GET", "/v2/jobs", ()), answer)


def test_a_job_listed_after_one_that_moved_back_is_still_followed() -> None:
    """Given A moved back on a page that also shows B finished, when B is later seen processing, then that is told."""
    history = JobHistory()
    assert history.check(page(job(A, "PROCESSING"), job(B, "PROCESSING"))) is None
    assert history.check(page(job(A, "QUEUED"), job(B, "COMPLETED"))) == (
        f"job {A!r}: status went back from 'PROCESSING' to 'QUEUED'"
    )
    assert history.check(page(job(B, "PROCESSING"))) == (
        f"job {B!r}: status went from 'COMPLETED', an end, to 'PROCESSING'"
    )
