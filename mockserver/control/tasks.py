"""The control API's task routes: list, create, read, change, delete and advance tasks; health and reset."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..engine import commands
from ..engine.timeline import TIMELINE_KEY, check_views, split_timeline
from ..errors import ApiframeMockError, BadRequest, Conflict, TaskSpecError
from ..http.bodies import parse_object
from ..http.operations import Context, Operation, OwnRoute
from ..http.replies import json_response
from ..openapi import COMPONENTS, json_content
from ..prefixes import CONTROL_PREFIX
from ..schemas import bundled_schemas, first_error
from ..wire import JSONObject, encode_json

TASK_RULE = "send a task object (task_id, task_type, status and its fields), optionally with a timeline"
ADVANCE_RULE = 'send nothing, {"to": "next"} or {"to": "end"}'
TASK = {
    "type": "object",
    "properties": {"task": {"$ref": COMPONENTS + "Task"}, "timeline": {"$ref": COMPONENTS + "MockTimeline"}},
}
MISSING = {"404": {"description": "No task has that id.", "content": json_content("error-400.json")}}
_WITH_TIMELINE = "A task object, optionally with a `timeline` (MockTimeline); null removes a field."


async def store(context: Context, document: JSONObject) -> JSONObject:
    """Store the task `document` describes (with its timeline, if any), or raise BadRequest saying why not."""
    try:
        task, timeline = split_timeline(document)
        if timeline is not None:
            check_views(task, timeline)
    except ApiframeMockError as exc:
        raise BadRequest(f"{exc}; {TASK_RULE}.") from None
    problem = first_error(bundled_schemas().validator("task.json"), task)
    if problem is not None:
        raise BadRequest(f"Not a valid task: {problem}; {TASK_RULE}.")
    await commands.add(context.state.store, task, timeline, replace=True)
    return await context.described(task["task_id"])


async def health(request: Request, context: Context) -> Response:
    """Say the mock is up and how many tasks it holds."""
    return json_response({"status": "ok", "tasks": len(context.state.store.tasks)})


async def list_tasks(request: Request, context: Context) -> Response:
    """List every task as a fetch would show it now."""
    return json_response({"tasks": [task.fields() for task in await context.state.store.tasks_now()]})


async def create_task(request: Request, context: Context) -> Response:
    """Create a task; 409 if its id is taken."""
    document = await context.read_object(request, TASK_RULE)
    task_id = document.get("task_id")
    if isinstance(task_id, str):
        await commands.ensure_new(context.state.store, task_id)
    return json_response(await store(context, document), 201)


async def read_task(request: Request, context: Context) -> Response:
    """Show a task and its timeline."""
    return json_response(await context.described(await context.known(request)))


async def update_task(request: Request, context: Context) -> Response:
    """Change a task's fields or timeline; a field set to null is removed."""
    task_id = await context.known(request)
    changes = await context.read_object(request, TASK_RULE)
    if changes.get("task_id", task_id) != task_id:
        raise BadRequest("task_id cannot change: create a new task instead.")
    # A field set to null is removed, so a task can lose, say, its percentage when it finishes.
    tasks = context.state.store.tasks
    timeline = tasks.timeline(task_id)
    stored = tasks.stored(task_id)
    merged: JSONObject = stored.fields() if stored is not None else {}
    if timeline is not None:
        merged[TIMELINE_KEY] = timeline.to_json()
    merged.update(changes)
    return json_response(await store(context, {key: value for key, value in merged.items() if value is not None}))


async def delete_task(request: Request, context: Context) -> Response:
    """Delete a task."""
    task_id = await context.known(request)
    await context.state.store.remove_task(task_id)
    return json_response({"deleted": task_id})


async def advance(request: Request, context: Context) -> Response:
    """Move a task to its next step, or to its last, at once; 409 at the end of its steps."""
    task_id = await context.known(request)
    raw = await context.body(request)
    to = parse_object(raw, ADVANCE_RULE).get("to") if raw.strip() else "next"
    if to not in commands.ADVANCE_TO:
        raise BadRequest(f"to is {encode_json(to).decode()[:100]}: {ADVANCE_RULE}.")
    try:
        await commands.advance(context.state.store, task_id, str(to))
    except TaskSpecError as exc:
        raise Conflict(f"{exc}; see it with GET {CONTROL_PREFIX}/tasks/{task_id}.") from None
    return json_response(await context.described(task_id))


async def reset(request: Request, context: Context) -> Response:
    """Restore the starting state."""
    await commands.reset(context.state.store)
    return json_response({"status": "reset", "tasks": len(context.state.store.tasks)})


TASK_ROUTES = (
    OwnRoute(
        "/health", {"GET": Operation(health, "Say the mock is up and how many tasks it holds.", {"type": "object"})}
    ),
    OwnRoute(
        "/tasks",
        {
            "GET": Operation(list_tasks, "List every task as a fetch would show it now.", {"type": "object"}),
            "POST": Operation(
                create_task,
                "Create a task.",
                TASK,
                _WITH_TIMELINE,
                {"409": {"description": "The task_id exists."}},
                created=True,
            ),
        },
    ),
    OwnRoute(
        "/tasks/{task_id:path}/advance",
        {
            "POST": Operation(
                advance,
                "Move a task to its next step, or with to=end to its last, at once; its webhook hears of each.",
                TASK,
                'Nothing, {"to": "next"} or {"to": "end"}.',
                {**MISSING, "409": {"description": "The task is at the end of its lifecycle."}},
            )
        },
    ),
    OwnRoute(
        "/tasks/{task_id:path}",
        {
            "GET": Operation(read_task, "Show a task and its timeline.", TASK, extra=MISSING),
            "PATCH": Operation(update_task, "Change a task's fields or timeline.", TASK, _WITH_TIMELINE, MISSING),
            "DELETE": Operation(delete_task, "Delete a task.", {"type": "object"}, extra=MISSING),
        },
    ),
    OwnRoute(
        "/reset",
        {
            "POST": Operation(
                reset, "Restore the starting tasks, account and faults; empty the journal.", {"type": "object"}
            )
        },
    ),
)
"""The task routes, under the control prefix."""
