"""The mock's own routes, each described once: by method, its handler and what /openapi.json says of it.

The control API and the dashboard list their routes as `OwnRoute`s; one table serves them and
documents them, so a route cannot be served undocumented or documented unserved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..engine.timeline import TIMELINE_KEY
from ..errors import NotFound
from ..prefixes import CONTROL_PREFIX
from ..state import MockState
from ..wire import JSON_MEDIA_TYPE, JSONObject, quote_id
from .bodies import parse_object, read_body
from .deadlines import Deadlines


class Context:
    """What a handler of the mock's own routes works with: the state, and the reading every handler shares."""

    def __init__(self, state: MockState, deadlines: Deadlines) -> None:
        self.state = state
        self.deadlines = deadlines

    async def body(self, request: Request) -> bytes:
        """Receive the request's whole body, within the mock's limits."""
        return await read_body(request, self.state.body_timeout_s, self.deadlines)

    async def read_object(self, request: Request, rule: str) -> JSONObject:
        """Read the body as a JSON object the mock can store, or raise BadRequest ending in `rule`."""
        return parse_object(await self.body(request), rule, finite=True)

    async def known(self, request: Request) -> str:
        """Return the path's task_id, or raise NotFound if no task has it."""
        task_id = str(request.path_params["task_id"])
        if await self.state.store.current(task_id) is None:
            raise NotFound(f"No task has task_id {quote_id(task_id)}: list them with GET {CONTROL_PREFIX}/tasks.")
        return task_id

    async def described(self, task_id: str) -> JSONObject:
        """Return the task as a fetch shows it now, with its timeline if it has one."""
        timeline = self.state.store.tasks.timeline(task_id)
        task = await self.state.store.current(task_id)
        shown = {"task": task.fields() if task is not None else None}
        return {**shown, TIMELINE_KEY: timeline.to_json()} if timeline is not None else shown


Handler = Callable[[Request, Context], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Operation:
    """One method of a route: its handler, and its OpenAPI summary, answer schema, body and other answers."""

    handler: Handler
    summary: str
    ok: Mapping[str, Any] | None = None
    """The schema of the JSON answer; None for a file the route serves as `media_type`."""
    body: str | None = None
    """What the request body holds, in words; None for no body."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Answers besides the usual ones (200 or 201, 400, 401), by status."""
    created: bool = False
    media_type: str = JSON_MEDIA_TYPE
    query: tuple[Mapping[str, Any], ...] = ()
    """The OpenAPI parameters of its query string."""


@dataclass(frozen=True, slots=True)
class OwnRoute:
    """A path of the mock's own API (under its prefix) and its operations by method."""

    path: str
    operations: Mapping[str, Operation]
    public: bool = False
    """Served without the control token: it holds no data."""
