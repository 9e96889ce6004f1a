"""Moving a stored task on at once, by hand: to its next step, or to its end."""

from __future__ import annotations

from ...errors import TaskSpecError
from ...wire import quote_id
from ..factory import FINISHED, move_task
from ..task import Task
from .tasks import TaskStore

NEXT_STATUS = {
    "pending": "processing",
    "staged": "processing",
    "starting": "processing",
    "retrying": "processing",
    "retry": "processing",
    "processing": FINISHED,
}
"""Where a task with no timeline goes next; finished and failed are ends."""


def has_next_step(task: Task, position: tuple[int, int] | None) -> bool:
    """Say whether `advance_task` can move on the task showing `task`, at `position` (step, steps) on a timeline."""
    if position is not None:
        step, steps = position
        return step + 1 < steps
    return task.status in NEXT_STATUS


def advance_task(store: TaskStore, task_id: str, to_end: bool = False) -> Task | None:
    """Move the task `task_id` to its next step (its last with `to_end`) and return it; None if there is none.

    A task on a timeline moves along it, telling its webhook of each step; one without goes from any
    waiting status to processing, then to finished with its results. At its end, TaskSpecError says so.
    """
    task = store.get(task_id)
    if task is None:
        return None
    if store.timeline(task_id) is not None:
        return store.advance(task_id, to_end)
    if not has_next_step(task, None):
        raise TaskSpecError(f"task {quote_id(task_id)} is {task.status}, the end of its lifecycle: it has no next step")
    moved = Task.from_fields(move_task(task.fields(), FINISHED if to_end else NEXT_STATUS[task.status]))
    store.put(moved)
    return moved
