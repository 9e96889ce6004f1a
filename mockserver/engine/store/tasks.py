"""The tasks as one process sees them: each an internal record (`Task`), fixed or moving along a timeline.

A fetch hands the edges records, never bytes: an edge encodes them in its own shape, and may keep each
record's encoding in `TaskStore.encodings` (the records are frozen, and a fixed task keeps its record
until it changes). Kept there, an encoding goes with its task: when it is removed, and with the whole
store when a reset puts a fresh one in its place.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..task import Task
from ..timeline import Advance, LiveTask, StepListener, Timeline

Encodings = dict[str, tuple[Task, bytes]]
"""The bytes an edge encoded a task's record to, by task_id, with the record they were encoded from."""

_VERSIONS = itertools.count()
"""Versions unique across every store, so an answer cached for one store never passes for another's."""


class TaskStore:
    """Task records by task_id: fixed ones as stored, ones on a timeline shown at the step they are at."""

    __slots__ = ("_clock", "_fixed", "_live", "_submitted", "_tasks", "encodings", "version")

    def __init__(
        self, tasks: Iterable[Task | Mapping[str, Any]] = (), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._tasks: dict[str, Task] = {}
        self._fixed: dict[str, Task] = {}
        self._live: dict[str, LiveTask] = {}
        self._submitted: set[str] = set()
        self._clock = clock
        self.encodings: Encodings = {}
        """What an edge encoded each task's record to (see `Encodings`), forgotten with the task."""
        self.version = next(_VERSIONS)
        for task in tasks:
            self.put(task)

    def put(
        self,
        task: Task | Mapping[str, Any],
        timeline: Timeline | None = None,
        listener: StepListener | None = None,
        submitted: bool = False,
        *,
        started: float | None = None,
        floor: int = 0,
    ) -> None:
        """Add `task` (on `timeline`, if given, whose steps `listener` hears of), or replace the one with its id.

        `task` is a record, or a task's flat fields (as `build_task` gives them).

        `submitted` says a submit endpoint created it, which the dashboard shows; a task put again keeps that.
        A task on a timeline starts now, at its first step, unless `started` (by the store's clock) and
        `floor` (the step it was moved to by hand) say otherwise.
        """
        self.version = next(_VERSIONS)
        record = task if isinstance(task, Task) else Task.from_fields(task)
        task_id = record.task_id
        self._tasks[task_id] = record
        if submitted:
            self._submitted.add(task_id)
        if timeline is None:
            self._live.pop(task_id, None)
            self._fixed[task_id] = record
        else:
            self._fixed.pop(task_id, None)
            self._live[task_id] = LiveTask(record, timeline, self._clock, listener, started=started, floor=floor)

    def live_ids(self) -> list[str]:
        """Return the ids of the tasks on a timeline."""
        return list(self._live)

    def polled_ids(self, task_ids: Iterable[str] | None = None) -> list[str]:
        """Return the ids, once each, of the tasks of `task_ids` (all, if None) on a timeline that moves by polls."""
        live = self._live
        wanted = dict.fromkeys(task_ids if task_ids is not None else live)
        return [task_id for task_id in wanted if task_id in live and live[task_id].timeline.by is Advance.POLLS]

    def set_polls(self, task_id: str, polls: int) -> None:
        """Set how often the task `task_id`, if it is on a timeline, was polled, as a shared store counts it."""
        live = self._live.get(task_id)
        if live is not None:
            live.polls = polls

    def live(self, task_id: str) -> LiveTask | None:
        """Return the task with `task_id` if it is on a timeline, as it moves along it; else None."""
        return self._live.get(task_id)

    def get(self, task_id: str) -> Task | None:
        """Return the task with `task_id` as a fetch would show it now (without counting a poll), or None."""
        live = self._live.get(task_id)
        return live.current() if live is not None else self._tasks.get(task_id)

    def stored(self, task_id: str) -> Task | None:
        """Return the task with `task_id` as it was stored (a timeline's final fields), or None."""
        return self._tasks.get(task_id)

    def timeline(self, task_id: str) -> Timeline | None:
        """Return the timeline the task with `task_id` follows, or None."""
        live = self._live.get(task_id)
        return live.timeline if live is not None else None

    def position(self, task_id: str) -> tuple[int, int] | None:
        """Return the index of the step the task with `task_id` shows and its number of steps; None off a timeline."""
        live = self._live.get(task_id)
        return (live.index(), len(live.timeline.steps)) if live is not None else None

    def submitted(self, task_id: str) -> bool:
        """Say whether a submit endpoint created the task with `task_id`."""
        return task_id in self._submitted

    def advance(self, task_id: str, to_end: bool = False) -> Task | None:
        """Move the task with `task_id` along its timeline at once (see `LiveTask.advance`); None if it has none."""
        live = self._live.get(task_id)
        if live is None:
            return None
        self.version = next(_VERSIONS)
        return live.advance(to_end)

    def refresh(self, task_id: str) -> None:
        """Let the listener of the task with `task_id` hear of the steps the clock has brought it to."""
        live = self._live.get(task_id)
        if live is not None:
            live.refresh()

    def remove(self, task_id: str) -> bool:
        """Forget the task with `task_id`; say whether there was one."""
        self.version = next(_VERSIONS)
        self._fixed.pop(task_id, None)
        self._live.pop(task_id, None)
        self._submitted.discard(task_id)
        self.encodings.pop(task_id, None)
        return self._tasks.pop(task_id, None) is not None

    def copy(self) -> TaskStore:
        """Return an independent store holding the same tasks, timelines started afresh."""
        # Skipping __init__ is what makes the plugin's per-test reset cheap; the records are frozen, so shared.
        clone = TaskStore.__new__(TaskStore)
        clone._clock = self._clock
        clone.encodings = {}
        clone.version = next(_VERSIONS)
        clone._tasks = dict(self._tasks)
        clone._fixed = dict(self._fixed)
        clone._submitted = set(self._submitted)
        clone._live = {key: LiveTask(live.task, live.timeline, self._clock) for key, live in self._live.items()}
        return clone

    def poll(self, task_id: str) -> Task | None:
        """Return the task with `task_id` as fetched now (a poll of a task on a timeline), or None."""
        fixed = self._fixed.get(task_id)
        if fixed is not None:
            return fixed
        live = self._live.get(task_id)
        return live.poll() if live is not None else None

    def steady_for(self, task_ids: Iterable[str]) -> bool:
        """Say whether an answer about `task_ids` depends on `version` alone: none of them moves on by itself."""
        live = self._live
        return not live or not any(task_id in live for task_id in task_ids)

    def poll_many(self, task_ids: Iterable[str]) -> list[Task]:
        """Return the tasks of the known ids in request order, once per ask; unknown ids left out.

        A task on a timeline counts one poll per request, however often the request names it.
        """
        # Each id is looked up once (get, not `in` then index): one dict lookup per id on the hot path.
        fixed = self._fixed
        if not self._live:
            return [task for task in map(fixed.get, task_ids) if task is not None]
        polled: dict[str, Task] = {}
        found: list[Task] = []
        for task_id in task_ids:
            task = fixed.get(task_id)
            if task is None and (live := self._live.get(task_id)) is not None:
                task = polled.get(task_id)
                if task is None:
                    task = polled[task_id] = live.poll()
            if task is not None:
                found.append(task)
        return found

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[Task]:
        return iter([self.get(task_id) or task for task_id, task in self._tasks.items()])
