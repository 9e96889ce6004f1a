"""Faults on demand: latency, 5xx, 429, dropped connections and slow bodies, drawn from a seeded generator."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from ..errors import FaultSpecError
from ..schemas import bundled_schemas, ensure_valid
from ..wire import JSONObject

SUBMIT_ROUTE = "submit"
"""The route name that stands for every submit endpoint."""
FAILED_TASK_MESSAGE = "The task failed (an injected fail_task fault)."
FAIL_TASK_ROUTE = "submit:fail_task"
"""What fail_task faults count their calls as, apart from the faults of the submit route's answers."""
ROUTE_NAMES: list[str] = bundled_schemas().documents["mock/faults.json"]["$defs"]["fault"]["properties"]["route"][
    "enum"
]
"""The route names a fault spec may give, ``*`` for every route (read from the schemas); edges map paths to them."""


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

    def strikes(self, draw: random.Random, counted: bool) -> bool:
        """Say whether this fault strikes the call: `counted` if it is one of its `next`, else drawn from `draw`."""
        if self.next is not None:
            return counted
        if self.probability is not None:
            return draw.random() < self.probability
        return True

    def applies(self, route: str, keyed: bool) -> bool:
        """Say whether this fault may strike a call of `route` (`keyed`: carrying a valid key).

        Latency, errors, drops and slow bodies stand for the infrastructure in front of the API, so they
        strike whatever the key. A rate limit is counted per account: a call without a valid key gets its
        401 and is neither limited nor counted.
        """
        unkeyed_limit = self.kind is FaultKind.RATE_LIMIT and not keyed
        return self.kind is not FaultKind.FAIL_TASK and self.route in ("*", route) and not unkeyed_limit

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
    _calls: dict[str, int] = field(default_factory=dict, repr=False)

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

    def copy(self) -> FaultPlan:
        """Return a plan of the same faults as they stand, its own to count down, its calls counted afresh."""
        return FaultPlan([replace(fault) for fault in self.faults], self.seed)

    def to_json(self) -> JSONObject:
        """Return the JSON form of the plan as it stands."""
        return {"seed": self.seed, "faults": [fault.to_json() for fault in self.faults]}

    def counted(self, route: str, keyed: bool = True) -> list[int]:
        """Return the indices of the faults a call of `route` uses one of the `next` of, if any is left."""
        return [
            index for index, fault in enumerate(self.faults) if fault.next is not None and fault.applies(route, keyed)
        ]

    def failing(self) -> list[int]:
        """Return the indices of the fail_task faults a submission uses one of the `next` of, if any is left."""
        return [index for index, fault in enumerate(self.faults) if fault.kind is FaultKind.FAIL_TASK and fault.next]

    def has_failures(self) -> bool:
        """Say whether any fail_task fault is in the plan."""
        return any(fault.kind is FaultKind.FAIL_TASK for fault in self.faults)

    def take(self, indices: list[int]) -> set[int]:
        """Use one of the `next` of each fault at `indices` that has any left; return those that had."""
        taken = set()
        for index in indices:
            fault = self.faults[index]
            if fault.next:
                fault.next -= 1
                taken.add(index)
        return taken

    def call_number(self, route: str) -> int:
        """Count a call of `route` in this plan and return its number, from 1."""
        self._calls[route] = self._calls.get(route, 0) + 1
        return self._calls[route]

    def decide(self, route: str, keyed: bool = True) -> Decision:
        """Decide what the faults do to the next call of `route` counted here (see `decision`)."""
        return self.decision(route, self.call_number(route), self.take(self.counted(route, keyed)), keyed)

    def decision(self, route: str, call: int, taken: set[int], keyed: bool = True) -> Decision:
        """Decide what the faults do to call number `call` of `route`, `taken` the faults whose `next` it used.

        Random faults draw from a generator seeded by the seed, the route and the call's number, so the
        same seed gives the same sequence whichever process (or store) counts the calls.
        """
        draw = random.Random(f"{self.seed}:{route}:{call}")
        delay, action, slow = 0.0, None, None
        for index, fault in enumerate(self.faults):
            if not fault.applies(route, keyed) or not fault.strikes(draw, index in taken):
                continue
            if fault.kind is FaultKind.LATENCY:
                delay += fault.delay_s(draw)
            elif fault.kind is FaultKind.SLOW_BODY:
                slow = slow or fault
            elif action is None:
                action = fault
        return Decision(delay, action, slow)

    def failure(self) -> str | None:
        """Return the message the task of the next submission fails with (see `failure_of`)."""
        if not self.has_failures():
            return None
        return self.failure_of(self.call_number(FAIL_TASK_ROUTE), self.take(self.failing()))

    def failure_of(self, call: int, taken: set[int]) -> str | None:
        """Return the message submission number `call` fails with, if a fail_task fault strikes it."""
        draw = random.Random(f"{self.seed}:{FAIL_TASK_ROUTE}:{call}")
        for index, fault in enumerate(self.faults):
            if fault.kind is FaultKind.FAIL_TASK and fault.strikes(draw, index in taken):
                return fault.message or FAILED_TASK_MESSAGE
        return None

    def __bool__(self) -> bool:
        return bool(self.faults)


def _fault(spec: dict[str, Any]) -> Fault:
    return Fault(**{**spec, "kind": FaultKind(spec["kind"])})
