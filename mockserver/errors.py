"""Every error the package raises. Errors carry data (a status, a message, headers); each edge renders them.

ApiframeMockError
├── HTTPError             answered over HTTP, in the shape of the edge (API version) that was asked
│   ├── BadRequest        400, the body is not what the route accepts
│   │   └── InvalidFields 400, naming each field that is wrong by its JSON path
│   ├── Unauthorized      401, no key or the wrong one
│   ├── Forbidden         403, a key that is known but may not do this
│   ├── PaymentRequired   402, too few credits left for the job asked for
│   ├── TaskNotFound      400, for /fetch of an unknown id
│   ├── Conflict          409, a task id taken, or a task at the end of its steps asked to move on
│   ├── RequestTimeout    408, a body that does not arrive in time
│   ├── ClientGone        a client that left mid-body; answered to no one
│   ├── PayloadTooLarge   413
│   ├── RateLimited       429, an injected fault
│   ├── NotFound          404, a control-API task that does not exist
│   ├── NoRoute           404 / 405, no route for the path or the method
│   ├── BadGateway        502, `apiframe-mock proxy` with no answer from upstream, or one refused
│   └── ServerError       500
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


class ApiframeMockError(Exception):
    """Base class of every error raised by apiframe-mock."""


class HTTPError(ApiframeMockError):
    """An error answered over HTTP: its status, the message that says what is wrong, and headers to send."""

    status_code = 500
    has_message = False
    """Whether the body says why; the API answers some errors (401, 500) with an empty object."""

    def __init__(
        self, message: str = "", headers: Mapping[str, str] | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})
        if status_code is not None:
            self.status_code = status_code


class BadRequest(HTTPError):
    """The request body is not what the endpoint accepts (400)."""

    status_code = 400
    has_message = True


class InvalidFields(BadRequest):
    """The body breaks its schema (400); `details` lists what is wrong with each field, by its JSON path."""

    def __init__(self, message: str, details: Mapping[str, list[str]]) -> None:
        super().__init__(message)
        self.details = dict(details)


class Conflict(HTTPError):
    """The request is sound but the state refuses it (409): an id already taken, a task with no next step."""

    status_code = 409
    has_message = True


class TaskNotFound(HTTPError):
    """`/fetch` named a task the store does not hold (400, the only documented client error)."""

    status_code = 400
    has_message = True


class RequestTimeout(HTTPError):
    """The body did not arrive in time (408, which the official SDK maps to its TimeoutError)."""

    status_code = 408
    has_message = True


class ClientGone(HTTPError):
    """The client went away before sending its whole body; the answer reaches no one."""

    status_code = 400


class PayloadTooLarge(HTTPError):
    """The request body is larger than the mock accepts (413)."""

    status_code = 413
    has_message = True


class RateLimited(HTTPError):
    """An injected 429; its Retry-After header says when to try again."""

    status_code = 429
    has_message = True


class NotFound(HTTPError):
    """A control-API resource, such as a task, that does not exist (404)."""

    status_code = 404
    has_message = True


class NoRoute(HTTPError):
    """No endpoint serves this path (404) or this method on the path (405)."""

    has_message = True


class Unauthorized(HTTPError):
    """The Authorization header is missing, empty or holds the wrong key (401)."""

    status_code = 401


class Forbidden(HTTPError):
    """The key is known but may not do this (403): it is inactive, or the scope asked for is not its own."""

    status_code = 403
    has_message = True


class PaymentRequired(HTTPError):
    """The account has fewer credits left (`available`) than the job asked for costs (`required`) (402)."""

    status_code = 402
    has_message = True

    def __init__(self, message: str, required: int, available: int) -> None:
        super().__init__(message)
        self.required = required
        self.available = available


class BadGateway(HTTPError):
    """`apiframe-mock proxy` had no answer from its upstream, or refused a drifted one with --enforce (502)."""

    status_code = 502
    has_message = True


class ServerError(HTTPError):
    """Something failed inside the mock (500, or the status of an injected fault)."""

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
