"""What a person does to the mock's tasks, the same through the plugin, the control API and the dashboard.

Each command goes through the store's interface, so it works on any store and every process sees it;
a caller words the refusals (an unknown id is None here) as its own interface does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Conflict, TaskSpecError
from ..wire import quote_id
from .factory import FAILED, move_task
from .store import Seed, Store
from .task import Task
from .timeline import Timeline, check_views

ADVANCE_TO = ("next", "end")
"""Where a task can be moved by hand: to its next step, or to its end."""


async def ensure_new(store: Store, task_id: str) -> None:
    """Raise Conflict if a stored task has the id `task_id`."""
    if await store.current(task_id) is not None:
        raise Conflict(f"task_id {quote_id(task_id)} already exists: change it with PATCH.")


async def add(
    store: Store, task: Task | Mapping[str, Any], timeline: Timeline | None = None, replace: bool = False
) -> Task:
    """Store the valid `task` (a record, or its flat fields), on `timeline` if given; Conflict if its id is taken.

    With `replace`, a task with its id is replaced instead.
    """
    __tracebackhide__ = True
    record = task if isinstance(task, Task) else Task.from_fields(task)
    if not replace:
        await ensure_new(store, record.task_id)
    if timeline is not None:
        check_views(record.fields(), timeline)
    await store.put_task(record, timeline)
    return record


async def set_status(store: Store, task_id: str, status: str, **fields: Any) -> Task | None:
    """Move the task `task_id` on to `status`, off any timeline, `fields` overriding; None if there is none."""
    __tracebackhide__ = True
    current = await store.current(task_id)
    if current is None:
        return None
    moved = Task.from_fields(move_task(current.fields(), status, **fields))
    # Stored without its timeline: a task set by hand stays where it was put.
    await store.put_task(moved)
    return moved


async def fail(store: Store, task_id: str, message: str | None = None) -> Task | None:
    """Fail the task `task_id` at once, with `message` if given; None if there is none."""
    return await set_status(store, task_id, FAILED, **({"message": message} if message is not None else {}))


async def advance(store: Store, task_id: str, to: str = "next") -> Task | None:
    """Move the task `task_id` to its next step, or its end (`to` one of `ADVANCE_TO`); None if there is none.

    TaskSpecError says a task at the end of its steps has no next one, or that `to` is not a place.
    """
    __tracebackhide__ = True
    if to not in ADVANCE_TO:
        raise TaskSpecError(f"to={to!r} is not one of {', '.join(map(repr, ADVANCE_TO))}")
    return await store.advance_task(task_id, to_end=to == "end")


async def reset(store: Store, seed: Seed | None = None) -> None:
    """Restore the state the store started from, or make `seed` the state (and what a reset restores from then on)."""
    if seed is None:
        await store.reset()
    else:
        await store.reseed(seed)
