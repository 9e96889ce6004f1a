"""v1's status routes: POST /fetch-many, POST /fetch and GET /account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ...errors import TaskNotFound, Unauthorized
from ...http.bodies import read_body, receive_body
from ...http.deadlines import Deadlines
from ...state import MockState
from ...wire import JSON_MEDIA_TYPE, encode_json, quote_id
from .checks import parse_task_id, parse_task_ids, refuse_keys_beside
from .convert import encoded, encoded_all
from .keys import keyed

FETCH_MANY_PATH = "/fetch-many"
_JSON_HEADER = (b"content-type", JSON_MEDIA_TYPE.encode())
_BODIES_REMEMBERED = 512


def _ok(body: bytes) -> Response:
    return Response(body, media_type=JSON_MEDIA_TYPE)


def envelope(tasks: list[bytes]) -> bytes:
    """Return the fetch-many answer ``{"tasks": [...]}`` around the encoded `tasks`."""
    return b'{"tasks":[' + b",".join(tasks) + b"]}"


@dataclass(slots=True)
class _Seen:
    """A fetch-many body met before: the ids it names, and the answer for one version of the store."""

    task_ids: list[str]
    beside: list[str]
    """The body's keys beside `task_ids`, refused when the calibration says production refuses them."""
    version: int = -1
    answer: bytes = b""


class FetchMany:
    """POST /fetch-many as a bare ASGI endpoint: the hot path, kept free of per-request objects."""

    def __init__(self, state: MockState, deadlines: Deadlines) -> None:
        self.state = state
        self.deadlines = deadlines
        # Pollers send the same body again and again: its ids depend on its bytes alone, and its
        # answer on those ids and the store's version, unless one of them is a task on a timeline.
        self._seen: dict[bytes, _Seen] = {}

    async def answer(self, body: bytes) -> bytes:
        """Return the fetch-many answer to `body`, or raise BadRequest naming what is wrong with it."""
        seen = self._seen.get(body)
        if seen is None:
            seen = _Seen(*parse_task_ids(body))
            if len(self._seen) >= _BODIES_REMEMBERED:
                self._seen.clear()
            self._seen[body] = seen
        if not self.state.calibration.extra_keys_ignored:
            refuse_keys_beside(seen.beside)
        store = self.state.store.tasks
        if seen.version != store.version:
            # A task that moves on by polls is counted by the store, wherever it keeps the count.
            if not store.steady_for(seen.task_ids):
                fetched = await self.state.store.fetch_many(seen.task_ids)
                # Kept by the tasks as they stand after the wait: a reset meanwhile put fresh ones in place.
                return envelope(encoded_all(fetched, self.state.store.tasks.encodings))
            version = store.version
            seen.answer = envelope(encoded_all(store.poll_many(seen.task_ids), store.encodings))
            seen.version = version
        return seen.answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the key, then the body; answer the known tasks in request order."""
        authorization = length = None
        for name, value in scope["headers"]:
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-length":
                length = value
        # The key is checked before anything about the body, as Express middleware would: AUTH-FIRST's guess.
        if not self.state.keys.accepts_raw(authorization):
            raise Unauthorized()
        answer = await self.answer(await receive_body(receive, length, self.state.body_timeout_s, self.deadlines))
        headers = [_JSON_HEADER, (b"content-length", b"%d" % len(answer))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})


ROUTES = (
    ("POST", FETCH_MANY_PATH, "fetch-many"),
    ("POST", "/fetch", "fetch"),
    ("GET", "/account", "account"),
)
"""The method, path and fault route name of each route besides the submit endpoints."""


async def fetch_task(state: MockState, task_id: str) -> bytes:
    """Return the task with `task_id` as /fetch answers it, or raise TaskNotFound as /fetch does."""
    task = await state.store.fetch(task_id)
    if task is None:
        raise TaskNotFound(
            f"task_id {quote_id(task_id)} matches no task: it must be the id of an existing task.",
            status_code=state.calibration.unknown_id_status,
        )
    return encoded(task, state.store.tasks.encodings)


def build_routes(state: MockState, deadlines: Deadlines, fetch_many: FetchMany) -> list[Route]:
    """Return the routes of `ROUTES` over `state`, `fetch_many` answering POST /fetch-many."""

    async def fetch(request: Request) -> Response:
        task_id = parse_task_id(await read_body(request, state.body_timeout_s, deadlines))
        return _ok(await fetch_task(state, task_id))

    async def account(request: Request) -> Response:
        return _ok(encode_json(state.store.account))

    endpoints: dict[str, Callable[..., Any]] = {"fetch-many": fetch_many, "fetch": fetch, "account": account}
    # FetchMany checks the key itself, for its fast lane; the other routes through their middleware.
    return [
        Route(path, endpoints[name], methods=[method], middleware=None if name == "fetch-many" else keyed(state))
        for method, path, name in ROUTES
    ]
