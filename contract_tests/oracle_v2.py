"""Judging v2's answers against `schemas/v2/`: each check returns what is wrong, or None, as v1's `oracle` does.

`v2_problems` judges one exchange (method, path, status, headers, body) under every v2 rule that
can be judged from it alone: the suite's ledger and the recording proxy both call it, so the
two judge v2 traffic with the same code. Rules that need several exchanges (a job followed across
polls, pages of a list) keep their memory elsewhere (`JobHistory`, the list test).
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from mockserver.edges.v2.checks import MAX_PAGE_SIZE
from mockserver.edges.v2.models import CREDIT_COST
from mockserver.schemas import bundled_schemas, describe_error

from .exchange import Answer, Exchange
from .oracle import KEY_REFUSED, Drift, content_type_problem, moved_back, server_error_problem

_SCHEMAS = bundled_schemas()
_JOB = _SCHEMAS.validator("v2/job.json")
V2_PREFIX = "/v2/"
ENDS = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
_STAGE = {"QUEUED": 0, "PROCESSING": 1, **dict.fromkeys(ENDS, 2)}
GENERATE_PATHS = ("/v2/images/generate", "/v2/videos/generate", "/v2/music/generate")
_JOB_PATH = re.compile(r"/v2/jobs/([^/?]+)")
_REQUESTS = re.compile(r"v2/requests/(images|videos|music)-[a-z-]+/(.+)\.json")
_MODALITY = {"images": "image", "videos": "video", "music": "music"}
MODALITY_OF_MODEL: dict[str, str] = {
    found.group(2): _MODALITY[found.group(1)]
    for name in _SCHEMAS.documents
    if (found := _REQUESTS.fullmatch(name)) is not None
}
"""Each model the document lists, and the modality of the routes that take it."""
MOCK_CREDIT_COST: dict[str, int] = dict(CREDIT_COST)
"""What the mock charges per modality: V2-CREDIT-COST's guess."""
LIMITS = (1, MAX_PAGE_SIZE)
"""The smallest and largest `limit` of GET /v2/jobs (the document's minimum and maximum)."""


def path_only(path: str) -> str:
    """Return `path` without its query string."""
    return path.partition("?")[0]


def schema_problem(name: str, value: object, what: str) -> str | None:
    """Say what keeps `value` from the bundled schema `name` (``v2/job.json``), naming it `what`; None if valid."""
    errors = sorted(_SCHEMAS.validator(name).iter_errors(value), key=lambda error: len(list(error.absolute_path)))
    return f"{what}: {describe_error(errors[0])}" if errors else None


def error_problem(answer: Answer, status: int) -> str | None:
    """Say what keeps `answer` from `status` with v2's error body, an object with a string `error`."""
    if answer.status != status:
        return f"expected {status}, got {answer.status}"
    return schema_problem("v2/error.json", answer.body, f"the {status} body") if answer.is_json else "not JSON"


def expect_error(exchange: Exchange, status: int, why: str) -> Answer:
    """Return the answer if it is `status` with v2's error body, else raise Drift saying `why` and what came."""
    answer = exchange.answer
    if answer is None:
        raise Drift(f"{why}: expected {status}, got no answer ({exchange.problem})", exchange)
    problem = error_problem(answer, status)
    if problem is not None:
        raise Drift(f"{why}: {problem}", exchange)
    return answer


def validation_problem(answer: Answer, field: str | None = None) -> str | None:
    """Say what keeps `answer` from a 400 `{"error", "details"}` whose details name `field`'s JSON path (if given)."""
    problem = error_problem(answer, 400)
    if problem is not None:
        return problem
    problem = schema_problem("v2/validation-error.json", answer.body, "the 400 body")
    details = answer.body.get("details")
    if problem is None and field is not None:
        if not isinstance(details, dict):
            return f"the 400 body has no `details` naming {field!r}"
        if not any(_names(path, field) for path in details):
            return f"the 400 body's `details` name {sorted(details)}, not the JSON path of {field!r}"
    return problem


def _names(path: str, field: str) -> bool:
    """Say whether the JSON path `path` (``prompt``, ``$.prompt``, ``/prompt``, ``body.prompt``) ends at `field`."""
    return re.split(r"[./\[\]$]+", path.strip("$./"))[-1] == field


def job_problem(answer: Answer, job_id: str) -> str | None:
    """Say what keeps a 200 of GET /v2/jobs/{id} from the Job schema, or from being the job asked for."""
    problem = schema_problem("v2/job.json", answer.body, "the job")
    if problem is None and not same_uuid(answer.body.get("id"), job_id):
        return f"asked for job {job_id!r}, got {answer.body.get('id')!r}"
    return problem


def same_uuid(one: object, other: str) -> bool:
    """Say whether `one` is `other`, as a UUID compares (its hex digits in any case) when both are UUIDs."""
    if one == other:
        return True
    return isinstance(one, str) and is_uuid(one) and is_uuid(other) and uuid.UUID(one) == uuid.UUID(other)


def job_errors(job: object) -> list[str]:
    """Return each way `job` breaks `schemas/v2/job.json`."""
    return [describe_error(error) for error in _JOB.iter_errors(job)]


def step_problem(before: dict[str, Any], job: dict[str, Any]) -> str | None:
    """Say how `job` went back from `before`: out of an end, to an earlier status, or with its progress falling."""
    return moved_back(before, job, _STAGE, "progress", _progress)


def _progress(value: object) -> int | None:
    return value if isinstance(value, int) else None


def order_problem(jobs: list[Any]) -> str | None:
    """Say where `jobs` (one page or several in turn) are not newest first by (createdAt, id), or show a job twice."""
    seen: set[str] = set()
    previous: tuple[str, str] | None = None
    for job in jobs:
        if not isinstance(job, dict):
            return f"a listed job is not an object: {job!r}"
        key = (str(job.get("createdAt")), str(job.get("id")))
        if key[1] in seen:
            return f"job {key[1]!r} is listed twice"
        seen.add(key[1])
        if previous is not None and _newer(key, previous):
            return f"job {key[1]!r} (created {key[0]}) is listed after the older {previous[1]!r} ({previous[0]})"
        previous = key
    return None


def _newer(job: tuple[str, str], than: tuple[str, str]) -> bool:
    """Say whether `job` (createdAt, id) comes after `than`: two forms of one instant are one time, then by id."""
    instants = instant_of(job[0]), instant_of(than[0])
    if instants[0] is None or instants[1] is None:
        return job > than  # a time that is no ISO 8601 instant is the schema's to refuse; order it as text
    return (instants[0], job[1]) > (instants[1], than[1])


def instant_of(text: str) -> datetime.datetime | None:
    """Return the instant an ISO 8601 date-time with an offset (``Z`` or ``+01:00``) names; None for anything else."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def is_uuid(text: str) -> bool:
    """Say whether `text` is a UUID as the document's `format: uuid` takes it."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def v2_problems(exchange: Exchange) -> dict[str, str]:
    """Return, by v2 rule id, how the one exchange breaks each rule judged on its own; empty when it keeps them."""
    answer = exchange.answer
    path = path_only(exchange.request.path)
    if answer is None or not path.startswith(V2_PREFIX):
        return {}
    found = {
        rule_id: problem
        for rule_id, problem in (
            ("V2-NO-5XX", server_error_problem(answer)),
            ("V2-CONTENT-TYPE", content_type_problem(answer)),
        )
        if problem is not None
    }
    method, status = exchange.request.method, answer.status
    shape = _shape_rule(method, path, status)
    if shape is not None and "V2-CONTENT-TYPE" not in found:
        rule_id, check = shape
        problem = check(answer, path)
        if problem is not None:
            found[rule_id] = problem
    if method == "GET" and path == "/v2/jobs" and status == 200 and isinstance(answer.body, dict):
        jobs = answer.body.get("jobs")
        problem = order_problem(jobs) if isinstance(jobs, list) else None
        if problem is not None:
            found["V2-LIST-PAGES"] = problem
    return found


def v2_rules_judged(exchange: Exchange) -> tuple[str, ...]:
    """Return the v2 rules `v2_problems` judges the one exchange under (none for an exchange outside /v2/)."""
    answer = exchange.answer
    path = path_only(exchange.request.path)
    if answer is None or not path.startswith(V2_PREFIX):
        return ()
    shape = _shape_rule(exchange.request.method, path, answer.status)
    listed = exchange.request.method == "GET" and path == "/v2/jobs" and answer.status == 200
    extra = (*((shape[0],) if shape is not None else ()), *(("V2-LIST-PAGES",) if listed else ()))
    return ("V2-NO-5XX", "V2-CONTENT-TYPE", *extra)


def _shape_rule(method: str, path: str, status: int) -> tuple[str, Any] | None:
    """Return the rule that holds the shape of a `status` answer to `method` `path`, and its check; None if none."""
    job = _JOB_PATH.fullmatch(path)
    if status == 401 and path != "/v2/models":
        return "V2-AUTH-401", lambda answer, _: error_problem(answer, 401)
    if method == "GET" and path == "/v2/me" and status == 200:
        return "V2-ME", lambda answer, _: schema_problem("v2/me.json", answer.body, "the 200 body")
    if method == "GET" and path == "/v2/models":
        return "V2-MODELS-PUBLIC", _models_problem
    if method == "POST" and path in GENERATE_PATHS and status == 400:
        return "V2-INVALID-BODY", lambda answer, _: validation_problem(answer)
    if method == "POST" and path in GENERATE_PATHS and status == 202:
        return "V2-SUBMIT-OK", lambda answer, _: schema_problem("v2/job-accepted.json", answer.body, "the 202 body")
    if method == "GET" and job is not None:
        return _job_rule(status, is_uuid(job.group(1)))
    if method == "GET" and path == "/v2/jobs" and status in (200, 400):
        return "V2-LIST-LIMIT", _list_problem
    return None


def _job_rule(status: int, uuid_asked: bool) -> tuple[str, Any] | None:
    if not uuid_asked and status in (200, 404):
        return "V2-JOB-ID", lambda answer, _: error_problem(answer, 400)
    if status == 200:
        return "V2-JOB-SCHEMA", lambda answer, path: job_problem(answer, path.rsplit("/", 1)[1])
    if status in (400, 404):
        return ("V2-JOB-ID" if status == 400 else "V2-JOB-UNKNOWN"), lambda answer, _: error_problem(answer, status)
    return None


def _models_problem(answer: Answer, path: str) -> str | None:
    if answer.status in KEY_REFUSED:
        return f"the public catalog answered {answer.status}"
    if answer.status != 200:
        return None  # a 400 for a bad `modality`, a 429: not this rule's to judge
    return schema_problem("v2/model-catalog.json", answer.body, "the catalog")


def _list_problem(answer: Answer, path: str) -> str | None:
    if answer.status == 400:
        return error_problem(answer, 400)
    return schema_problem("v2/job-list.json", answer.body, "the page")
