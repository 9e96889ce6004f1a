"""The dashboard's own control routes: where tasks stand, the schemas' lists, adding a task and setting its status."""

from __future__ import annotations

from collections.abc import Container

from starlette.requests import Request
from starlette.responses import Response

from ..engine import commands
from ..engine.factory import TASK_STATUSES, TASK_TYPES, build_task
from ..engine.faults import ROUTE_NAMES, FaultKind
from ..engine.store import TaskStore, has_next_step
from ..errors import BadRequest, TaskSpecError
from ..http.operations import Context, Operation, OwnRoute
from ..http.replies import json_response
from ..openapi import COMPONENTS, json_content
from ..prefixes import CONTROL_PREFIX
from ..wire import encode_json

CHOICES_PATH = "/choices"
ADD_RULE = f'send {{"task_type": <one of GET {CONTROL_PREFIX}{CHOICES_PATH}>, "status": <one of them>, ...fields}}'
STATUS_RULE = f'send {{"status": <one of GET {CONTROL_PREFIX}{CHOICES_PATH}>, ...fields}}'
_LISTED = {
    "type": "object",
    "required": ["tasks"],
    "properties": {
        "tasks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["task", "origin", "step", "steps", "advances"],
                "properties": {
                    "task": {"$ref": COMPONENTS + "Task"},
                    "origin": {"enum": ["fixture", "submitted", "added"]},
                    "step": {"type": ["integer", "null"]},
                    "steps": {"type": ["integer", "null"]},
                    "advances": {"type": "boolean", "description": "Whether it has a next step to move to."},
                },
            },
        }
    },
}
_LISTS = {"type": "array", "items": {"type": "string"}}
_CHOICES = {
    "type": "object",
    "required": ["task_types", "statuses", "fault_kinds", "fault_routes"],
    "properties": {name: _LISTS for name in ("task_types", "statuses", "fault_kinds", "fault_routes")},
}
_SHOWN = {"type": "object", "properties": {"task": {"$ref": COMPONENTS + "Task"}}}
_MISSING = {"404": {"description": "No task has that id.", "content": json_content("error-400.json")}}


def origin(task_id: str, store: TaskStore, fixture_ids: Container[str]) -> str:
    """Say where a task came from: ``submitted``, a ``fixture`` the mock started with, or ``added`` by hand."""
    if store.submitted(task_id):
        return "submitted"
    return "fixture" if task_id in fixture_ids else "added"


def _text(value: object, name: str, rule: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{name} is {encode_json(value).decode()[:60]}: {rule}.")
    return value


async def progress(request: Request, context: Context) -> Response:
    """List every task as a fetch shows it now, its origin and its step."""
    store = context.state.store
    tasks = await store.tasks_now()
    fixtures = store.fixture_ids()
    listed = []
    for task in tasks:
        task_id = task.task_id
        position = store.tasks.position(task_id)
        step, steps = position or (None, None)
        listed.append(
            {
                "task": task.fields(),
                "origin": origin(task_id, store.tasks, fixtures),
                "step": step,
                "steps": steps,
                "advances": has_next_step(task, position),
            }
        )
    return json_response({"tasks": listed})


async def choices(request: Request, context: Context) -> Response:
    """List the schemas' task types and statuses, and the fault kinds and routes."""
    kinds = [str(kind) for kind in FaultKind]
    return json_response(
        {"task_types": TASK_TYPES, "statuses": TASK_STATUSES, "fault_kinds": kinds, "fault_routes": ROUTE_NAMES}
    )


async def add_task(request: Request, context: Context) -> Response:
    """Build and store a valid task of a type and status, as the plugin's add_task does."""
    fields = await context.read_object(request, ADD_RULE)
    task_type = _text(fields.pop("task_type", "imagine"), "task_type", ADD_RULE)
    status = _text(fields.pop("status", "finished"), "status", ADD_RULE)
    task_id = fields.get("task_id")
    if isinstance(task_id, str):
        await commands.ensure_new(context.state.store, task_id)
    try:
        task = build_task(task_type, status, **fields)
    except TaskSpecError as exc:
        raise BadRequest(f"{exc}; {ADD_RULE}.") from None
    await commands.add(context.state.store, task, replace=True)
    return json_response({"task": task}, 201)


async def set_status(request: Request, context: Context) -> Response:
    """Set a task's status, its status fields replaced, as the plugin's set_status does; off its timeline."""
    task_id = await context.known(request)
    fields = await context.read_object(request, STATUS_RULE)
    status = _text(fields.pop("status", None), "status", STATUS_RULE)
    fields.pop("task_id", None)
    try:
        moved = await commands.set_status(context.state.store, task_id, status, **fields)
    except TaskSpecError as exc:
        raise BadRequest(f"{exc}; {STATUS_RULE}.") from None
    return json_response({"task": moved.fields() if moved is not None else None})


VIEW_ROUTES = (
    OwnRoute("/progress", {"GET": Operation(progress, str(progress.__doc__), _LISTED)}),
    OwnRoute(CHOICES_PATH, {"GET": Operation(choices, str(choices.__doc__), _CHOICES)}),
    OwnRoute(
        "/add-task",
        {
            "POST": Operation(
                add_task,
                str(add_task.__doc__),
                _SHOWN,
                '{"task_type": ..., "status": ..., ...fields overriding the defaults}.',
                {"409": {"description": "The task_id exists."}},
                created=True,
            )
        },
    ),
    OwnRoute(
        "/tasks/{task_id:path}/status",
        {
            "POST": Operation(
                set_status,
                str(set_status.__doc__),
                _SHOWN,
                '{"status": ..., ...fields overriding the defaults}.',
                _MISSING,
            )
        },
    ),
)
"""The dashboard's routes that read and act through the control API, under its prefix."""
