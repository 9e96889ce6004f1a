"""The control API under /__mock__/: tasks, reset, faults, submissions, webhooks, the journal and health."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..auth import AuthScheme, KeyCheck
from ..dashboard import build_page_routes, build_view_routes
from ..edges.v1 import load_endpoints
from ..engine.faults import FaultPlan
from ..engine.journal import RecordedRequest
from ..engine.lifecycle import Submissions
from ..engine.store import ADVANCE_TO
from ..engine.timeline import TIMELINE_KEY, check_views, split_timeline
from ..errors import ApiframeMockError, BadRequest, Conflict, NotFound, TaskSpecError, Unauthorized, already_exists
from ..http.bodies import parse_object, read_body
from ..http.deadlines import Deadlines
from ..prefixes import CONTROL_PREFIX
from ..schemas import bundled_schemas, first_error
from ..state import MockState
from ..wire import JSON_MEDIA_TYPE, JSONObject, encode_json, quote_id

_TASK_RULE = "send a task object (task_id, task_type, status and its fields), optionally with a timeline"
_FAULTS_RULE = 'send {"seed": <integer>, "faults": [<fault>, ...]} as schemas/mock/faults.json describes'
_SUBMISSIONS_RULE = (
    'send {"by": "polls" or "seconds", "every": <number>, ...} as schemas/mock/submissions.json describes'
)
_ADVANCE_RULE = 'send nothing, {"to": "next"} or {"to": "end"}'
Setting = TypeVar("Setting")


def _json(value: object, status: int = 200) -> Response:
    return Response(encode_json(value), status, media_type=JSON_MEDIA_TYPE)


def _entry(seq: int, request: RecordedRequest) -> JSONObject:
    body = request.json
    return {
        "seq": seq,
        "method": request.method,
        "path": request.path,
        "status": request.status,
        "at": request.at,
        "headers": dict(request.headers.items()),
        "json": body,
        "body": None if body is not None else request.body.decode("utf-8", "replace"),
    }


def _last(request: Request) -> int | None:
    raw = request.query_params.get("last")
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadRequest(f"last is {quote_id(raw[:40])}: give a whole number of the newest entries to list.")
    return int(raw)


def build_control_routes(state: MockState, token: str, deadlines: Deadlines) -> list[Route]:
    """Return the /__mock__/ routes driving `state`, each refusing callers without `token`."""
    keys = KeyCheck(token, AuthScheme.BEARER_TOO)
    task_check = bundled_schemas().validator("task.json")

    def authorise(request: Request) -> None:
        if not keys.accepts(request.headers.get("authorization")):
            raise Unauthorized()

    def known(request: Request) -> str:
        task_id = request.path_params["task_id"]
        if state.store.get(task_id) is None:
            raise NotFound(f"No task has task_id {quote_id(task_id)}: list them with GET {CONTROL_PREFIX}/tasks.")
        return str(task_id)

    async def store(document: JSONObject) -> JSONObject:
        try:
            task, timeline = split_timeline(document)
            if timeline is not None:
                check_views(task, timeline)
        except ApiframeMockError as exc:
            raise BadRequest(f"{exc}; {_TASK_RULE}.") from None
        problem = first_error(task_check, task)
        if problem is not None:
            raise BadRequest(f"Not a valid task: {problem}; {_TASK_RULE}.")
        await state.backend.put_task(task, timeline)
        return await described(task["task_id"])

    async def described(task_id: str) -> JSONObject:
        timeline = state.store.timeline(task_id)
        shown = {"task": await state.backend.current(task_id)}
        return {**shown, TIMELINE_KEY: timeline.to_json()} if timeline is not None else shown

    async def read_object(request: Request, rule: str) -> JSONObject:
        return parse_object(await read_body(request, state.body_timeout_s, deadlines), rule, finite=True)

    async def body_of(request: Request) -> JSONObject:
        return await read_object(request, _TASK_RULE)

    async def setting(request: Request, rule: str, build: Callable[[JSONObject], Setting]) -> Setting:
        document = parse_object(await read_body(request, state.body_timeout_s, deadlines), rule, finite=True)
        try:
            return build(document)
        except ApiframeMockError as exc:
            raise BadRequest(f"{exc}; {rule}.") from None

    async def health(request: Request) -> Response:
        authorise(request)
        return _json({"status": "ok", "tasks": len(state.store)})

    async def list_tasks(request: Request) -> Response:
        authorise(request)
        return _json({"tasks": await state.backend.tasks_now()})

    async def create_task(request: Request) -> Response:
        authorise(request)
        document = await body_of(request)
        task_id = document.get("task_id")
        if isinstance(task_id, str) and state.store.get(task_id) is not None:
            raise already_exists(task_id)
        return _json(await store(document), 201)

    async def read_task(request: Request) -> Response:
        authorise(request)
        return _json(await described(known(request)))

    async def update_task(request: Request) -> Response:
        authorise(request)
        task_id = known(request)
        changes = await body_of(request)
        if changes.get("task_id", task_id) != task_id:
            raise BadRequest("task_id cannot change: create a new task instead.")
        # A field set to null is removed, so a task can lose, say, its percentage when it finishes.
        timeline = state.store.timeline(task_id)
        merged: JSONObject = {**(state.store.stored(task_id) or {})}
        if timeline is not None:
            merged[TIMELINE_KEY] = timeline.to_json()
        merged.update(changes)
        return _json(await store({key: value for key, value in merged.items() if value is not None}))

    async def delete_task(request: Request) -> Response:
        authorise(request)
        task_id = known(request)
        await state.backend.remove_task(task_id)
        return _json({"deleted": task_id})

    async def advance(request: Request) -> Response:
        authorise(request)
        task_id = known(request)
        raw = await read_body(request, state.body_timeout_s, deadlines)
        to = parse_object(raw, _ADVANCE_RULE).get("to") if raw.strip() else "next"
        if to not in ADVANCE_TO:
            raise BadRequest(f"to is {encode_json(to).decode()[:100]}: {_ADVANCE_RULE}.")
        try:
            await state.backend.advance_task(task_id, to_end=to == "end")
        except TaskSpecError as exc:
            raise Conflict(f"{exc}; see it with GET {CONTROL_PREFIX}/tasks/{task_id}.") from None
        return _json(await described(task_id))

    async def reset(request: Request) -> Response:
        authorise(request)
        await state.backend.reset()
        return _json({"status": "reset", "tasks": len(state.store)})

    async def faults(request: Request) -> Response:
        authorise(request)
        if request.method == "PUT":
            await state.backend.set_faults(await setting(request, _FAULTS_RULE, FaultPlan.from_json))
        elif request.method == "DELETE":
            await state.backend.set_faults(FaultPlan())
        return _json(await state.backend.faults_now())

    async def submissions(request: Request) -> Response:
        authorise(request)
        if request.method == "PUT":
            # What the body leaves out keeps its value; the endpoints are replaced as a whole.
            pace = state.submissions.pace
            await state.backend.set_submissions(
                await setting(
                    request, _SUBMISSIONS_RULE, lambda document: Submissions.from_json(document, load_endpoints(), pace)
                )
            )
        return _json(state.submissions.to_json())

    async def webhooks(request: Request) -> Response:
        authorise(request)
        if request.method == "DELETE":
            await state.backend.clear_deliveries()
        deliveries, dropped, pending = await state.backend.deliveries()
        shown = [delivery.to_json() for delivery in deliveries]
        return _json({"deliveries": shown, "dropped": dropped, "pending": pending})

    async def journal_route(request: Request) -> Response:
        authorise(request)
        last = _last(request)
        if request.method == "DELETE":
            await state.backend.clear_requests()
        page = await state.backend.requests(last)
        # An entry's seq counts every request recorded since the journal was last emptied, so it stays
        # the same while older ones are dropped and a page polling for the newest can tell them apart.
        listed = [_entry(seq, entry) for seq, entry in enumerate(page.entries, start=page.first)]
        return _json({"requests": listed, "dropped": page.dropped})

    prefix = CONTROL_PREFIX
    # The dashboard's routes come first: its POST .../status must not be taken for a task's own path.
    return [
        *build_page_routes(),
        *build_view_routes(state, authorise, read_object, known),
        Route(f"{prefix}/health", health, methods=["GET"]),
        Route(f"{prefix}/tasks", list_tasks, methods=["GET"]),
        Route(f"{prefix}/tasks", create_task, methods=["POST"]),
        # Before the routes of a task itself, whose {task_id:path} would take the /advance too.
        Route(f"{prefix}/tasks/{{task_id:path}}/advance", advance, methods=["POST"]),
        Route(f"{prefix}/tasks/{{task_id:path}}", read_task, methods=["GET"]),
        Route(f"{prefix}/tasks/{{task_id:path}}", update_task, methods=["PATCH"]),
        Route(f"{prefix}/tasks/{{task_id:path}}", delete_task, methods=["DELETE"]),
        Route(f"{prefix}/reset", reset, methods=["POST"]),
        Route(f"{prefix}/faults", faults, methods=["GET", "PUT", "DELETE"]),
        Route(f"{prefix}/journal", journal_route, methods=["GET", "DELETE"]),
        Route(f"{prefix}/submissions", submissions, methods=["GET", "PUT"]),
        Route(f"{prefix}/webhooks", webhooks, methods=["GET", "DELETE"]),
    ]
