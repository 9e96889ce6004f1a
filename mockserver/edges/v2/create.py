"""v2's job-creating POSTs: check the key, the Idempotency-Key and the body, spend the credits, queue the job.

Every job moves as a v1 task does (the same lifecycle, pace, faults and magic values): the engine
cannot tell them apart. A replayed Idempotency-Key answers the first job as it stands now.
"""

from __future__ import annotations

import hashlib
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...engine.factory import FINISHED, build_task, family_of, new_task_id
from ...engine.ledger import Claim
from ...engine.lifecycle import lifecycle
from ...engine.magic import read_magic
from ...engine.task import Task
from ...errors import BadRequest, Conflict, InvalidFields, PaymentRequired
from ...http.bodies import parse_object, read_body
from ...http.deadlines import Deadlines
from ...http.replies import json_response
from ...schemas import bundled_schemas
from ...state import MockState
from ...wire import JSONObject, encode_json
from .account import spend_credits
from .actions import find_parent
from .auth import KEY_HEADER
from .checks import INVALID, check_request
from .convert import job_status
from .hooks import hook_of
from .models import ACTION_PARENTS, JobRoute, Variant, job_routes

IDEMPOTENCY_HEADER = "idempotency-key"
MAX_IDEMPOTENCY_KEY = 255
"""The longest Idempotency-Key v2 takes (vendor document)."""
_RULE = "send a JSON object with the model (or action) and its fields"


class Stamps:
    """Creation times in seconds since the epoch, to the millisecond, each later than the last this process gave."""

    def __init__(self) -> None:
        self._last = 0.0

    def next(self) -> float:
        """Return a time after every one given before, so that jobs made in one millisecond keep their order."""
        now = round(time.time() * 1000) / 1000
        self._last = max(now, round(self._last * 1000 + 1) / 1000)
        return self._last


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        raise InvalidFields(
            INVALID, {"Idempotency-Key": [f"Must be at most {MAX_IDEMPOTENCY_KEY} characters, not {len(key)}"]}
        )
    return key


def _fingerprint(route: JobRoute, body: JSONObject) -> str:
    return hashlib.sha256(route.path.encode() + b" " + encode_json(body)).hexdigest()


async def _replay(state: MockState, claim: Claim, fingerprint: str) -> JSONObject:
    if claim.fingerprint != fingerprint:
        raise Conflict("Idempotency-Key was already used with a different request body: send a new key")
    record = await state.store.current(claim.task_id)
    status = job_status(record.status) if record is not None else "QUEUED"
    return {"jobId": claim.task_id, "status": status}


async def _queue(
    state: MockState, route: JobRoute, variant: Variant, body: JSONObject, model: str, job: tuple[str, float], key: str
) -> None:
    hook = hook_of(body, state, key)
    magic = read_magic(body)
    cost = variant.credit_cost
    await spend_credits(state, cost)
    task_type = variant.task_type_for(body)
    job_id, created = job
    record = Task.from_fields(
        build_task(task_type, FINISHED, task_id=job_id, model=model, input=body, credit_cost=cost, created_at=created)
    )
    failure = await state.store.failure()
    pace = state.store.submissions.pace_of(f"v2:{route.name}")
    timeline = lifecycle(family_of(task_type), pace, magic, failure)
    await state.store.put_task(record, timeline, hook, submitted=True)


def build_create_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return a POST route for every job-creating path of the schemas, over `state`."""
    schemas = bundled_schemas()
    stamps = Stamps()

    def route(job_route: JobRoute) -> Route:
        async def create(request: Request) -> Response:
            key = _idempotency_key(request)
            body = parse_object(await read_body(request, state.body_timeout_s, deadlines), _RULE, finite=True)
            variant = check_request(body, job_route, schemas)
            if state.workers_apart:
                raise BadRequest(
                    f"Jobs need one worker or a shared store: this mock runs {state.workers} worker processes, each "
                    "with its own jobs, so one created on one worker would be unknown to the next poll's; serve with "
                    "--workers 1, or with --store redis://..."
                )
            acts = job_route.path in ACTION_PARENTS
            model = await find_parent(state, job_route, body) if acts else variant.name
            job_id = new_task_id()
            fingerprint = _fingerprint(job_route, body)
            if key is not None:
                held = await state.store.ledger.claim(f"{state.keys.api_key}\0{key}", Claim(fingerprint, job_id))
                if held is not None:
                    answer = await _replay(state, held, fingerprint)
                    return json_response(answer, 202)
            try:
                sent = request.headers.get(KEY_HEADER, "").strip(" \t")
                await _queue(state, job_route, variant, body, model, (job_id, stamps.next()), sent)
            except (BadRequest, PaymentRequired):
                if key is not None:
                    await state.store.ledger.release(f"{state.keys.api_key}\0{key}")
                raise
            return json_response({"jobId": job_id, "status": "QUEUED"}, 202)

        return Route(job_route.path, create, methods=["POST"])

    return [route(job_route) for job_route in job_routes().values()]
