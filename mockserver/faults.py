"""Faults on demand: latency, 5xx, 429, dropped connections and slow bodies, drawn from a seeded generator."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from .errors import FaultSpecError
from .schemas import bundled_schemas, ensure_valid
from .wire import JSONObject

SUBMIT_ROUTE = "submit"
"""The route name that stands for every submit endpoint."""
FAILED_TASK_MESSAGE = "The task failed (an injected fail_task fault)."
ROUTE_NAMES: list[str] = bundled_schemas().documents["mock/faults.json"]["$defs"]["fault"]["properties"]["route"][
    "enum"
]
"""The route names a fault spec may give, ``*`` for every route (read from the schemas)."""
ROUTES: dict[str, str] = {
    **{f"/{name}": name for name in ROUTE_NAMES if name not in ("*", SUBMIT_ROUTE)},
    **{
        document["x-submit"]["path"]: SUBMIT_ROUTE
        for name, document in bundled_schemas().documents.items()
        if name.startswith("submit/")
    },
}
"""The Apiframe paths faults can strike, by the route name a fault spec uses (read from the schemas)."""


class FaultKind(StrEnum):
    """What a fault does to a call."""

    LATENCY = "latency"
    ERROR = "error"
    RATE_LIMIT = "rate_limit"
    DROP = "drop"
    SLOW_BODY = "slow_body"
    FAIL_TASK = "fail_task"


@dataclass(slots=True)
class Fault:
    """One fault on one route (or ``*``); `next` counts down the calls it still strikes."""

    kind: FaultKind
    route: str = "*"
    probability: float | None = None
    next: int | None = None
    ms: float | None = None
    min_ms: float | None = None
    max_ms: float | None = None
    status: int = 500
    retry_after: int = 1
    chunk_bytes: int = 16
    delay_ms: float = 50
    message: str | None = None

    def strikes(self, draw: random.Random) -> bool:
        """Say whether this fault strikes the current call, drawing from `draw` if it is random."""
        if self.next is not None:
            if self.next <= 0:
                return False
            self.next -= 1
            return True
        if self.probability is not None:
            return draw.random() < self.probability
        return True

    def delay_s(self, draw: random.Random) -> float:
        """Return the latency this fault adds, in seconds."""
        if self.ms is not None:
            return self.ms / 1000
        return draw.uniform(self.min_ms or 0.0, self.max_ms or 0.0) / 1000

    def to_json(self) -> JSONObject:
        """Return the JSON form, `next` showing the calls it still strikes."""
        default = Fault(self.kind)
        return {
            item.name: str(value) if isinstance(value, FaultKind) else value
            for item in fields(self)
            if (value := getattr(self, item.name)) is not None
            and (item.name in ("kind", "route") or value != getattr(default, item.name))
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """What the faults do to one call: a delay, then at most one answer-changing fault, maybe a slow body."""

    delay_s: float = 0.0
    action: Fault | None = None
    slow: Fault | None = None


@dataclass(slots=True)
class FaultPlan:
    """The faults in force and the seeded generators they draw from, one per route."""

    faults: list[Fault] = field(default_factory=list)
    seed: int = 0
    _draws: dict[str, random.Random] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, value: object) -> FaultPlan:
        """Build a plan from ``{"seed": ..., "faults": [...]}``, or raise FaultSpecError naming the field."""
        value = ensure_valid("mock/faults.json", value, FaultSpecError, "faults are not valid")
        for number, spec in enumerate(value.get("faults", [])):
            if spec["kind"] == FaultKind.FAIL_TASK and spec.get("route", "*") not in ("*", SUBMIT_ROUTE):
                raise FaultSpecError(
                    f"faults are not valid: faults[{number}]: fail_task strikes submissions only, "
                    f"not route {spec['route']!r}; give route {SUBMIT_ROUTE!r} or '*'"
                )
        return cls(
            [_fault(spec) for spec in value.get("faults", [])],
            value.get("seed", 0),
        )

    def to_json(self) -> JSONObject:
        """Return the JSON form of the plan as it stands."""
        return {"seed": self.seed, "faults": [fault.to_json() for fault in self.faults]}

    def extended(self, faults: Sequence[Fault]) -> FaultPlan:
        """Return a new plan with `faults` added after these, the generators started afresh."""
        return FaultPlan([*self.faults, *faults], self.seed)

    def _draw(self, route: str) -> random.Random:
        draw = self._draws.get(route)
        if draw is None:
            # A generator per route keeps each route's sequence the same whatever the others receive.
            draw = self._draws[route] = random.Random(f"{self.seed}:{route}")
        return draw

    def decide(self, route: str, keyed: bool = True) -> Decision:
        """Decide what the faults do to the next call of `route`, `keyed` saying whether it carries a valid key.

        Latency, errors, drops and slow bodies stand for the infrastructure in front of the API, so they
        strike whatever the key. A rate limit is counted per account: a call without a valid key gets its
        401 and is neither limited nor counted (no draw, no `next` used up).
        """
        draw = self._draw(route)
        delay, action, slow = 0.0, None, None
        for fault in self.faults:
            unkeyed_limit = fault.kind is FaultKind.RATE_LIMIT and not keyed
            skipped = fault.kind is FaultKind.FAIL_TASK or fault.route not in ("*", route) or unkeyed_limit
            if skipped or not fault.strikes(draw):
                continue
            if fault.kind is FaultKind.LATENCY:
                delay += fault.delay_s(draw)
            elif fault.kind is FaultKind.SLOW_BODY:
                slow = slow or fault
            elif action is None:
                action = fault
        return Decision(delay, action, slow)

    def failure(self) -> str | None:
        """Return the message the task of the next submission fails with, if a fail_task fault strikes it."""
        draw = self._draw(SUBMIT_ROUTE)
        for fault in self.faults:
            if fault.kind is FaultKind.FAIL_TASK and fault.strikes(draw):
                return fault.message or FAILED_TASK_MESSAGE
        return None

    def __bool__(self) -> bool:
        return bool(self.faults)


def _fault(spec: dict[str, Any]) -> Fault:
    return Fault(**{**spec, "kind": FaultKind(spec["kind"])})
