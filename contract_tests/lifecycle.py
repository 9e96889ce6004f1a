"""A task across reads: production does not stand still, so a task read twice may have moved on between them.

Moving on is no difference: pending, staged or starting, then processing (retrying in between), then
finished or failed, with a percentage that never falls. What is reported (TASK-FORWARD) is a task that
moves back, changes its `task_type`, or, once finished, changes its results. Results are compared
as the schemas see them (`normalise`), so a URL signed afresh or a timestamp is no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .exchange import Exchange
from .normalise import bundled_contract, normalise
from .oracle import percentage_problem, schema_problem, status_problem, step_problem, tasks_of

Task = dict[str, Any]


def tasks_read(exchange: Exchange) -> list[Task]:
    """Return the tasks a 200 answer of /fetch-many or /fetch shows, each with a string `task_id`."""
    answer = exchange.answer
    if answer is None or answer.status != 200:
        return []
    path = exchange.request.path
    found = tasks_of(answer) if path == "/fetch-many" else [answer.body] if path == "/fetch" else []
    return [task for task in found if isinstance(task, dict) and isinstance(task.get("task_id"), str)]


def lifecycle_problem(before: Task, after: Task) -> str | None:
    """Say how `after` is no later state of `before`: moved back, another task_type, other finished results."""
    problem = moved_back(before, after)
    if problem is None and before.get("status") == "finished" == after.get("status"):
        old, new = results(before), results(after)
        changed = sorted(name for name in {*old, *new} if old.get(name) != new.get(name))
        problem = f"its results changed once finished: {', '.join(changed)}" if changed else None
    return problem


def moved_on(before: Task, after: Task) -> bool:
    """Say whether `after` is a later state of `before`: the same task_type, another status or percentage, not back."""
    later = [task.get(name) for task in (before, after) for name in ("status", "percentage")]
    same_type = before.get("task_type") == after.get("task_type")
    return same_type and later[:2] != later[2:] and step_problem(before, after) is None


def moved_back(before: Task, after: Task) -> str | None:
    """Say how `after` went back from `before` (status, percentage) or changed its task_type; None if it did not."""
    if before.get("task_type") != after.get("task_type"):
        return f"task_type changed from {before.get('task_type')!r} to {after.get('task_type')!r}"
    return step_problem(before, after)


def results(task: Task) -> dict[str, Any]:
    """Return the fields of `task` that its schema names, normalised (a URL is ``<url>``, a string ``<string>``)."""
    contract = bundled_contract()
    node = contract.node("task.json")
    named = contract.properties(task, node)
    shown = normalise(task, node, [str(task.get("task_id"))], contract)
    return {name: value for name, value in shown.items() if name in named} if isinstance(shown, dict) else {}


@dataclass(slots=True)
class TaskHistory:
    """The latest sighting of each task, by id, to hold every later sighting to the lifecycle."""

    latest: dict[str, Task] = field(default_factory=dict)

    def see(self, task: Task) -> tuple[Task | None, str | None]:
        """Record a sighting of `task`; return the sighting before it (None for the first) and how it moved back.

        A sighting that breaks the task's own rules (TASK-SCHEMA, -STATUS, -PERCENTAGE) is theirs to report:
        it is neither judged nor kept.
        """
        if any(check(task) is not None for check in (schema_problem, status_problem, percentage_problem)):
            return None, None
        before = self.latest.get(task["task_id"])
        self.latest[task["task_id"]] = task
        return before, lifecycle_problem(before, task) if before is not None else None

    def check(self, exchange: Exchange) -> str | None:
        """Record every task `exchange` shows; say how the first that moved back did, or None."""
        problems = [(task["task_id"], self.see(task)[1]) for task in tasks_read(exchange)]
        return next((f"task {task_id!r}: {problem}" for task_id, problem in problems if problem), None)
