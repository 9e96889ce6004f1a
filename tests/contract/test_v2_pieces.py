"""v2's oracle on its own: a job's id compares as a UUID does, and createdAt as the instant it names."""

from __future__ import annotations

import json

from contract_tests.exchange import Answer
from contract_tests.oracle_v2 import job_problem, order_problem

from .standin_v2 import StandInV2

JOB_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"


def a_job(job_id: str, created: str) -> dict[str, object]:
    """Return a job of the v2 stand-in (valid against the schema) with `job_id`, created at `created`."""
    job = next(iter(StandInV2().jobs.values()))
    return {**job, "id": job_id, "createdAt": created, "completedAt": created if job["completedAt"] else None}


def read(job: dict[str, object]) -> Answer:
    """Return the 200 of GET /v2/jobs/{id} that answers `job`."""
    return Answer(200, (("Content-Type", "application/json"),), json.dumps(job).encode())


def test_a_job_asked_for_by_its_uuid_in_upper_case_is_the_job_asked_for() -> None:
    """Given GET /v2/jobs/<UUID in upper case> answered with the id in lower case, then no problem; another id is."""
    job = a_job(JOB_ID, "2026-01-01T10:00:00.000Z")
    assert job_problem(read(job), JOB_ID.upper()) is None
    other = "00000000-0000-4000-8000-000000000000"
    assert job_problem(read(job), other) == f"asked for job {other!r}, got {JOB_ID!r}"


def test_two_forms_of_one_instant_are_one_time_in_the_order_of_a_list() -> None:
    """Given createdAt written as Z or as an offset, with or without milliseconds, then the order is the instants'."""
    newer, older = "b0000000-0000-4000-8000-000000000000", "a0000000-0000-4000-8000-000000000000"
    assert order_problem([a_job(newer, "2026-01-01T10:30:00Z"), a_job(older, "2026-01-01T11:00:00+01:00")]) is None
    assert order_problem([a_job(newer, "2026-01-01T10:00:00.000Z"), a_job(older, "2026-01-01T10:00:00Z")]) is None
    assert order_problem([a_job(older, "2026-01-01T10:00:00Z"), a_job(newer, "2026-01-01T11:30:00+01:00")]) == (
        f"job {newer!r} (created 2026-01-01T11:30:00+01:00) is listed after the older {older!r} (2026-01-01T10:00:00Z)"
    )
