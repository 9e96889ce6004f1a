"""The submit endpoints as routes: check the key, then the body, then create the task and start its lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...auth import KeyCheck
from ...engine.factory import FINISHED, build_task, new_task_id
from ...engine.files import Files
from ...engine.lifecycle import Submissions, lifecycle
from ...engine.magic import read_magic
from ...engine.task import Task
from ...engine.timeline import Timeline
from ...engine.webhooks import Hook, TargetPolicy
from ...errors import BadRequest
from ...http.bodies import parse_object, read_body
from ...http.deadlines import Deadlines
from ...http.forms import is_form, text_fields
from ...http.replies import json_response
from ...schemas import bundled_schemas
from ...wire import JSONObject
from .convert import to_record, to_v1
from .endpoints import Endpoint
from .hooks import hook_of
from .keys import keyed
from .submitchecks import TaskLookup, check_body, find_parent
from .uploads import UploadRoute, file_to_keep, form_route, read_parts, the_file


class TaskKeeper(TaskLookup, Protocol):
    """What the submit endpoints ask of the store: a task as it is, to keep a new one, and whether a fault fails it."""

    shared: bool
    """Whether every worker process sees the tasks any of them stores."""
    submissions: Submissions
    """How submitted tasks move on."""

    async def put_task(
        self, task: Task, timeline: Timeline | None = None, hook: Hook | None = None, submitted: bool = False
    ) -> None:
        """Store `task`, on `timeline` if given, its steps sent to `hook` if given, marked as `submitted`."""

    async def failure(self) -> str | None:
        """Return the message this submission's task fails with, if a fault says so."""


class SubmitState(Protocol):
    """What the submit endpoints need of the mock's state."""

    keys: KeyCheck
    body_timeout_s: float
    webhook_targets: TargetPolicy
    workers: int
    media: Files
    """Where a file sent as a form is kept, as the upload routes keep theirs."""

    @property
    def store(self) -> TaskKeeper:
        """Where new tasks are kept."""

    @property
    def workers_apart(self) -> bool:
        """Whether several worker processes each keep their own tasks."""


def _one_worker(workers: int) -> BadRequest:
    return BadRequest(
        f"Submissions need a single worker or a shared store: this mock runs {workers} worker processes, each "
        "with its own tasks, so a task submitted to one would be unknown to the others; serve it with --workers 1, "
        "or with --store redis://..."
    )


async def submit(
    state: SubmitState, endpoint: Endpoint, body: JSONObject, accepted: Callable[[], object] | None = None
) -> JSONObject:
    """Create and store the task a valid `body` submitted to `endpoint` asks for; return the answer's body.

    `accepted`, if given, is called once the submission is found valid, before its task is stored.
    """
    schemas = bundled_schemas()
    check_body(body, endpoint, schemas)
    await find_parent(body, endpoint, state.store)
    hook = hook_of(body, state.webhook_targets)
    magic = read_magic(body)
    if accepted is not None:
        accepted()
    task_id = new_task_id()
    final = to_record(build_task(endpoint.task_type_for(body), FINISHED, task_id=task_id, **endpoint.echoed(body)))
    if endpoint.sync:
        await state.store.put_task(final, None, hook, submitted=True)
        return to_v1(final)
    failure = await state.store.failure()
    timeline = lifecycle(endpoint.family, state.store.submissions.pace_of(endpoint.name), magic, failure)
    await state.store.put_task(final, timeline, hook, submitted=True)
    return {"task_id": task_id}


async def _form_body(
    state: SubmitState, deadlines: Deadlines, request: Request, upload: UploadRoute
) -> tuple[JSONObject, Callable[[], object]]:
    # The form's file is checked as an upload route checks it, and its URL stands in for the JSON field it
    # replaces; it is kept only once the submission is accepted, so that a refused one keeps nothing.
    parts = await read_parts(request, upload, state.body_timeout_s, deadlines)
    body: JSONObject = {name: value for name, value in text_fields(parts).items() if name != upload.field}
    body[upload.answer_key], keep = file_to_keep(state.media, request, the_file(parts, upload), upload)
    return body, keep


def build_submission_routes(state: SubmitState, deadlines: Deadlines, endpoints: Iterable[Endpoint]) -> list[Route]:
    """Return a POST route for each of `endpoints`, creating tasks in `state`."""

    def route(endpoint: Endpoint) -> Route:
        upload = None if endpoint.form is None else form_route(endpoint.path, endpoint.form)
        rule = f"send a JSON object with {endpoint.requires}"
        if upload is not None:
            rule += f", or a multipart/form-data body with one {upload.field} file"

        async def answer(request: Request) -> Response:
            keep: Callable[[], object] | None = None
            if upload is not None and is_form(request.headers.get("content-type", "")):
                body, keep = await _form_body(state, deadlines, request, upload)
            else:
                body = parse_object(await read_body(request, state.body_timeout_s, deadlines), rule, finite=True)
            if state.workers_apart:
                raise _one_worker(state.workers)
            return json_response(await submit(state, endpoint, body, keep))

        return Route(endpoint.path, answer, methods=["POST"], middleware=keyed(state))

    return [route(endpoint) for endpoint in endpoints]
