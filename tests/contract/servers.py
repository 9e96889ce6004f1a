"""Servers that behave as production does on a busy night: tasks moving on as they are read, one bad moment.

Each is the mock on 127.0.0.1. `moving` holds tasks that take a step along their lifecycle on every read
(or, given steps that go back, move back once); `striking_once` answers one call, in the middle of the
run, with a fault of the mock's own: a 429, a dropped connection, a slow answer, a 5xx.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, build_task, create_app
from mockserver.edges import fault_routes
from mockserver.engine.faults import Fault, FaultPlan
from mockserver.engine.timeline import Timeline

MOVING = 4
"""How many tasks move."""
FORWARD: tuple[str | dict[str, str], ...] = (
    "pending",
    "staged",
    "starting",
    *(
        step
        for percentage in range(0, 100, 2)
        for step in ({"status": "processing", "percentage": str(percentage)}, {"status": "retrying"})
    ),
    "finished",
)
"""A step on every read, forward only, retrying in between: more steps than a run reads a task."""
BACKWARD = (*FORWARD[:6], {"status": "processing", "percentage": "0"}, *FORWARD[6:])
"""The same, but for one read, the task's seventh, that shows it back at 0 % right after 2 %."""


def moving(steps: tuple[str | dict[str, str], ...] = FORWARD) -> tuple[ServerThread, str]:
    """Return a server whose tasks each take one of `steps` per read, and their ids, comma-separated."""
    state = MockState.from_fixtures(api_key=DEFAULT_API_KEY)
    ids = []
    for _ in range(MOVING):
        task = build_task("imagine", "finished")
        state.store.tasks.put(task, Timeline.of(*steps))
        ids.append(task["task_id"])
    return ServerThread(create_app(state)), ",".join(ids)


class StrikingOnce:
    """The mock, striking `fault` once, at its `at`-th call of an Apiframe route."""

    def __init__(self, fault: Fault, at: int) -> None:
        self.state = MockState.from_fixtures(api_key=DEFAULT_API_KEY)
        self.app: ASGIApp = create_app(self.state)
        self.fault = replace(fault, next=1)
        self.at = at
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in fault_routes():
            self.calls += 1
            if self.calls == self.at:
                self.state.store.faults = FaultPlan([self.fault])
        await self.app(scope, receive, send)


def striking_once(fault: Fault, at: int = 40) -> ServerThread:
    """Return a server that strikes `fault` once, at its `at`-th Apiframe call: in the middle of a run."""
    return ServerThread(StrikingOnce(fault, at))
