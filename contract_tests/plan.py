"""The plan of a run: which known ids each per-id rule asks for, what each test will cost, and room for retries.

A live run has a budget (`--max-requests`). Before anything is sent the plan counts what every selected
test will send (its explicit examples, its generated ones, and the ids it loops over), samples the
known ids (seeded: a replay sends the same ones) so that the per-id rules cost the same with 5 ids or
200, keeps room for the retries a 429, a dropped connection or a one-off 5xx cost, and refuses a run
that cannot fit rather than stopping it half-way.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hypothesis import Phase, settings

from mockserver.edges.v1.limits import MAX_TASK_IDS

from .target import Target

GROUND_REQUESTS = 1
"""The ground check's one request per API version the run checks."""
RETRY_SHARE = 1 / 15
MIN_RETRY_ROOM = 6
"""A budgeted run keeps this share of its budget (and at least this many requests) for retries."""
MOST_FETCHED = 5
"""The most known ids a budgeted run fetches one by one with /fetch; the rest of the sample goes by fetch-many."""
POLLS = 8
"""The most fetches of one submitted task: enough to see the mock's by-poll lifecycle end, few enough live."""
JOBS_READ = 4
"""The most v2 jobs read one by one from the account's first page: the list and each read cost one request."""
PAGES = 3
"""The most pages of GET /v2/jobs a run follows."""


class PlanError(Exception):
    """The run cannot fit its budget; the message says what it needs and what to change."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The ids the per-id rules ask for, the requests planned per rule, and the room kept for retries."""

    budget: int | None
    sampled: tuple[str, ...] = ()
    """The known ids the per-id rules ask for with fetch-many: all of them without a budget."""
    fetched: tuple[str, ...] = ()
    """Of `sampled`, the ids fetched one by one with /fetch."""
    planned: dict[str, int] = field(default_factory=dict)
    """Requests planned per rule; a test of several rules counts under each."""
    total: int = 0
    """Requests planned in all, the ground check included, each test counted once."""
    room: int = 0
    """Requests kept for retries."""

    def describe(self) -> dict[str, object]:
        """Return the plan as JSON-ready data."""
        return {
            "max_requests": self.budget,
            "planned": self.total,
            "room_for_retries": self.room,
            "sampled_ids": list(self.sampled),
            "fetched_ids": list(self.fetched),
            "planned_by_rule": self.planned,
        }


def chunks_of(count: int) -> int:
    """Return how many fetch-many requests ask for `count` ids, at most the maximum each."""
    return max(1, math.ceil(count / MAX_TASK_IDS))


def sample_ids(known: Sequence[str], seed: str, budgeted: bool) -> tuple[str, ...]:
    """Return the known ids the per-id rules ask for: all without a budget, else a seeded sample of at most 20."""
    if not budgeted or len(known) <= MAX_TASK_IDS:
        return tuple(known)
    chosen = set(random.Random(f"apiframe-contract:{seed}").sample(range(len(known)), MAX_TASK_IDS))
    return tuple(task_id for index, task_id in enumerate(known) if index in chosen)


def examples_per_test() -> int:
    """Return how many generated examples a Hypothesis test sends under the loaded profile (0 if none)."""
    current = settings()
    return current.max_examples if Phase.generate in current.phases else 0


Cost = Callable[[int, int, int], int]
"""A test's requests per example, given the ids fetched one by one, sampled ids and missing-field bodies."""
KINDS: dict[str, Cost] = {
    "fetched": lambda fetched, sampled, missing: fetched,
    "chunks": lambda fetched, sampled, missing: chunks_of(sampled),
    "twice per chunk": lambda fetched, sampled, missing: 2 * chunks_of(sampled),
    "missing": lambda fetched, sampled, missing: missing,
    "polls": lambda fetched, sampled, missing: POLLS,
    "jobs": lambda fetched, sampled, missing: 1 + JOBS_READ,
    "pages": lambda fetched, sampled, missing: PAGES,
}


@dataclass(frozen=True, slots=True)
class TestCost:
    """What one selected test sends: its examples, each costing `kind` (one request when None), and its rules."""

    rules: tuple[str, ...]
    examples: int
    kind: str | None = None
    missing: int = 0
    needs_known: bool = False
    submits: bool = False

    def requests(self, fetched: int, sampled: int) -> int:
        """Return the requests the test sends with `fetched` and `sampled` ids."""
        if self.needs_known and not sampled:
            return 0
        each = KINDS[self.kind](fetched, sampled, self.missing) if self.kind in KINDS else int(self.kind or 1)
        return self.examples * each


def plan_run(target: Target, seed: str, tests: Sequence[TestCost], grounds: int = 1) -> Plan:
    """Return the plan of `tests` against `target`, `grounds` ground checks included; PlanError if it cannot fit."""
    budget = target.max_requests
    sampled = sample_ids(target.known_ids, seed, budget is not None)
    allowed = target.allow_submissions
    kept = [test for test in tests if not test.submits or allowed is None or allowed > 0]
    room = retry_room(budget) if budget is not None else 0

    def total(fetched: int) -> int:
        return grounds * GROUND_REQUESTS + sum(test.requests(fetched, len(sampled)) for test in kept)

    fetched = len(sampled) if budget is None else min(len(sampled), MOST_FETCHED)
    while budget is not None and fetched > 1 and total(fetched) + room > budget:
        fetched -= 1
    needed = total(fetched) + room
    if budget is not None and needed > budget:
        raise PlanError(
            f"this run needs {needed} requests ({needed - room} for the ground check and the rules selected, "
            f"{room} kept for retries) and --max-requests is {budget}: raise --max-requests to {needed}, "
            "or leave rules out with -k"
        )
    planned: dict[str, int] = {}
    for test in kept:
        for rule_id in test.rules:
            planned[rule_id] = planned.get(rule_id, 0) + test.requests(fetched, len(sampled))
    return Plan(budget, sampled, sampled[:fetched], planned, total(fetched), room)


def retry_room(budget: int) -> int:
    """Return the requests a run with `budget` keeps for retries."""
    return max(MIN_RETRY_ROOM, math.ceil(budget * RETRY_SHARE))


def fit_budget(target: Target, needed: int) -> None:
    """Raise PlanError, before a case is sent, when `needed` requests and room for retries exceed the budget."""
    budget = target.max_requests
    if budget is not None and needed + retry_room(budget) > budget:
        total = needed + retry_room(budget)
        raise PlanError(
            f"this run needs {total} requests ({needed} planned, {retry_room(budget)} kept for retries) and "
            f"--max-requests is {budget}: raise --max-requests to {total}, or send fewer (--examples)"
        )
