"""The endpoints: POST /fetch-many, POST /fetch, GET /account and GET /openapi.json."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .bodies import parse_task_id, parse_task_ids, read_body, receive_body
from .deadlines import Deadlines
from .errors import TaskNotFound, Unauthorized
from .journal import OPENAPI_PATH
from .state import MockState
from .wire import JSON_MEDIA_TYPE, encode_json, quote_id

FETCH_MANY_PATH = "/fetch-many"
_JSON_HEADER = (b"content-type", JSON_MEDIA_TYPE.encode())
_BODIES_REMEMBERED = 512


def _ok(body: bytes) -> Response:
    return Response(body, media_type=JSON_MEDIA_TYPE)


@dataclass(slots=True)
class _Seen:
    """A fetch-many body met before: the ids it names, and the answer for one version of the store."""

    task_ids: list[str]
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
            seen = _Seen(parse_task_ids(body))
            if len(self._seen) >= _BODIES_REMEMBERED:
                self._seen.clear()
            self._seen[body] = seen
        store = self.state.store
        if seen.version != store.version:
            # A task that moves on by polls is counted by the store, wherever it keeps the count.
            if not store.steady_for(seen.task_ids):
                return await self.state.backend.fetch_many(seen.task_ids)
            seen.version, seen.answer = store.version, store.fetch_many_body(seen.task_ids)
        return seen.answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the key, then the body; answer the known tasks in request order."""
        authorization = length = None
        for name, value in scope["headers"]:
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-length":
                length = value
        # The key is checked before anything about the body, as the vendor's middleware does.
        if not self.state.keys.accepts_raw(authorization):
            raise Unauthorized()
        answer = await self.answer(await receive_body(receive, length, self.state.body_timeout_s, self.deadlines))
        headers = [_JSON_HEADER, (b"content-length", b"%d" % len(answer))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})


def build_routes(state: MockState, openapi: bytes, deadlines: Deadlines, fetch_many: FetchMany) -> list[Route]:
    """Return the routes of a mock serving `state`, with `openapi` as its pre-encoded document."""

    def authorise(request: Request) -> None:
        if not state.keys.accepts(request.headers.get("authorization")):
            raise Unauthorized()

    async def fetch(request: Request) -> Response:
        authorise(request)
        task_id = parse_task_id(await read_body(request, state.body_timeout_s, deadlines))
        encoded = await state.backend.fetch(task_id)
        if encoded is None:
            raise TaskNotFound(
                f"task_id {quote_id(task_id)} matches no task: it must be the id of an existing task.",
                status_code=state.calibration.unknown_id_status,
            )
        return _ok(encoded)

    async def account(request: Request) -> Response:
        authorise(request)
        return _ok(encode_json(state.account))

    async def openapi_document(request: Request) -> Response:
        return _ok(openapi)

    return [
        Route(FETCH_MANY_PATH, fetch_many, methods=["POST"]),
        Route("/fetch", fetch, methods=["POST"]),
        Route("/account", account, methods=["GET"]),
        Route(OPENAPI_PATH, openapi_document, methods=["GET"]),
    ]
