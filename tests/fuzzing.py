"""The fuzz tests' wire and oracle: raw requests over a socket, and what every answer must be."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from hypothesis import HealthCheck, settings
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver import Journal, MockState, ServerThread, bundled_schemas, create_app
from mockserver.edges.v1.openapi import ANSWER_SCHEMAS
from mockserver.engine.faults import FaultPlan

ANSWER_TIMEOUT_S = 5.0
"""How long an answer may take; the mock's own body timeout is longer, but no fuzz request lies about its length."""

CONTROL_TOKEN = "fuzz-control-token"

# A budget of requests per fuzz test: a few hundred in all for `make test`, over 10,000 for `make fuzz`.
SIZES = {"short": {"raw": 60, "schema": 40}, "long": {"raw": 2500, "schema": 1500}}
SIZE = os.environ.get("APIFRAME_MOCK_FUZZ", "short")
if SIZE not in SIZES:
    raise ValueError(f"APIFRAME_MOCK_FUZZ={SIZE!r}: it must be one of {', '.join(SIZES)}")
LONG_RUN_MINIMUM = 10_000

for _size, _budget in SIZES.items():
    for _kind, _examples in _budget.items():
        settings.register_profile(
            f"fuzz-{_size}-{_kind}",
            max_examples=_examples,
            deadline=None,
            # Requests to a real server are slow for Hypothesis and the inputs are large on purpose.
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
            print_blob=True,
        )


def fuzz_settings(kind: Literal["raw", "schema"]) -> settings:
    """Return the Hypothesis settings of a fuzz test of `kind` at the size this run asked for."""
    return settings.get_profile(f"fuzz-{SIZE}-{kind}")


_SCHEMAS = bundled_schemas()
_ERROR = _SCHEMAS.validator("error-400.json")
_OK_BODIES = {route.split(" ", 1)[1]: _SCHEMAS.validator(schema) for route, schema in ANSWER_SCHEMAS.items()}
# Every refusal other than 401 carries the express-validator envelope of error-400.json.
_ENVELOPE_STATUSES = frozenset({400, 404, 405, 408, 409, 413})
_V2_ERROR = _SCHEMAS.validator("v2/error.json")
_V2_STATUSES = frozenset({200, 201, 202, 204, 400, 401, 402, 403, 404, 405, 408, 409, 413, 429})
"""What v2 answers: its successes, and errors in its `{"error"}` shape (with `details` or credits besides)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant)
"""A JSON decoder that refuses NaN and Infinity, as JavaScript's JSON.parse does."""


@dataclass(frozen=True)
class Answer:
    """One HTTP answer as it came off the socket."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def values(self, name: str) -> list[str]:
        """Return every value of the header `name`, in the order sent."""
        return [value for key, value in self.headers if key == name]


def route_of(target: bytes) -> str:
    """Return the path a request target reaches, decoded as the server decodes it ("" for none)."""
    text = target.decode("latin-1")
    if text.startswith("/"):
        return unquote(text.partition("?")[0].partition("#")[0])
    return unquote(urlsplit(text).path) if "://" in text else ""


def decode_json(text: str) -> Any:
    """Decode `text` as strict JSON, as deep as the server could nest it."""
    try:
        return STRICT_JSON.decode(text)
    except RecursionError:
        # The journal echoes a body as deep as the server thread could read it; this thread sits
        # under pytest and Hypothesis, so a fresh one, with its stack empty, decodes it.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(STRICT_JSON.decode, text).result()


def check_answer(answer: Answer, route: str, head: bool = False) -> Any:
    """Assert what holds of every answer, then return its decoded body (None for HEAD)."""
    shown = f"{answer.status} {answer.body[:300]!r}"
    assert answer.status < 500, f"a server error: {shown}"
    assert answer.values("content-type") == ["application/json"], f"not JSON: {answer.headers} {shown}"
    if head:
        assert answer.body == b"", f"a body in answer to HEAD: {shown}"
        return None
    try:
        body = decode_json(answer.body.decode("utf-8"))
    except ValueError as exc:
        raise AssertionError(f"the body does not parse as JSON ({exc}): {shown}") from None
    if route.startswith("/v2/"):
        assert answer.status in _V2_STATUSES, f"an undocumented v2 status: {shown}"
        assert answer.status < 400 or _V2_ERROR.is_valid(body), f"a v2 error body off schemas/v2/error.json: {shown}"
    elif answer.status == 401:
        assert body == {}, f"a 401 body other than {{}}: {shown}"
    elif answer.status in _ENVELOPE_STATUSES:
        assert _ERROR.is_valid(body), f"an error body off schemas/error-400.json: {shown}"
    elif answer.status in (200, 201):
        validator = _OK_BODIES.get(route)
        assert validator is None or validator.is_valid(body), f"a {route} body off its schema: {shown}"
    else:
        raise AssertionError(f"an undocumented status: {shown}")
    return body


def _parse(received: bytes, head: bool, closed: bool) -> Answer | None:
    """Return the first final answer in `received`, or None while it is incomplete."""
    while True:
        end = received.find(b"\r\n\r\n")
        if end < 0:
            return None
        status_line, *lines = received[:end].decode("latin-1").split("\r\n")
        rest = received[end + 4 :]
        status = int(status_line.split(" ", 2)[1])
        if status >= 200:
            break
        received = rest  # an interim answer such as 100 Continue; the final one follows
    headers = tuple((name.strip().lower(), value.strip()) for name, _, value in (line.partition(":") for line in lines))
    lengths = [value for name, value in headers if name == "content-length"]
    if head:
        return Answer(status, headers, b"")
    if lengths:
        length = int(lengths[0])
        return Answer(status, headers, rest[:length]) if len(rest) >= length else None
    return Answer(status, headers, rest) if closed else None


@dataclass
class Target:
    """The fuzzed mock: its state, journal and port, and a count of the requests sent to it."""

    state: MockState
    journal: Journal
    url: str = ""
    sent: int = 0
    by_schemathesis: int = 0
    seen: Callable[[], int] = field(default=lambda: 0)
    started: float = 0.0

    @property
    def port(self) -> int:
        """The port the mock listens on."""
        return int(self.url.rsplit(":", 1)[1])

    def exchange(self, raw: bytes, head: bool = False) -> Answer:
        """Send `raw` on a new connection and return the first final answer, failing on a hang or silence."""
        self.sent += 1
        with socket.create_connection(("127.0.0.1", self.port), timeout=ANSWER_TIMEOUT_S) as sock:
            # The server may answer and close before it has read everything, as it does for 413.
            with contextlib.suppress(ConnectionError):
                sock.sendall(raw)
            received = b""
            while True:
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    raise AssertionError(f"no answer within {ANSWER_TIMEOUT_S} s; got {received[:300]!r}") from None
                except ConnectionError:
                    chunk = b""
                received += chunk
                answer = _parse(received, head, closed=not chunk)
                if answer is not None:
                    break
                if not chunk:
                    raise AssertionError(f"the connection closed without an answer; got {received[:300]!r}")
        self.disarm()
        return answer

    def disarm(self) -> None:
        """Undo what a fuzzed control call may have switched on: faults are injected 5xx, a long journal slows it."""
        if self.state.store.faults:
            self.state.store.faults = FaultPlan()
        if len(self.journal.entries()) > 50:
            self.journal.clear()


@contextmanager
def running_target() -> Iterator[Target]:
    """Serve the bundled fixtures with the control API on, counting the requests that reach the app."""
    state = MockState.from_fixtures()
    # A body that never comes is refused after this long; the fuzz requests never lie about their
    # length, but a mangled head can, and the answer should not wait for the default 10 s.
    state.body_timeout_s = 1.0
    journal = Journal()
    counter = RequestCounter(create_app(state, journal, control_token=CONTROL_TOKEN))
    with ServerThread(counter) as server:
        yield Target(state, journal, server.url, seen=lambda: counter.count, started=time.perf_counter())


class RequestCounter:
    """ASGI middleware counting the HTTP requests that reach the app, such as the probes Schemathesis adds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.count = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count an HTTP request, then pass it on."""
        if scope["type"] == "http":
            self.count += 1
        await self.app(scope, receive, send)
