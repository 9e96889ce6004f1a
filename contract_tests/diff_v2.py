"""A differential run of v2: jobs read from the live server, and the same jobs read from a local mock holding them.

The live jobs (by id, or the newest page of `GET /v2/jobs`) are loaded into a mock on 127.0.0.1 as the
records it serves jobs from; each is then read there with `GET /v2/jobs/{id}` and compared, field by
field, with the live read. It sends production nothing but the ground check and those reads. A field
the mock only guesses (`creditCost`, `expired`, `completedAt`, `webhookStatus`) differing is its guess
missed; a job the schemas refuse is drift on the side that sent it; any other field differing, both
sides valid, is within the contract.
"""

from __future__ import annotations

import json
import time
from typing import Any

from mockserver.engine.fixtures import load_account

from .client import Client
from .diff import WITHIN_CONTRACT, Difference, DiffResult
from .exchange import Exchange
from .ground import check_ground
from .jobs_v2 import fetch_jobs, job_record
from .localmock import ignore, local_mock
from .oracle_v2 import job_errors
from .rules import RULES_BY_ID
from .target import Target

GUESSED_FIELDS = {
    "creditCost": "V2-CREDIT-COST",
    "expired": "V2-EXPIRED",
    "completedAt": "V2-COMPLETED-AT",
    "webhookStatus": "V2-WEBHOOK-STATUS",
}
"""The Job fields where the mock guesses, each with its rule."""
LOADED = "loading the live jobs"


def run_job_diff(target: Target, pages: int, seed: int = 0) -> DiffResult:
    """Read the jobs of `target` (its known ids, else `pages` pages), serve them from a local mock, compare reads."""
    started = time.monotonic()
    result = DiffResult(target.base_url, seed, api="v2")
    live = Client(target, ignore, api="v2")
    try:
        check_ground(live, "v2")
        retrieved = fetch_jobs(live, target.known_ids, pages)
        result.ids_missing = retrieved.missing
        records: dict[str, dict[str, Any]] = {}
        for job in retrieved.jobs:
            record, problem = job_record(job)
            if record is None:
                _add(result, "V2-JOB-SCHEMA", "live", str(job.get("id")), problem or "", "(not loaded)", LOADED)
            else:
                records[record["task_id"]] = record
        result.tasks_loaded = len(records)
        result.rules_sent = {"V2-JOB-SCHEMA", *GUESSED_FIELDS.values()} if records else set()
        jobs = {str(job.get("id")): job for job in retrieved.jobs}
        with local_mock(list(records.values()), load_account()) as mock:
            reader = Client(Target(mock.client.target.base_url, mock.state.keys.v2_key), ignore, api="v2")
            try:
                for job_id in records:
                    _compare(result, jobs[job_id], reader.get(f"/v2/jobs/{job_id}"))
            finally:
                reader.close()
    finally:
        result.finish(live, started)
    return result


def _compare(result: DiffResult, live: dict[str, Any], read: Exchange) -> None:
    """Record how the mock's read of a job differs from the live job, field by field."""
    result.cases_run += 1
    case = f"GET /v2/jobs/{live['id']}"
    mock = read.answer.body if read.answer is not None and read.answer.status == 200 else None
    if not isinstance(mock, dict):
        _add(result, "V2-JOB-SCHEMA", "mock", "(the job)", "a job", read.answer.summary() if read.answer else "", case)
        return
    live_valid, mock_valid = not job_errors(live), not job_errors(mock)
    for name in sorted({*live, *mock} - {"input"}):
        if (name not in mock and name not in live) or live.get(name) == mock.get(name):
            continue
        rule = GUESSED_FIELDS.get(name, "V2-JOB-SCHEMA")
        side = "mock" if live_valid and not mock_valid else "live" if not live_valid else ""
        side = side or ("live" if rule in GUESSED_FIELDS.values() else WITHIN_CONTRACT)
        _add(result, rule, side, name, _shown(live, name), _shown(mock, name), case)


def _shown(job: dict[str, Any], name: str) -> str:
    return json.dumps(job[name], ensure_ascii=False)[:200] if name in job else "(absent)"


def _add(result: DiffResult, rule_id: str, side: str, where: str, live: str, mock: str, case: str) -> None:
    difference = Difference(RULES_BY_ID[rule_id], side, "job", where, live, mock)
    result.add(difference, case, len(where), {"case": case})
