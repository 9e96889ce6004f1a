"""v2 on Redis: two workers serve one set of jobs, one ledger of credits and idempotency keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .test_shared_store import control, mocks, redis_url  # noqa: F401 - the module's Redis, shared
from .v2 import KEY

FLUX = {"model": "flux-1.1-pro", "prompt": "a lighthouse"}


@pytest.fixture
def pair(redis_url: str) -> Iterator[list[str]]:  # noqa: F811 - the fixture imported above
    """Two mock processes on one Redis namespace."""
    stack, urls = mocks(redis_url, 2)
    with stack:
        yield urls


def create(url: str, body: dict[str, Any] = FLUX, key: str | None = None) -> httpx.Response:
    headers = {**KEY, **({"Idempotency-Key": key} if key is not None else {})}
    return httpx.post(f"{url}/v2/images/generate", json=body, headers=headers, timeout=10)


def test_a_job_created_on_one_process_moves_as_the_other_polls_it_and_pages_in_order(pair: list[str]) -> None:
    first, second = pair
    made = [create(pair[number % 2]).json()["jobId"] for number in range(4)]
    statuses: list[str] = []
    while not statuses or statuses[-1] != "COMPLETED":
        statuses.append(httpx.get(f"{second}/v2/jobs/{made[0]}", headers=KEY, timeout=10).json()["status"])
    assert statuses == ["QUEUED", "PROCESSING", "PROCESSING", "PROCESSING", "COMPLETED"]
    page = httpx.get(f"{first}/v2/jobs", params={"limit": 3}, headers=KEY, timeout=10).json()
    rest = httpx.get(f"{second}/v2/jobs", params={"cursor": page["nextCursor"]}, headers=KEY, timeout=10).json()
    assert [job["id"] for job in page["jobs"] + rest["jobs"]] == made[::-1]


def test_credits_and_idempotency_keys_are_one_ledger(pair: list[str]) -> None:
    first, second = pair
    job_id = create(first, key="once").json()["jobId"]
    replay = create(second, key="once")
    assert (replay.status_code, replay.json()["jobId"]) == (202, job_id)
    other = create(second, {**FLUX, "prompt": "b"}, key="once")
    assert other.status_code == 409
    me = httpx.get(f"{second}/v2/me", headers=KEY, timeout=10).json()
    assert me["team"]["credits"] == 1250 - 4
    assert control(first, "POST", "/reset").status_code == 200
    assert httpx.get(f"{second}/v2/me", headers=KEY, timeout=10).json()["team"]["credits"] == 1250
