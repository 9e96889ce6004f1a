"""A v2 job across reads: each later sighting is where the job was or further on (V2-JOB-FORWARD).

A job is seen in a 200 of GET /v2/jobs/{id} and in each page of GET /v2/jobs. A sighting that breaks
the Job schema is V2-JOB-SCHEMA's to report: it is neither judged nor kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .exchange import Exchange
from .oracle_v2 import job_errors, path_only, step_problem

Job = dict[str, Any]


def jobs_read(exchange: Exchange) -> list[Job]:
    """Return the jobs a 200 of GET /v2/jobs/{id} or GET /v2/jobs shows, each with a string `id`."""
    answer = exchange.answer
    if answer is None or answer.status != 200 or exchange.request.method != "GET" or not answer.is_json:
        return []
    path = path_only(exchange.request.path)
    body = answer.body
    if path == "/v2/jobs":
        found = body.get("jobs") if isinstance(body, dict) else None
    else:
        found = [body] if path.startswith("/v2/jobs/") else None
    return [job for job in found or () if isinstance(job, dict) and isinstance(job.get("id"), str)]


@dataclass(slots=True)
class JobHistory:
    """The latest valid sighting of each job, by id, to hold every later sighting to."""

    latest: dict[str, Job] = field(default_factory=dict)

    def check(self, exchange: Exchange) -> str | None:
        """Record every job `exchange` shows; say how the first that moved back did, or None."""
        found = None
        for job in jobs_read(exchange):
            if job_errors(job):
                continue
            before = self.latest.pop(job["id"], None)
            self.latest[job["id"]] = job  # last in the dict: the job seen longest ago is first
            problem = step_problem(before, job) if before is not None else None
            # The jobs after the first that moved back are recorded too: each later sighting is held to them.
            if problem is not None and found is None:
                found = f"job {job['id']!r}: {problem}"
        return found
