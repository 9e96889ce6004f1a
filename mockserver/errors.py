"""Every error the package raises, and the one place where HTTP error bodies are built.

ApiframeMockError
├── HTTPError             answered over HTTP in the API's own shape
│   ├── BadRequest        400 {"errors": [{"msg": ...}]}
│   ├── Unauthorized      401 {}
│   ├── TaskNotFound      400, for /fetch of an unknown id
│   ├── RequestTimeout    408 {"errors": [{"msg": ...}]}, a body that does not arrive in time
│   ├── ClientGone        a client that left mid-body; answered to no one
│   ├── PayloadTooLarge   413 {"errors": [{"msg": ...}]}
│   ├── RateLimited       429 {"errors": [{"msg": ...}]}, an injected fault
│   ├── NotFound          404 {"errors": [{"msg": ...}]}, a control-API task that does not exist
│   ├── NoRoute           404 / 405 {"errors": [{"msg": ...}]}
│   └── ServerError       500 {}
├── FixtureError          a fixture file that cannot be served, naming the file and the field
├── TaskSpecError         a task asked of add_task, set_status or the strategies that cannot be valid
├── FaultSpecError        a fault plan that breaks schemas/mock/faults.json
├── SubmissionsSpecError  submission settings that break schemas/mock/submissions.json
├── MarkerError           an apiframe_mock marker option that is unknown or has a bad value
├── StoreUnavailable      a shared store (Redis) out of reach at start, named by its URL without password
├── DeliveryError         one webhook attempt that failed, with a short reason; kept in a record, never raised out
└── UsageError            a command-line problem, shown as one line
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .wire import JSON_MEDIA_TYPE, encode_json, quote_id


class ApiframeMockError(Exception):
    """Base class of every error raised by apiframe-mock."""


class HTTPError(ApiframeMockError):
    """An error answered over HTTP; `body` is the exact JSON the API sends for it."""

    status_code = 500

    def __init__(
        self, message: str = "", headers: Mapping[str, str] | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})
        if status_code is not None:
            self.status_code = status_code

    def body(self) -> bytes:
        """Return the encoded JSON body of this error."""
        return b"{}"


class _MessageError(HTTPError):
    """An error whose body is the express-validator envelope the docs show for 400."""

    def body(self) -> bytes:
        """Return ``{"errors": [{"msg": message}]}``."""
        return encode_json({"errors": [{"msg": self.message}]})


class BadRequest(_MessageError):
    """The request body is not what the endpoint accepts (400)."""

    status_code = 400


def already_exists(task_id: str) -> BadRequest:
    """Return the 409 for creating a task whose id a stored task already has."""
    return BadRequest(f"task_id {quote_id(task_id)} already exists: change it with PATCH.", status_code=409)


class TaskNotFound(_MessageError):
    """`/fetch` named a task the store does not hold (400, the only documented client error)."""

    status_code = 400


class RequestTimeout(_MessageError):
    """The body did not arrive in time (408, which the official SDK maps to its TimeoutError)."""

    status_code = 408


class ClientGone(HTTPError):
    """The client went away before sending its whole body; the answer reaches no one."""

    status_code = 400


class PayloadTooLarge(_MessageError):
    """The request body is larger than the mock accepts (413)."""

    status_code = 413


class RateLimited(_MessageError):
    """An injected 429; its Retry-After header says when to try again."""

    status_code = 429


class NotFound(_MessageError):
    """A control-API resource, such as a task, that does not exist (404)."""

    status_code = 404


class NoRoute(_MessageError):
    """No endpoint serves this path (404) or this method on the path (405)."""


class Unauthorized(HTTPError):
    """The Authorization header is missing, empty or holds the wrong key (401 ``{}``)."""

    status_code = 401


class BadGateway(_MessageError):
    """`apiframe-mock proxy` had no answer from its upstream, or refused a drifted one with --enforce (502)."""

    status_code = 502


class ServerError(HTTPError):
    """Something failed inside the mock (500 ``{}``, as the docs show)."""

    status_code = 500


class FixtureError(ApiframeMockError):
    """A fixture file is missing, unreadable or breaks the schema; `source` names the file (and line)."""

    def __init__(self, source: str, detail: str) -> None:
        super().__init__(f"{source}: {detail}")
        self.source = source
        self.detail = detail


class TaskSpecError(ApiframeMockError):
    """A task type, status or field value that no valid task can have; the message says what is allowed."""


class FaultSpecError(ApiframeMockError):
    """A fault plan (from a flag, a config file, the control API or the marker) that breaks its schema."""


class SubmissionsSpecError(ApiframeMockError):
    """Submission settings (from a flag, a config file, the control API or the marker) that break their schema."""


class MarkerError(ApiframeMockError):
    """The ``apiframe_mock`` marker got an option it does not know, or a value it cannot use."""


class StoreUnavailable(ApiframeMockError):
    """The shared store cannot be reached; the message names it by its URL, never with its password."""


class DeliveryError(ApiframeMockError):
    """One webhook POST failed (refused, timed out, not answered in HTTP); the message is the short reason."""


class UsageError(ApiframeMockError):
    """A command-line option or environment value that cannot be used."""


def render_error(error: HTTPError) -> Response:
    """Build the response for `error`: JSON, whatever the status."""
    return Response(error.body(), error.status_code, error.headers, media_type=JSON_MEDIA_TYPE)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Answer an `HTTPError` raised by an endpoint."""
    assert isinstance(exc, HTTPError)
    return render_error(exc)


async def handle_no_route(request: Request, exc: Exception) -> Response:
    """Answer Starlette's own 404 and 405 in JSON, naming the routes that exist."""
    assert isinstance(exc, HTTPException)
    what = "method" if exc.status_code == 405 else "path"
    error = NoRoute(
        f"No route for {request.method} {request.url.path}: unknown {what}. "
        "The mock serves POST /fetch-many, POST /fetch, GET /account, GET /openapi.json, "
        "and the submit endpoints such as POST /imagine that /openapi.json lists.",
        headers=exc.headers,
        status_code=exc.status_code,
    )
    return render_error(error)


async def handle_crash(request: Request, exc: Exception) -> Response:
    """Answer any unexpected failure with the documented 500 ``{}``, never a traceback."""
    return render_error(ServerError())


EXCEPTION_HANDLERS = {
    HTTPError: handle_http_error,
    HTTPException: handle_no_route,
    Exception: handle_crash,
}
