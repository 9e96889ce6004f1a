"""Answering errors: every HTTP error body is built here, in the shape of the edge the request was for."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .edges import edge_for, served
from .errors import HTTPError, NoRoute, ServerError
from .prefixes import OPENAPI_PATH
from .wire import JSON_MEDIA_TYPE


def render_error(error: HTTPError, path: str = "") -> Response:
    """Build the response for `error` on `path`: JSON in its edge's shape, whatever the status."""
    body = edge_for(path).render(error)
    return Response(body, error.status_code, error.headers, media_type=JSON_MEDIA_TYPE)


async def respond(error: HTTPError, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer `error` on the request of `scope`, outside any endpoint."""
    await render_error(error, scope.get("path", ""))(scope, receive, send)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Answer an `HTTPError` raised by an endpoint."""
    assert isinstance(exc, HTTPError)
    return render_error(exc, request.url.path)


async def handle_no_route(request: Request, exc: Exception) -> Response:
    """Answer Starlette's own 404 and 405 in JSON, naming the routes that exist."""
    assert isinstance(exc, HTTPException)
    what = "method" if exc.status_code == 405 else "path"
    path = request.url.path
    error = NoRoute(
        f"No route for {request.method} {path}: unknown {what}. {served(path, [f'GET {OPENAPI_PATH}'])}",
        headers=exc.headers,
        status_code=exc.status_code,
    )
    return render_error(error, path)


async def handle_crash(request: Request, exc: Exception) -> Response:
    """Answer any unexpected failure with the documented 500, never a traceback."""
    return render_error(ServerError(), request.url.path)


EXCEPTION_HANDLERS = {
    HTTPError: handle_http_error,
    HTTPException: handle_no_route,
    Exception: handle_crash,
}
