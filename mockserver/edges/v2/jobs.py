"""GET /v2/jobs/{id} and GET /v2/jobs: a job as it stands (a poll), and the jobs newest first, a page at a time."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...engine.paging import Position, page
from ...engine.task import Task
from ...engine.timeline import Advance
from ...errors import InvalidFields, NotFound
from ...http.replies import json_response
from ...state import MockState
from ...wire import JSON_MEDIA_TYPE, JSONObject, encode_json, quote_id
from .checks import INVALID, check_paging
from .convert import STATUSES, job_status, to_job
from .hooks import has_hook, webhook_status

DEFAULT_LIMIT = 20
"""The page size of GET /v2/jobs when none is given (vendor document)."""
SCOPES = ("user", "team")
JOB_STATUSES = (*STATUSES.values(), "CANCELLED")
_BOOLEANS = {"true": True, "false": False}
_ANSWERS_REMEMBERED = 4096


def is_job(record: Task) -> bool:
    """Say whether a stored record is a job: one a v2 route created, which names its model."""
    return record.model is not None


def _ended_at(state: MockState, record: Task) -> float | None:
    # A job on a clock-driven timeline ended when its last step began; one moved by polls or by hand
    # is given the time it was created (the mock does not keep when a poll moved it).
    timeline = state.store.tasks.timeline(record.task_id)
    created = float(record.created_at or 0.0)
    if timeline is not None and timeline.by is Advance.SECONDS:
        return created + timeline.starts[-1]
    return created


async def render_jobs(state: MockState, records: list[Task], listed: bool = False) -> list[JSONObject]:
    """Return the Job JSON of each stored record as it stands now, its webhookStatus from the delivery records."""
    hooked = [has_hook(record) for record in records]
    deliveries = (await state.store.deliveries())[0] if any(hooked) else []
    return [
        to_job(
            record,
            _ended_at(state, record),
            webhook_status(deliveries, record.task_id) if hook else None,
            listed=listed,
        )
        for record, hook in zip(records, hooked, strict=True)
    ]


def _job_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidFields(INVALID, {"id": [f"Invalid uuid: {quote_id(value)} is not a job id"]}) from None


def _query(params: Mapping[str, str]) -> tuple[int, Position | None, JSONObject]:
    """Return the limit, where the page starts and the filters of a list request, or raise naming each bad one."""
    details: dict[str, list[str]] = {}
    limit, after = check_paging(params, DEFAULT_LIMIT, details)
    if params.get("status", JOB_STATUSES[0]) not in JOB_STATUSES:
        details["status"] = [f"Must be one of {', '.join(JOB_STATUSES)}"]
    if params.get("scope", SCOPES[0]) not in SCOPES:
        details["scope"] = [f"Must be one of {', '.join(SCOPES)}"]
    if params.get("include_models", "false") not in _BOOLEANS:
        details["include_models"] = ["Must be true or false"]
    search = params.get("search")
    if search is not None:
        try:
            search = str(uuid.UUID(search))
        except ValueError:
            details["search"] = ["Invalid uuid: search takes one job id"]
    if details:
        raise InvalidFields(INVALID, details)
    filters = {"status": params.get("status"), "model": params.get("model"), "search": search}
    return limit, after, filters


class JobReader:
    """GET /v2/jobs/{id}: a poll of the job; a steady job's answer kept for as long as the store is unchanged."""

    def __init__(self, state: MockState) -> None:
        self.state = state
        # Pollers ask for the same job again and again: a job off any timeline, with no webhook whose
        # status could change, answers the same bytes until the store's version moves.
        self._answers: dict[str, tuple[int, bytes]] = {}

    async def answer(self, asked: str) -> bytes:
        """Return the Job JSON of the job `asked` for, or raise 400 (not a UUID) or 404 (no such job)."""
        tasks = self.state.store.tasks
        kept = self._answers.get(asked)
        if kept is not None and kept[0] == tasks.version:
            return kept[1]
        job_id = _job_id(asked)
        version = tasks.version
        record = await self.state.store.fetch(job_id)
        if record is None or not is_job(record):
            raise NotFound("Job not found")
        (job,) = await render_jobs(self.state, [record])
        encoded = encode_json(job)
        if tasks.steady_for([job_id]) and not has_hook(record):
            if len(self._answers) >= _ANSWERS_REMEMBERED:
                self._answers.clear()
            self._answers[asked] = (version, encoded)
        return encoded


def build_job_routes(state: MockState) -> list[Route]:
    """Return GET /v2/jobs/{id} and GET /v2/jobs over `state`."""
    reader = JobReader(state)

    async def get_job(request: Request) -> Response:
        return Response(await reader.answer(request.path_params["id"]), media_type=JSON_MEDIA_TYPE)

    async def list_jobs(request: Request) -> Response:
        limit, after, filters = _query(request.query_params)
        jobs = [record for record in await state.store.tasks_now() if is_job(record)]
        chosen = [
            record
            for record in jobs
            if filters["status"] in (None, job_status(record.status))
            and filters["model"] in (None, record.model)
            and filters["search"] in (None, record.task_id)
        ]
        shown = page(chosen, limit, after)
        body: JSONObject = {
            "jobs": await render_jobs(state, shown.tasks, listed=True),
            "nextCursor": shown.next_cursor,
            "hasMore": shown.next_cursor is not None,
        }
        if request.query_params.get("include_models") == "true":
            body["models"] = sorted({str(record.model) for record in jobs})
        return json_response(body)

    return [Route("/v2/jobs/{id}", get_job, methods=["GET"]), Route("/v2/jobs", list_jobs, methods=["GET"])]
