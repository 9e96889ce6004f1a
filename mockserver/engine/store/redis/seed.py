"""What a namespace holds at first, and how its records go into and out of this process's copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol, TypeVar

import redis
import redis.asyncio as aioredis

from ....wire import JSONObject, encode_json
from ...faults import FaultPlan
from ...lifecycle import Submissions
from ...task import Task
from ..base import Store
from ..records import TaskRecord
from ..tasks import TaskStore
from .keys import Keys

Pipe = TypeVar("Pipe", redis.client.Pipeline, aioredis.client.Pipeline)
SCAN = 1000
"""How many tasks go in one command, and come back in one scan."""
SETTINGS = ("account", "faults", "submissions")
"""The settings a namespace keeps beside its tasks, each as JSON under its own key."""


class Seeding(Protocol):
    """What a namespace can be loaded from: a store, or a `Seed`."""

    @property
    def tasks(self) -> TaskStore:
        """The tasks."""

    @property
    def account(self) -> JSONObject:
        """The account."""

    @property
    def faults(self) -> FaultPlan:
        """The faults in force."""

    @property
    def submissions(self) -> Submissions:
        """The submission pace."""


def write_seed(pipe: Pipe, keys: Keys, seed: Seeding, clock: Callable[[], float], serving: bool = False) -> Pipe:
    """Queue on `pipe` the commands that make the namespace hold `seed`, and where `reset` goes back to.

    A namespace `serving` keeps its change count and its processes, so a change after it waits as any does.
    """
    kept = {keys.version, keys.processes} if serving else set()
    pipe.delete(*(key for key in keys.all() if key not in kept))
    records = {task.task_id: _record_of(seed.tasks, task, clock).encode() for task in seed.tasks}
    items = list(records.items())
    for destination in (keys.tasks, keys.start_tasks):
        for start in range(0, len(items), SCAN):
            pipe.hset(destination, mapping=dict(items[start : start + SCAN]))
    for name, value in settings(seed).items():
        pipe.set(getattr(keys, name), value)
        pipe.set(getattr(keys, f"start_{name}"), value)
    pipe.hset(keys.next_left, mapping=next_left(seed.faults) or {"-": 0})
    if not serving:
        pipe.set(keys.version, 1)
    return pipe


def _record_of(tasks: TaskStore, task: Task, clock: Callable[[], float]) -> TaskRecord:
    live = tasks.live(task.task_id)
    if live is None:
        return TaskRecord(task)
    return TaskRecord(live.task, live.timeline, started=clock())


def settings(store: Seeding) -> dict[str, bytes]:
    """Return the settings of `store` as the namespace keeps them."""
    return {
        "account": encode_json(store.account),
        "faults": encode_json(store.faults.to_json()),
        "submissions": encode_json(store.submissions.to_json()),
    }


def apply_settings(store: Store, account: Any, faults: Any, submissions: Any) -> None:
    """Set this process's copy of the settings to the namespace's (None: not there, the default)."""
    store.account = json.loads(account) if account else {}
    store.faults = FaultPlan.from_json(json.loads(faults)) if faults else FaultPlan()
    if submissions:
        store.submissions = Submissions.restore(json.loads(submissions))


def next_left(faults: FaultPlan) -> dict[Any, Any]:
    """Return what is left of each fault's `next`, by the fault's index, as the namespace counts them down."""
    return {str(index): fault.next for index, fault in enumerate(faults.faults) if fault.next is not None}


def load(tasks: TaskStore, record: TaskRecord) -> None:
    """Put the task of `record` into this process's copy, where it stands on its timeline."""
    tasks.put(record.task, record.timeline, None, record.submitted, started=record.started, floor=record.floor)


def restarted(raw: bytes | str, clock: Callable[[], float]) -> bytes | str:
    """Return a starting task's record with its timeline, if any, starting now, as a reset in memory does."""
    record = TaskRecord.decode(raw)
    return replace(record, started=clock()).encode() if record.timeline is not None else raw


def text(value: bytes | str) -> str:
    """Return a key or value Redis gave as text."""
    return value.decode() if isinstance(value, bytes) else value
