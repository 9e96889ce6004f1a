"""The endpoints: POST /fetch-many, POST /fetch, GET /account and GET /openapi.json."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .bodies import parse_task_id, parse_task_ids, read_body
from .errors import TaskNotFound, Unauthorized
from .state import MockState
from .wire import JSON_MEDIA_TYPE, encode_json


def _ok(body: bytes) -> Response:
    return Response(body, media_type=JSON_MEDIA_TYPE)


def build_routes(state: MockState, openapi: bytes) -> list[Route]:
    """Return the routes of a mock serving `state`, with `openapi` as its pre-encoded document."""

    def authorise(request: Request) -> None:
        # The key is checked before anything about the body, as the vendor's middleware does.
        if not state.keys.accepts(request.headers.get("authorization")):
            raise Unauthorized()

    async def fetch_many(request: Request) -> Response:
        authorise(request)
        task_ids = parse_task_ids(await read_body(request, state.body_timeout_s))
        return _ok(state.store.fetch_many_body(task_ids))

    async def fetch(request: Request) -> Response:
        authorise(request)
        task_id = parse_task_id(await read_body(request, state.body_timeout_s))
        encoded = state.store.encoded(task_id)
        if encoded is None:
            shown = json.dumps(task_id[:100] + ("..." if len(task_id) > 100 else ""))
            raise TaskNotFound(f"task_id {shown} matches no task: it must be the id of an existing task.")
        return _ok(encoded)

    async def account(request: Request) -> Response:
        authorise(request)
        return _ok(encode_json(state.account))

    async def openapi_document(request: Request) -> Response:
        return _ok(openapi)

    return [
        Route("/fetch-many", fetch_many, methods=["POST"]),
        Route("/fetch", fetch, methods=["POST"]),
        Route("/account", account, methods=["GET"]),
        Route("/openapi.json", openapi_document, methods=["GET"]),
    ]
