"""Timelines: a task that moves through statuses as it is polled or as time passes."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import TaskSpecError
from .factory import FAILURE_MESSAGE
from .schemas import SchemaSet, bundled_schemas, ensure_valid, first_error
from .wire import JSONObject

TIMELINE_KEY = "timeline"
"""The key under which a fixture file or control request carries a timeline; never served."""

_IDENTITY = ("task_id", "task_type")
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
        return cls(
            tuple(dict(step) for step in value["steps"]), Advance(value.get("by", "polls")), value.get("every", 1)
        )

    def to_json(self) -> JSONObject:
        """Return the JSON form of this timeline."""
        return {"by": self.by.value, "every": self.every, "steps": [dict(step) for step in self.steps]}

    def step_at(self, progress: float) -> JSONObject:
        """Return the step shown after `progress` polls or seconds."""
        index = 0
        for number, start in enumerate(self.starts):
            if start <= progress:
                index = number
        return self.steps[index]

    def view(self, task: JSONObject, step: JSONObject) -> JSONObject:
        """Return what `task` looks like at `step`: its result fields only once the step is finished.

        A failed step that says nothing of why takes the task's `message` (and `error`), else the
        message `add_task` gives a failed task, so that it shows a valid failed task.
        """
        shown = {key: value for key, value in step.items() if key != "after"}
        if shown["status"] == "finished":
            return {**task, **shown}
        if shown["status"] == "failed" and not any(key in shown for key in _FAILURE_FIELDS):
            why = {key: task[key] for key in _FAILURE_FIELDS if key in task}
            shown = {**shown, **(why or {"message": FAILURE_MESSAGE})}
        return {**{key: task[key] for key in _IDENTITY if key in task}, **shown}


def _step(step: str | Mapping[str, Any]) -> JSONObject:
    return {"status": step} if isinstance(step, str) else dict(step)


@dataclass(slots=True)
class LiveTask:
    """A stored task that follows a timeline, counting its polls from when it was stored."""

    task: JSONObject
    timeline: Timeline
    clock: Callable[[], float] = time.monotonic
    polls: int = 0
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def current(self) -> JSONObject:
        """Return the task as it looks now, without counting a poll."""
        progress = self.polls if self.timeline.by is Advance.POLLS else self.clock() - self.started
        return self.timeline.view(self.task, self.timeline.step_at(progress))

    def poll(self) -> JSONObject:
        """Return the task as a fetch sees it now, and count the poll."""
        shown = self.current()
        self.polls += 1
        return shown


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
