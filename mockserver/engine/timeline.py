"""Timelines: a task that moves through statuses as it is polled or as time passes."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import TaskSpecError
from ..schemas import SchemaSet, bundled_schemas, ensure_valid, first_error
from ..wire import JSONObject, quote_id
from .factory import FAILED, FAILURE_MESSAGE, RECORD_FIELDS
from .task import Task

TIMELINE_KEY = "timeline"
"""The key under which a fixture file or control request carries a timeline; never served."""

_FAILURE_FIELDS = ("message", "error")


class Advance(StrEnum):
    """What moves a timeline on."""

    POLLS = "polls"
    SECONDS = "seconds"


@dataclass(frozen=True, slots=True)
class Timeline:
    """The steps a task shows, each lasting `every` polls or seconds unless its `after` says otherwise."""

    steps: tuple[JSONObject, ...]
    by: Advance = Advance.POLLS
    every: float = 1
    starts: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts, at = [], 0.0
        for step in self.steps:
            starts.append(at)
            at += float(step.get("after", self.every))
        object.__setattr__(self, "starts", tuple(starts))

    @classmethod
    def of(cls, *steps: str | Mapping[str, Any], by: Advance | str = Advance.POLLS, every: float = 1) -> Timeline:
        """Build a timeline from statuses (``"pending"``) or step objects (``{"status": ..., "percentage": "20"}``)."""
        return cls.from_json({"by": str(by), "every": every, "steps": [_step(step) for step in steps]})

    @classmethod
    def from_json(cls, value: object) -> Timeline:
        """Build a timeline from its JSON form, or raise TaskSpecError naming the broken field."""
        value = ensure_valid("mock/timeline.json", value, TaskSpecError, "timeline is not valid")
        return cls.restore({"by": value.get("by", "polls"), "every": value.get("every", 1), "steps": value["steps"]})

    @classmethod
    def restore(cls, value: JSONObject) -> Timeline:
        """Rebuild a timeline from the JSON form `to_json` wrote, which was valid when written."""
        return cls(tuple(dict(step) for step in value["steps"]), Advance(value["by"]), value["every"])

    def to_json(self) -> JSONObject:
        """Return the JSON form of this timeline."""
        return {"by": self.by.value, "every": self.every, "steps": [dict(step) for step in self.steps]}

    def index_at(self, progress: float) -> int:
        """Return the index of the step shown after `progress` polls or seconds."""
        index = 0
        for number, start in enumerate(self.starts):
            if start <= progress:
                index = number
        return index

    def view(self, task: JSONObject, step: JSONObject) -> JSONObject:
        """Return what `task` looks like at `step`: its result fields only once the step is finished.

        A failed step that says nothing of why takes the task's `message` (and `error`), else the
        message `add_task` gives a failed task, so that it shows a valid failed task.
        """
        shown = {key: value for key, value in step.items() if key != "after"}
        if shown["status"] == "finished":
            return {**task, **shown}
        if shown["status"] == FAILED and not any(key in shown for key in _FAILURE_FIELDS):
            why = {key: task[key] for key in _FAILURE_FIELDS if key in task}
            shown = {**shown, **(why or {"message": FAILURE_MESSAGE})}
        return {**{key: task[key] for key in RECORD_FIELDS if key in task}, **shown}

    def show(self, task: Task, index: int) -> Task:
        """Return the record `task` as its step `index` shows it (see `view`)."""
        return Task.from_fields(self.view(task.fields(), self.steps[index]))


def _step(step: str | Mapping[str, Any]) -> JSONObject:
    return {"status": step} if isinstance(step, str) else dict(step)


StepListener = Callable[[Task], None]
"""Told each step a live task comes to, with the task as that step shows it."""


@dataclass(slots=True)
class LiveTask:
    """A stored task that follows a timeline, counting its polls from when it was stored.

    A `listener` hears of every step the task comes to after the first, in order, whether a poll,
    the clock (when `refresh` is called) or `advance` brought it there.
    """

    task: Task
    timeline: Timeline
    clock: Callable[[], float] = time.monotonic
    listener: StepListener | None = None
    polls: int = 0
    started: float | None = None
    """When the task was stored, by `clock`; now, unless given."""
    floor: int = 0
    """The step index `advance` moved the task to; it never shows an earlier one."""
    heard: int = 0
    """The index of the last step the listener was told of."""
    views: list[Task | None] = field(default_factory=list, repr=False)
    """Each step's view once made: a step shows the same record however often it is polled."""

    def __post_init__(self) -> None:
        if self.started is None:
            self.started = self.clock()
        self.views = [None] * len(self.timeline.steps)

    def view(self, index: int) -> Task:
        """Return the task as its step `index` shows it."""
        shown = self.views[index]
        if shown is None:
            shown = self.views[index] = self.timeline.show(self.task, index)
        return shown

    def index(self) -> int:
        """Return the index of the step the task shows now."""
        progress = self.polls if self.timeline.by is Advance.POLLS else self.clock() - (self.started or 0.0)
        return max(self.timeline.index_at(progress), self.floor)

    def current(self) -> Task:
        """Return the task as it looks now, without counting a poll."""
        return self.view(self.index())

    def poll(self) -> Task:
        """Return the task as a fetch sees it now, and count the poll."""
        shown = self.current()
        self.polls += 1
        self.refresh()
        return shown

    def advance(self, to_end: bool = False) -> Task:
        """Move the task to its next step (its last, with `to_end`) at once and return it; TaskSpecError at its end."""
        last, index = len(self.timeline.steps) - 1, self.index()
        if index == last:
            raise TaskSpecError(
                f"task {quote_id(self.task.task_id)} is {self.current().status}, "
                "the last step of its timeline: it has no next step"
            )
        self.floor = last if to_end else index + 1
        self.refresh()
        return self.current()

    def refresh(self) -> None:
        """Tell the listener of each step the task came to since it was last told, in order."""
        if self.listener is None:
            self.heard = max(self.heard, self.index())
            return
        # Every change comes on the server's loop (the plugin's commands too), so each step is told once, in order.
        index = self.index()
        while self.heard < index:
            self.heard += 1
            self.listener(self.view(self.heard))


def check_views(task: JSONObject, timeline: Timeline, schemas: SchemaSet | None = None) -> None:
    """Raise TaskSpecError unless every step of `timeline` shows a valid task."""
    validator = (schemas or bundled_schemas()).validator("task.json")
    for number, step in enumerate(timeline.steps):
        problem = first_error(validator, timeline.view(task, step))
        if problem is not None:
            raise TaskSpecError(f"timeline step {number} ({step['status']}) would show an invalid task: {problem}")


def split_timeline(document: JSONObject) -> tuple[JSONObject, Timeline | None]:
    """Separate a task document from the timeline it may carry under `TIMELINE_KEY`."""
    if TIMELINE_KEY not in document:
        return document, None
    task = {key: value for key, value in document.items() if key != TIMELINE_KEY}
    return task, Timeline.from_json(document[TIMELINE_KEY])
