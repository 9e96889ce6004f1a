"""A stand-in for production, written from the docs and not from the mock: one server, behaviour switched per test.

It keeps every documented rule, holds up to 200 tasks (copies of the bundled fixtures under ids of
their own), and can be told to differ where the docs are silent (how it takes `bearer` in lower case,
the status of /fetch for an unknown id, keys beside `task_ids`), to refuse `Bearer` outright, or to have
one bad moment (a 429, a 500, a dropped connection) at its n-th request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.types import Receive, Scope, Send

from mockserver import ServerThread, load_fixtures
from mockserver.edges.v1 import load_endpoints
from mockserver.edges.v1.limits import MAX_TASK_IDS, MIN_TASK_IDS
from mockserver.http.injection import ABORT_EXTENSION
from mockserver.schemas import bundled_schemas, first_error

KEY = "stand-in-key-7f3a"
MOST_TASKS = 200
ACCOUNT = {"email": "someone@example.com", "credits": 1000, "plan": "pro", "total_images": 42}
_IDS = uuid.UUID("0d9c3b1e-5a8f-4c7e-9b2d-3f6a1e0c8b74")


@dataclass
class Behaviour:
    """How the stand-in answers: faithful by default, the mock's guesses included."""

    ids: int = 24
    bearer: str = "any case"
    """``any case``, ``exact case`` (only ``Bearer``), or ``refused`` (the bare key alone)."""
    unknown_id_status: int = 400
    extra_keys_ignored: bool = True
    """Whether /fetch-many takes keys beside `task_ids` (else 400)."""
    strike: str = ""
    """One bad moment: ``429``, ``500`` or ``drop``, at the `strike_at`-th request; empty for none."""
    strike_at: int = 30


@dataclass
class StandIn:
    """The ASGI app: tasks by id, the behaviour, and a count of requests."""

    behaviour: Behaviour = field(default_factory=Behaviour)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0

    def __post_init__(self) -> None:
        templates = sorted(load_fixtures().tasks, key=lambda task: str(task["task_id"]))
        for number in range(MOST_TASKS):
            task_id = str(uuid.uuid5(_IDS, str(number)))
            self.tasks[task_id] = {**templates[number % len(templates)], "task_id": task_id}

    def switch(self, behaviour: Behaviour) -> list[str]:
        """Answer as `behaviour` says from now on, counting afresh; return the known ids."""
        self.behaviour, self.requests = behaviour, 0
        return list(self.tasks)[: behaviour.ids]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        self.requests += 1
        behaviour = self.behaviour
        if behaviour.strike and self.requests == behaviour.strike_at:
            await strike(scope, send, behaviour.strike, {"errors": [{"msg": "busy"}]})
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        status, answer = self.answer(scope["method"], scope["path"], headers.get("authorization"), body)
        await send_answer(send, status, answer)

    def answer(self, method: str, path: str, authorization: str | None, raw: bytes) -> tuple[int, object]:
        """Return the status and JSON answer to one request."""
        known = dict(list(self.tasks.items())[: self.behaviour.ids])
        if not self.accepts(authorization):
            return 401, {}
        if method == "GET" and path == "/account":
            return 200, ACCOUNT
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _bad("the body is not JSON")
        if not isinstance(body, dict):
            return _bad("the body is not a JSON object")
        if path == "/fetch-many":
            ids = body.get("task_ids")
            if not isinstance(ids, list) or not MIN_TASK_IDS <= len(ids) <= MAX_TASK_IDS:
                return _bad("task_ids must be an array of 2 to 20 ids")
            if not all(isinstance(task_id, str) for task_id in ids):
                return _bad("every task id must be a string")
            if set(body) != {"task_ids"} and not self.behaviour.extra_keys_ignored:
                return _bad("task_ids is the only key taken")
            return 200, {"tasks": [known[task_id] for task_id in ids if task_id in known]}
        if path == "/fetch":
            task_id = body.get("task_id")
            if not isinstance(task_id, str):
                return _bad("task_id must be a string")
            if task_id not in known:
                return self.behaviour.unknown_id_status, {"errors": [{"msg": "no such task"}]}
            return 200, known[task_id]
        endpoint = ENDPOINTS.get(path)
        if endpoint is None:
            return 404, {"errors": [{"msg": "no such route"}]}
        if first_error(bundled_schemas().validator(endpoint.schema), body) is not None:
            return _bad("the submission is not valid")
        if endpoint.parent is not None and body.get(endpoint.parent.field) not in known:
            return _bad("the parent task does not exist")
        return 200, {"task_id": str(uuid.uuid4())}

    def accepts(self, authorization: str | None) -> bool:
        """Say whether the Authorization value carries the key in a form the behaviour accepts."""
        if authorization is None:
            return False
        sent = authorization.strip(" \t")
        if sent == KEY:
            return True
        scheme, _, token = sent.partition(" ")
        bearer = self.behaviour.bearer
        if token != KEY or bearer == "refused":
            return False
        return scheme == "Bearer" or (bearer == "any case" and scheme.lower() == "bearer")


ENDPOINTS = {endpoint.path: endpoint for endpoint in load_endpoints().values()}


def _bad(message: str) -> tuple[int, object]:
    return 400, {"errors": [{"msg": message}]}


async def read_body(receive: Receive) -> bytes:
    """Return the whole body of the request."""
    body = b""
    while True:
        message = await receive()
        chunk: bytes = message.get("body", b"")
        body += chunk
        if not message.get("more_body"):
            return body


async def strike(scope: Scope, send: Send, kind: str, busy: object) -> None:
    """Have the bad moment `kind`: drop the connection (``drop``), or answer its status with `busy`."""
    if kind == "drop":
        scope["extensions"][ABORT_EXTENSION]["abort"]()
        return
    await send_answer(send, int(kind), busy, retry_after=kind == "429")


async def send_answer(send: Send, status: int, answer: object, retry_after: bool = False, media: str = "") -> None:
    """Send `answer` (JSON, or the text itself under another `media` type) with `status`."""
    raw = answer.encode() if isinstance(answer, str) and media else json.dumps(answer).encode()
    kind = (media or "application/json").encode()
    headers = [(b"content-type", kind), (b"content-length", str(len(raw)).encode())]
    if retry_after:
        headers.append((b"retry-after", b"0"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})


def serve_stand_in() -> tuple[ServerThread, StandIn]:
    """Return a server (not started) for a stand-in, and the stand-in to switch."""
    app = StandIn()
    return ServerThread(app), app
