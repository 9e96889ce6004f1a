"""A stand-in for production behind `apiframe-mock proxy`: faithful, moving, flaky, or drifted one rule at a time.

It is the mock on 127.0.0.1, counting every request it is sent. Some tasks take a step forward on every
read (production moves); `strike` answers the next requests with a bad moment (a 503, a 429); `drift`
names one rule that every answer it applies to then breaks, in the plainest way ordinary traffic shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from mockserver import DEFAULT_API_KEY, MockState, build_task, create_app
from mockserver.engine.timeline import Timeline

from .contract.servers import BACKWARD, FORWARD

Body = Any
Change = Callable[[str, int, Body], tuple[int, str, Body]]
"""Given the path, status and JSON body of the mock's answer, the drifted status, content type and body."""
JSON = "application/json"


def _tasks(body: Body, change: Callable[[dict[str, Any]], None]) -> Body:
    for task in body.get("tasks", []) if isinstance(body, dict) and "tasks" in body else [body]:
        if isinstance(task, dict) and "task_id" in task:
            change(task)
    return body


def _on_tasks(change: Callable[[dict[str, Any]], None]) -> Change:
    def drift(path: str, status: int, body: Body) -> tuple[int, str, Body]:
        touched = status == 200 and path in ("/fetch-many", "/fetch")
        return status, JSON, _tasks(body, change) if touched else body

    return drift


def _when(path: str | None, status: int, new: Callable[[Body], tuple[int, str, Body]]) -> Change:
    def drift(at: str, was: int, body: Body) -> tuple[int, str, Body]:
        return new(body) if was == status and path in (None, at) else (was, JSON, body)

    return drift


def _invent(body: Body) -> tuple[int, str, Body]:
    invented = build_task("imagine", "finished")
    return 200, JSON, {"tasks": [*body["tasks"], invented]}


DRIFTS: dict[str, Change] = {
    "TASK-STATUS": _on_tasks(lambda task: task.update(status="completed") if task["status"] == "finished" else None),
    "TASK-PERCENTAGE": _on_tasks(lambda task: task.update(percentage="40.5") if "percentage" in task else None),
    "TASK-SCHEMA": _on_tasks(lambda task: task.update(task_type=5)),
    "AUTH-401": _when(None, 401, lambda body: (401, JSON, {"message": "Invalid API Key"})),
    "ERROR-SHAPE": _when(None, 400, lambda body: (400, JSON, {"errors": "Invalid request"})),
    "CONTENT-TYPE": _when(None, 400, lambda body: (400, "text/html", "<h1>Bad request</h1>")),
    "OK-SHAPE": _when("/fetch-many", 200, lambda body: (200, JSON, {"results": body["tasks"]})),
    "ACCOUNT": _when("/account", 200, lambda body: (200, JSON, {k: v for k, v in body.items() if k != "credits"})),
    "IDS-NOT-ASKED": _when("/fetch-many", 200, _invent),
    "NO-5XX": _when("/fetch", 200, lambda body: (500, JSON, {})),
    "SUBMIT-OK": _when("/imagine", 200, lambda body: (200, JSON, {"task_id": 29983})),
    "BOUNDS-TOO-FEW": _when("/fetch-many", 400, lambda body: (200, JSON, {"tasks": []})),
}
"""Each drift the traffic of the official clients shows, by the rule it breaks."""
MOVING = 3


class Production:
    """The mock standing for production: it counts requests, moves some tasks on every read, strikes, drifts."""

    def __init__(self) -> None:
        self.state = MockState.from_fixtures(api_key=DEFAULT_API_KEY)
        self.app = create_app(self.state)
        self.forward = self._moving(FORWARD)
        self.backward = self._moving(BACKWARD)
        self.requests = 0
        self.strikes: list[int] = []
        self.long_answer: bytes | None = None
        """Answered once, to the next request, as a 200 of that many bytes of JSON."""
        self.drift: str | None = None

    def _moving(self, steps: tuple[str | dict[str, str], ...]) -> list[str]:
        ids = []
        for _ in range(MOVING):
            task = build_task("imagine", "finished")
            self.state.store.tasks.put(task, Timeline.of(*steps))
            ids.append(task["task_id"])
        return ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.requests += 1
        if self.long_answer is not None:
            body, self.long_answer = self.long_answer, None
            await _answer(send, 200, JSON, body)
            return
        if self.strikes:
            body = json.dumps({"errors": [{"msg": "busy"}]} if self.strikes[0] == 429 else {}).encode()
            await _answer(send, self.strikes.pop(0), JSON, body)
            return
        if self.drift is None:
            await self.app(scope, receive, send)
            return
        sent: list[Message] = []

        async def keep(message: Message) -> None:
            sent.append(message)

        await self.app(scope, receive, keep)
        status = sent[0]["status"]
        raw = b"".join(message.get("body", b"") for message in sent[1:])
        new_status, media, body = DRIFTS[self.drift](scope["path"], status, json.loads(raw))
        encoded = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        await _answer(send, new_status, media, encoded)


async def _answer(send: Send, status: int, media: str, body: bytes) -> None:
    headers = [(b"content-type", media.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
