"""How a submitted task moves from pending to its end: the pace settings and the timeline they give."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import SubmissionsSpecError
from ..schemas import ensure_valid
from ..wire import JSONObject
from .factory import FAILED
from .magic import FOREVER, Magic
from .timeline import Advance, Timeline

DEFAULT_EVERY = 1
"""The polls or seconds a step lasts when nothing says otherwise, as in a timeline."""
RUNNING_PERCENTAGES = (25, 50, 75)
NUMBER_PROGRESS = frozenset({"flux", "suno"})
"""Families whose pages show `percentage` as a number while running; the others show a digit string."""
RUNNING_STATUS = {"shorten": "starting"}
"""Families whose pages show a running task in another status than processing."""
NO_PROGRESS = frozenset({"seed", "shorten"})
"""Families whose pages show a running task without a percentage."""


@dataclass(frozen=True, slots=True)
class Pace:
    """What moves a submitted task on (polls or seconds), how long each step lasts, and its own steps if any."""

    by: Advance = Advance.POLLS
    every: float = DEFAULT_EVERY
    steps: tuple[JSONObject, ...] | None = None

    def merged(self, value: Mapping[str, Any]) -> Pace:
        """Return this pace with the `by`, `every` and `steps` that `value` gives."""
        steps = value.get("steps")
        by = Advance(value.get("by", self.by))
        # A step of 2 seconds says nothing about polls: changing what moves the task starts `every` afresh.
        every = value.get("every", self.every if by is self.by else DEFAULT_EVERY)
        return Pace(by, every, tuple(dict(step) for step in steps) if steps is not None else self.steps)

    def to_json(self) -> JSONObject:
        """Return the JSON form of this pace."""
        shown: JSONObject = {"by": self.by.value, "every": self.every}
        return {**shown, "steps": [dict(step) for step in self.steps]} if self.steps is not None else shown


COMMAND_LINE_PACE = Pace(Advance.SECONDS, 2)
"""`serve`: a step every 2 s, so an app polling every few seconds sees its task finish in about 8 s."""
PLUGIN_PACE = Pace(Advance.POLLS, 1)
"""The pytest plugin: a step per poll, deterministic, with no waiting."""


@dataclass(frozen=True, slots=True)
class Submissions:
    """The pace of every submit endpoint, and the endpoints (named without their slash) that have their own."""

    pace: Pace = PLUGIN_PACE
    endpoints: Mapping[str, Pace] = field(default_factory=dict)

    @classmethod
    def from_json(cls, value: object, known: Collection[str], base: Pace = PLUGIN_PACE) -> Submissions:
        """Build from schemas/mock/submissions.json's form on top of `base`, or raise SubmissionsSpecError."""
        value = ensure_valid("mock/submissions.json", value, SubmissionsSpecError, "submissions are not valid")
        pace = base.merged(value)
        endpoints: dict[str, Pace] = {}
        for name, own in value.get("endpoints", {}).items():
            if name not in known:
                raise SubmissionsSpecError(
                    f"submissions are not valid: endpoints has {name!r}, which is no submit endpoint; "
                    f"use one of {', '.join(sorted(known))}"
                )
            endpoints[name] = pace.merged(own)
        return cls(pace, endpoints)

    @classmethod
    def restore(cls, value: JSONObject) -> Submissions:
        """Rebuild settings from the JSON form `to_json` wrote, which was checked when first set."""
        pace = PLUGIN_PACE.merged(value)
        return cls(pace, {name: pace.merged(own) for name, own in value.get("endpoints", {}).items()})

    def to_json(self) -> JSONObject:
        """Return the JSON form of these settings."""
        shown = self.pace.to_json()
        if self.endpoints:
            shown["endpoints"] = {name: pace.to_json() for name, pace in self.endpoints.items()}
        return shown

    def pace_of(self, endpoint: str) -> Pace:
        """Return the pace of the submit endpoint `endpoint`."""
        return self.endpoints.get(endpoint, self.pace)


def running_steps(family: str) -> list[JSONObject]:
    """Return the steps a task of `family` shows between pending and its end, in the family's documented form."""
    status = RUNNING_STATUS.get(family, "processing")
    if family in NO_PROGRESS:
        return [{"status": status}]
    return [
        {"status": status, "percentage": value if family in NUMBER_PROGRESS else str(value)}
        for value in RUNNING_PERCENTAGES
    ]


def lifecycle(family: str, pace: Pace, magic: Magic, failure: str | None = None) -> Timeline:
    """Return the timeline of a task of `family` submitted at `pace`, bent by its `magic` values.

    A `failure` message (from a magic value or a fault) ends it in failed instead of finished.
    """
    steps = list(pace.steps or [{"status": "pending"}, *running_steps(family), {"status": "finished"}])
    failure = magic.fail or failure
    if failure is not None:
        steps[-1] = {"status": FAILED, "message": failure}
    if magic.stall:
        # The last running step lasts for ever: the task shows it until something moves it on.
        steps = [*steps[:-2], {**steps[-2], "after": FOREVER}, steps[-1]] if len(steps) > 1 else steps
    every = magic.every if magic.every is not None else pace.every * magic.stretch
    return Timeline(tuple(steps), pace.by, every)
