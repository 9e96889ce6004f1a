"""The dashboard's own control routes: where tasks stand, the schemas' lists, adding a task and setting its status."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import BadRequest, TaskSpecError, already_exists
from ..factory import TASK_STATUSES, TASK_TYPES, build_task, move_task
from ..faults import ROUTE_NAMES, FaultKind
from ..journal import CONTROL_PREFIX
from ..state import MockState
from ..store import TaskStore, has_next_step
from ..wire import JSON_MEDIA_TYPE, JSONObject, encode_json

_ADD_RULE = 'send {"task_type": <one of GET /__mock__/choices>, "status": <one of them>, ...fields}'
_STATUS_RULE = 'send {"status": <one of GET /__mock__/choices>, ...fields}'

Authorise = Callable[[Request], None]
"""Raises Unauthorized unless the request carries the control token."""
ReadObject = Callable[[Request, str], Awaitable[JSONObject]]
"""Reads the request's body as a JSON object, or raises BadRequest ending in the rule given."""
KnownTask = Callable[[Request], str]
"""Returns the path's task_id, or raises NotFound."""


def _json(value: object, status: int = 200) -> Response:
    return Response(encode_json(value), status, media_type=JSON_MEDIA_TYPE)


def origin(task_id: str, store: TaskStore, fixture_ids: Container[str]) -> str:
    """Say where a task came from: ``submitted``, a ``fixture`` the mock started with, or ``added`` by hand."""
    if store.submitted(task_id):
        return "submitted"
    return "fixture" if task_id in fixture_ids else "added"


def _text(value: object, name: str, rule: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{name} is {encode_json(value).decode()[:60]}: {rule}.")
    return value


def build_view_routes(state: MockState, authorise: Authorise, read_object: ReadObject, known: KnownTask) -> list[Route]:
    """Return the dashboard's control routes over `state`."""

    async def progress(request: Request) -> Response:
        authorise(request)
        tasks = await state.backend.tasks_now()
        store, fixtures = state.store, state.backend.fixture_ids()
        listed = []
        for task in tasks:
            task_id = str(task["task_id"])
            position = store.position(task_id)
            step, steps = position or (None, None)
            listed.append(
                {
                    "task": task,
                    "origin": origin(task_id, store, fixtures),
                    "step": step,
                    "steps": steps,
                    "advances": has_next_step(task, position),
                }
            )
        return _json({"tasks": listed})

    async def choices(request: Request) -> Response:
        authorise(request)
        kinds = [str(kind) for kind in FaultKind]
        return _json(
            {"task_types": TASK_TYPES, "statuses": TASK_STATUSES, "fault_kinds": kinds, "fault_routes": ROUTE_NAMES}
        )

    async def add_task(request: Request) -> Response:
        authorise(request)
        fields = await read_object(request, _ADD_RULE)
        task_type = _text(fields.pop("task_type", "imagine"), "task_type", _ADD_RULE)
        status = _text(fields.pop("status", "finished"), "status", _ADD_RULE)
        task_id = fields.get("task_id")
        if isinstance(task_id, str) and state.store.get(task_id) is not None:
            raise already_exists(task_id)
        try:
            task = build_task(task_type, status, **fields)
        except TaskSpecError as exc:
            raise BadRequest(f"{exc}; {_ADD_RULE}.") from None
        await state.backend.put_task(task)
        return _json({"task": task}, 201)

    async def set_status(request: Request) -> Response:
        authorise(request)
        task_id = known(request)
        fields = await read_object(request, _STATUS_RULE)
        status = _text(fields.pop("status", None), "status", _STATUS_RULE)
        fields.pop("task_id", None)
        current = await state.backend.current(task_id) or {}
        try:
            moved = move_task(current, status, **fields)
        except TaskSpecError as exc:
            raise BadRequest(f"{exc}; {_STATUS_RULE}.") from None
        # Stored without its timeline: a task set by hand stays where it was put.
        await state.backend.put_task(moved)
        return _json({"task": moved})

    prefix = CONTROL_PREFIX
    return [
        Route(f"{prefix}/progress", progress, methods=["GET"]),
        Route(f"{prefix}/choices", choices, methods=["GET"]),
        Route(f"{prefix}/add-task", add_task, methods=["POST"]),
        Route(f"{prefix}/tasks/{{task_id:path}}/status", set_status, methods=["POST"]),
    ]
