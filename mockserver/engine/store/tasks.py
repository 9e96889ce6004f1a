"""The in-memory task store, keeping each task's JSON encoded once so a fetch of many only joins bytes."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator

from ...wire import JSONObject, encode_json
from ..timeline import Advance, LiveTask, StepListener, Timeline

_VERSIONS = itertools.count()
"""Versions unique across every store, so an answer cached for one store never passes for another's."""


class TaskStore:
    """Task objects by task_id: fixed ones pre-encoded, ones on a timeline rendered as they are polled."""

    __slots__ = ("_clock", "_encoded", "_live", "_submitted", "_tasks", "version")

    def __init__(self, tasks: Iterable[JSONObject] = (), clock: Callable[[], float] = time.monotonic) -> None:
        self._tasks: dict[str, JSONObject] = {}
        self._encoded: dict[str, bytes] = {}
        self._live: dict[str, LiveTask] = {}
        self._submitted: set[str] = set()
        self._clock = clock
        self.version = next(_VERSIONS)
        for task in tasks:
            self.put(task)

    def put(
        self,
        task: JSONObject,
        timeline: Timeline | None = None,
        listener: StepListener | None = None,
        submitted: bool = False,
        *,
        started: float | None = None,
        floor: int = 0,
    ) -> None:
        """Add `task` (on `timeline`, if given, whose steps `listener` hears of), or replace the one with its id.

        `submitted` says a submit endpoint created it, which the dashboard shows; a task put again keeps that.
        A task on a timeline starts now, at its first step, unless `started` (by the store's clock) and
        `floor` (the step it was moved to by hand) say otherwise.
        """
        self.version = next(_VERSIONS)
        task_id = task["task_id"]
        self._tasks[task_id] = task
        if submitted:
            self._submitted.add(task_id)
        if timeline is None:
            self._live.pop(task_id, None)
            self._encoded[task_id] = encode_json(task)
        else:
            self._encoded.pop(task_id, None)
            self._live[task_id] = LiveTask(task, timeline, self._clock, listener, started=started, floor=floor)

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

    def get(self, task_id: str) -> JSONObject | None:
        """Return the task with `task_id` as a fetch would show it now (without counting a poll), or None."""
        live = self._live.get(task_id)
        return live.current() if live is not None else self._tasks.get(task_id)

    def stored(self, task_id: str) -> JSONObject | None:
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

    def advance(self, task_id: str, to_end: bool = False) -> JSONObject | None:
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
        self._encoded.pop(task_id, None)
        self._live.pop(task_id, None)
        self._submitted.discard(task_id)
        return self._tasks.pop(task_id, None) is not None

    def copy(self) -> TaskStore:
        """Return an independent store holding the same tasks, timelines started afresh."""
        # Skipping __init__ and the encoder is what makes the plugin's per-test reset cheap.
        clone = TaskStore.__new__(TaskStore)
        clone._clock = self._clock
        clone.version = next(_VERSIONS)
        clone._tasks = dict(self._tasks)
        clone._encoded = dict(self._encoded)
        clone._submitted = set(self._submitted)
        clone._live = {key: LiveTask(live.task, live.timeline, self._clock) for key, live in self._live.items()}
        return clone

    def encoded(self, task_id: str) -> bytes | None:
        """Return the encoded JSON of the task with `task_id` as fetched now (a poll), or None."""
        encoded = self._encoded.get(task_id)
        if encoded is not None:
            return encoded
        live = self._live.get(task_id)
        return encode_json(live.poll()) if live is not None else None

    def steady_for(self, task_ids: Iterable[str]) -> bool:
        """Say whether an answer about `task_ids` depends on `version` alone: none of them moves on by itself."""
        live = self._live
        return not live or not any(task_id in live for task_id in task_ids)

    def fetch_many_parts(self, task_ids: Iterable[str]) -> list[bytes]:
        """Return the encoded tasks of the known ids in request order, once per ask; unknown ids left out.

        A task on a timeline counts one poll per request, however often the request names it.
        """
        # Each id is looked up once (get, not `in` then index): one dict lookup per id on the hot path.
        encoded = self._encoded
        if not self._live:
            return [part for part in map(encoded.get, task_ids) if part is not None]
        polled: dict[str, bytes] = {}
        parts: list[bytes] = []
        for task_id in task_ids:
            part = encoded.get(task_id)
            if part is None and (live := self._live.get(task_id)) is not None:
                part = polled.get(task_id)
                if part is None:
                    part = polled[task_id] = encode_json(live.poll())
            if part is not None:
                parts.append(part)
        return parts

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[JSONObject]:
        return iter([self.get(task_id) or task for task_id, task in self._tasks.items()])
