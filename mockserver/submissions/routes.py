"""The submit endpoints as routes: check the key, then the body, then create the task and start its lifecycle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..auth import KeyCheck
from ..bodies import parse_object, read_body
from ..deadlines import Deadlines
from ..errors import BadRequest, Unauthorized
from ..factory import FINISHED, build_task, new_task_id
from ..faults import FaultPlan
from ..schemas import bundled_schemas
from ..store import TaskStore
from ..webhooks import TargetPolicy, WebhookDispatcher
from ..wire import JSON_MEDIA_TYPE, JSONObject, encode_json
from .checks import check_body, find_parent
from .endpoints import Endpoint
from .hooks import hook_of, sender, wake_at_steps
from .lifecycle import Submissions, lifecycle
from .magic import read_magic


class SubmitState(Protocol):
    """What the submit endpoints need of the mock's state."""

    keys: KeyCheck
    store: TaskStore
    faults: FaultPlan
    body_timeout_s: float
    submissions: Submissions
    webhooks: WebhookDispatcher
    webhook_targets: TargetPolicy
    workers: int


def _one_worker(workers: int) -> BadRequest:
    return BadRequest(
        f"Submissions need a single worker: this mock runs {workers} worker processes, each with its own tasks, "
        "so a task submitted to one would be unknown to the others; serve it with --workers 1."
    )


def submit(state: SubmitState, endpoint: Endpoint, body: JSONObject) -> JSONObject:
    """Create and store the task a valid `body` submitted to `endpoint` asks for; return the answer's body."""
    schemas = bundled_schemas()
    check_body(body, endpoint, schemas)
    find_parent(body, endpoint, state.store)
    hook = hook_of(body, state.webhook_targets)
    magic = read_magic(body)
    task_id = new_task_id()
    final = build_task(endpoint.task_type_for(body), FINISHED, task_id=task_id, **endpoint.echoed(body))
    if endpoint.sync:
        state.store.put(final, submitted=True)
        if hook is not None:
            sender(hook, task_id, state.webhooks)(final)
        return final
    failure = state.faults.failure() if state.faults else None
    timeline = lifecycle(endpoint.family, state.submissions.pace_of(endpoint.name), magic, failure)
    listener = sender(hook, task_id, state.webhooks) if hook is not None else None
    state.store.put(final, timeline, listener, submitted=True)
    if listener is not None:
        listener(timeline.view(final, timeline.steps[0]))
        wake_at_steps(timeline, lambda: state.store.refresh(task_id))
    return {"task_id": task_id}


def build_submission_routes(state: SubmitState, deadlines: Deadlines, endpoints: Iterable[Endpoint]) -> list[Route]:
    """Return a POST route for each of `endpoints`, creating tasks in `state`."""

    def route(endpoint: Endpoint) -> Route:
        rule = f"send a JSON object with {endpoint.requires}"

        async def answer(request: Request) -> Response:
            if not state.keys.accepts(request.headers.get("authorization")):
                raise Unauthorized()
            body = parse_object(await read_body(request, state.body_timeout_s, deadlines), rule, finite=True)
            if state.workers > 1:
                raise _one_worker(state.workers)
            return Response(encode_json(submit(state, endpoint, body)), media_type=JSON_MEDIA_TYPE)

        return Route(endpoint.path, answer, methods=["POST"])

    return [route(endpoint) for endpoint in endpoints]
