"""v2 jobs fetched from a server (by id, or the newest from `GET /v2/jobs` pages), and as the records the mock serves.

A job becomes a fixture as the record the mock keeps for it (`to_record` of its v2 edge): the v1 task
fields of its family, with its `model`, `input`, `credit_cost` and `created_at`. `serve --fixtures`
loads it as any task and serves it on `GET /v2/jobs/{id}` as the job it was: its `completedAt` becomes
its `createdAt`, and `webhookStatus`, `expired` are the mock's own, as for any job the mock holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mockserver.edges.v2.convert import to_record
from mockserver.edges.v2.models import models
from mockserver.schemas import bundled_schemas, first_error

from .client import Client
from .oracle_v2 import LIMITS, job_errors
from .report import write_json
from .retrieval import RetrievalError
from .snapshot import INVALID_SUFFIX, Snapshot, Written, fake_id, fake_url, file_name

Job = dict[str, Any]


@dataclass(slots=True)
class RetrievedJobs:
    """The jobs a server returned, in the order asked (or listed), and the ids it did not return."""

    jobs: list[Job] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def fetch_jobs(client: Client, ids: Sequence[str], pages: int) -> RetrievedJobs:
    """Read the jobs with `ids` one by one, or, without ids, the newest `pages` pages of GET /v2/jobs."""
    retrieved = RetrievedJobs()
    for job_id in dict.fromkeys(ids):
        exchange = client.get(f"/v2/jobs/{job_id}")
        answer = exchange.answer
        if answer is not None and answer.status in (400, 404):
            retrieved.missing.append(job_id)  # no UUID, or no job of the caller's: missing, not a failure
        elif answer is None or answer.status != 200 or not isinstance(answer.body, dict):
            raise RetrievalError(f"expected 200 with a job\n{exchange.explain()}")
        else:
            retrieved.jobs.append(answer.body)
    path = page_path(LIMITS[1])
    for _ in range(pages if not ids else 0):
        exchange = client.get(path)
        answer = exchange.answer
        if answer is None or answer.status != 200 or not isinstance(answer.body, dict):
            raise RetrievalError(f"expected 200 with a page of jobs\n{exchange.explain()}")
        retrieved.jobs += [job for job in answer.body.get("jobs") or () if isinstance(job, dict)]
        cursor = answer.body.get("nextCursor")
        if not answer.body.get("hasMore") or not isinstance(cursor, str):
            break
        path = page_path(LIMITS[1], cursor)
    return retrieved


def page_path(limit: int, cursor: str | None = None) -> str:
    """Return the path of a page of GET /v2/jobs: `limit` jobs, after `cursor` if given."""
    # The cursor is opaque: a base64 one's + / = must reach the server as they came.
    return f"/v2/jobs?{urlencode({'limit': limit} if cursor is None else {'limit': limit, 'cursor': cursor})}"


def job_record(job: Job) -> tuple[Job | None, str | None]:
    """Return the fields of the record the mock would serve `job` from; or None and why the schemas refuse it."""
    problems = job_errors(job)
    if problems:
        return None, f"not a valid job: {problems[0]}"
    variant = models().get(str(job["model"]))
    if variant is None:
        return None, f"model {job['model']!r} is not one of the document's: the mock cannot serve it"
    record = to_record(job, variant.task_type_for(job.get("input") or {})).fields()
    problem = first_error(bundled_schemas().validator("task.json"), record)
    return (None, f"its record is not a valid task: {problem}") if problem is not None else (record, None)


def anonymised_job(value: Any, key: str = "") -> Any:
    """Return `value` (a job) with its ids and URLs replaced by fakes derived from them, the same for the same."""
    if isinstance(value, dict):
        return {name: anonymised_job(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [anonymised_job(item, key) for item in value]
    if not isinstance(value, str):
        return value
    if value.lower().startswith(("http://", "https://")):
        return fake_url(value)
    return fake_id(value) if key == "id" or key.endswith(("Id", "_id")) else value


def take_job_snapshot(client: Client, ids: Sequence[str], pages: int, out: Path, anonymise: bool = False) -> Snapshot:
    """Read the jobs (by `ids`, else `pages` pages of the list) and write each to `out` as the record it is served from.

    A job the schemas refuse (as a v2 Job, or its record as a task) is written as it came, with the
    ``.invalid`` suffix the fixture loader passes over.
    """
    retrieved = fetch_jobs(client, ids, pages)
    out.mkdir(parents=True, exist_ok=True)
    snapshot = Snapshot(missing=retrieved.missing, requests=client.sent)
    for job in retrieved.jobs:
        kept = anonymised_job(job) if anonymise else job
        record, problem = job_record(kept)
        named = {"task_type": kept.get("model"), "status": str(kept.get("status")).lower(), "task_id": kept.get("id")}
        path = out / (file_name(named) + ("" if problem is None else INVALID_SUFFIX))
        write_json(path, record if record is not None else kept)
        snapshot.written.append(Written(path, str(kept.get("id")), problem))
    return snapshot
