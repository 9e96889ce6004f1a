"""The handle the ``apiframe_mock`` fixture gives a test: where the mock is, its tasks, and what it received.

Every change goes through the engine's commands, run on the server's event loop, as the control API's do.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from ..app import WEBHOOK_RECEIVER_PATH
from ..edges.v2 import build_job, to_job
from ..engine import commands
from ..engine.factory import build_task
from ..engine.journal import RecordedRequest
from ..engine.timeline import Timeline
from ..engine.webhooks import Delivery
from ..errors import TaskSpecError
from ..http.inbox import ReceivedWebhook
from ..wire import JSONObject
from .options import MockOptions
from .server import MockServer

WEBHOOK_WAIT_S = 10.0
"""How long `webhooks` and `received_webhooks` wait for deliveries under way before answering."""


def _steps(timeline: Timeline | Sequence[str | Mapping[str, Any]] | None) -> Timeline | None:
    # `add_task` and `add_job` take a Timeline, or its steps as `Timeline.of` takes them.
    return timeline if isinstance(timeline, Timeline) or timeline is None else Timeline.of(*timeline)


class ApiframeMock:
    """What the ``apiframe_mock`` fixture gives a test: where the mock is, its tasks, and what it received."""

    def __init__(self, server: MockServer, options: MockOptions) -> None:
        self._server = server
        self.options = options

    @property
    def url(self) -> str:
        """The base URL of the mock, ``http://127.0.0.1:<port>``, with no trailing slash."""
        return self._server.url

    @property
    def api_key(self) -> str:
        """The API key the mock accepts in this test."""
        return self.options.api_key

    @property
    def v2_key(self) -> str:
        """The API key as a v2 client sends it in X-API-Key (``afk_`` and the key, unless it starts so)."""
        return self._server.state.keys.v2_key

    def add_job(
        self,
        model: str = "flux-1.1-pro",
        status: str = "COMPLETED",
        *,
        timeline: Timeline | Sequence[str | Mapping[str, Any]] | None = None,
        progress: int | None = None,
        error: str | None = None,
        input: JSONObject | None = None,
    ) -> JSONObject:
        """Store a valid v2 job of `model` in `status` (QUEUED, PROCESSING, COMPLETED, FAILED); return its Job JSON.

        `timeline` takes engine steps as `add_task`'s does; the job is the same record a v1 task is.
        """
        __tracebackhide__ = True
        # The record keeps its own copy of `input`, and the Job returned shares nothing with it: the
        # record is frozen, but its lists and objects are not, and the edges render them on every read.
        record = build_job(model, status, progress=progress, error=error, input=copy.deepcopy(input))
        steps = _steps(timeline)
        self._server.run(commands.add(self._server.state.store, record, steps))
        return copy.deepcopy(to_job(steps.show(record, 0) if steps is not None else record))

    def add_task(
        self,
        task_type: str = "imagine",
        status: str = "finished",
        *,
        timeline: Timeline | Sequence[str | Mapping[str, Any]] | None = None,
        **fields: Any,
    ) -> JSONObject:
        """Store a valid task of `task_type` in `status`, realistic defaults overridden by `fields`; return it.

        With a `timeline` (a `Timeline`, or steps such as ``["pending", {"status": "processing",
        "percentage": "40"}, "finished"]`` advancing one per poll), the task moves through those steps
        as it is fetched, and `status` with `fields` is what it shows once finished.
        """
        __tracebackhide__ = True
        # A copy of what the test gave: a list it changes afterwards must not change the stored task.
        task = copy.deepcopy(build_task(task_type, status, **fields))
        steps = _steps(timeline)
        # A test may store a task again under its id: it replaces the one there.
        self._server.run(commands.add(self._server.state.store, task, steps, replace=True))
        return copy.deepcopy(task)

    def set_status(self, task_id: str, status: str, **fields: Any) -> JSONObject:
        """Move the stored task `task_id` on to `status`, `fields` overriding; return it as now stored."""
        __tracebackhide__ = True
        store = self._server.state.store
        moved = self._server.run(commands.set_status(store, task_id, status, **copy.deepcopy(fields)))
        if moved is None:
            raise TaskSpecError(
                f"set_status: no stored task has task_id {task_id!r}; use the id that add_task returned or a fixture's"
            )
        return copy.deepcopy(moved.fields())

    def fail(self, task_id: str, message: str | None = None) -> JSONObject:
        """Fail the stored task `task_id` at once, with `message` if given; return it as now stored."""
        __tracebackhide__ = True
        failed = self._server.run(commands.fail(self._server.state.store, task_id, message))
        if failed is None:
            raise TaskSpecError(f"fail: no stored task has task_id {task_id!r}; use the id that add_task returned")
        return copy.deepcopy(failed.fields())

    def advance(self, task_id: str, to: str = "next") -> JSONObject:
        """Move the stored task `task_id` to its next step, or to its end with ``to="end"``, at once; return it.

        A submitted task moves along its lifecycle (its webhook hears of each step); any other task goes
        from a waiting status to processing, then to finished.
        """
        __tracebackhide__ = True
        if to not in commands.ADVANCE_TO:
            raise TaskSpecError(f"advance: to={to!r} is not one of {', '.join(map(repr, commands.ADVANCE_TO))}")
        moved = self._server.run(commands.advance(self._server.state.store, task_id, to))
        if moved is None:
            raise TaskSpecError(f"advance: no stored task has task_id {task_id!r}; use the id a submission returned")
        return copy.deepcopy(moved.fields())

    @property
    def webhook_url(self) -> str:
        """A URL on the mock itself that receives webhooks, so a test needs no server of its own."""
        return self._server.url + WEBHOOK_RECEIVER_PATH

    @property
    def webhooks(self) -> list[Delivery]:
        """Every webhook delivery attempt in this test, oldest first, once those under way are done."""
        store = self._server.state.store
        self._server.run(store.settle(WEBHOOK_WAIT_S))
        return self._server.run(store.deliveries())[0]

    @property
    def received_webhooks(self) -> list[ReceivedWebhook]:
        """What `webhook_url` received in this test, oldest first, once deliveries under way are done."""
        self._server.run(self._server.state.store.settle(WEBHOOK_WAIT_S))
        return self._server.inbox.received()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests the mock received in this test, oldest first, at most `JOURNAL_MAX_ENTRIES` (keys redacted)."""
        return self._server.requests()
