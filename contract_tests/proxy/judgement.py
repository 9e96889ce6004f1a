"""What one v1 exchange shows by itself: the rules its answer breaks, the tasks it shows, the app's own problem.

None of it depends on what came before, so an exchange seen again (an app polling a task that has not
moved gets the same bytes back) is judged once: `Judge` keeps the last `REMEMBERED` judgements by the
exchange as shown. What does depend on the session (a task moving back, a 5xx that repeats) is the watch's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.auth import V2_KEY_PREFIX
from mockserver.wording import counted

from ..exchange import Answer, Exchange
from ..ledger import Check, ledger_checks
from ..lifecycle import Task, tasks_read
from ..oracle import (
    KEY_REFUSED,
    account_problem,
    error_401_problem,
    not_asked_problem,
    percentage_problem,
    schema_problem,
    status_problem,
    submit_answer_problem,
)
from ..strategies import MAX_IDS, MIN_IDS
from ..submissions import ENDPOINTS, SUBMIT_PATHS, guessed_because

COVERED = frozenset({"POST /fetch-many", "POST /fetch", "GET /account", *(f"POST {path}" for path in SUBMIT_PATHS)})
"""The v1 routes the contract covers; any other (a HEAD, a CORS preflight) is forwarded and counted."""
REMEMBERED = 1_000
"""The most judgements (and distinct task sightings) kept to be reused; the one kept longest is dropped first."""
REMEMBERED_BYTES = 16 << 10
"""The longest answer (or task) whose judgement is kept: a longer one is judged each time, so that what is kept
stays within some tens of megabytes however large the answers."""
_SYNC = {endpoint.path: endpoint.sync for endpoint in ENDPOINTS.values() if not guessed_because(endpoint)}
"""Each submit path a vendor page shows, and whether it answers the finished task rather than its task_id: what
the others answer is the mock's guess, so their answers are held to the rules every answer keeps alone."""
_REFUSED = (400, *KEY_REFUSED)
"""Statuses of a v1 refusing a key: AUTH-401's, and the 400 third-party code reports for a v2 key."""
OWN = frozenset({"NO-5XX", "TASK-FORWARD"})
"""Ledger rules the watch judges its own way, across the session."""
_SINGLE = (("TASK-SCHEMA", schema_problem), ("TASK-STATUS", status_problem), ("TASK-PERCENTAGE", percentage_problem))


@dataclass(frozen=True, slots=True)
class Judgement:
    """What one answered exchange shows alone: rules broken and checked, valid task sightings, the app's problem."""

    drift: dict[str, str]
    checked: frozenset[str]
    tasks: tuple[Task, ...]
    """The tasks shown that keep their own rules: what TASK-FORWARD follows across the session."""
    app: str


@dataclass(slots=True)
class Judge:
    """Judges v1 exchanges one by one, reusing the judgement of one seen before."""

    _checks: dict[str, tuple[Check, ...]] = field(default_factory=dict)
    _seen: dict[tuple[int, bool], tuple[Exchange, Judgement]] = field(default_factory=dict)
    """Judgements by the identity of the exchange (kept in the entry, so its id is not reused): hashing an
    exchange's every header and body costs more than finding it."""
    _tasks: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._checks = {rule: checks for rule, checks in ledger_checks().items() if rule not in OWN}

    def covers(self, where: str) -> bool:
        """Say whether the contract covers the route `where` ("POST /fetch")."""
        return where in COVERED

    def judge(self, exchange: Exchange, path: str, key: str) -> Judgement:
        """Return the judgement of `exchange` to `path` (the app's `key` only to tell v1's from v2's).

        An exchange without an answer shows no more than what the app sent wrong.
        """
        if exchange.answer is None:
            return Judgement({}, frozenset(), (), app_problem(path, exchange.request.body, key, None))
        if len(exchange.answer.raw) > REMEMBERED_BYTES:
            return self._judge(exchange, path, key)
        seen = (id(exchange), key.startswith(V2_KEY_PREFIX))
        entry = self._seen.pop(seen, None)
        found = entry[1] if entry is not None and entry[0] is exchange else self._judge(exchange, path, key)
        self._seen[seen] = (exchange, found)
        bound(self._seen)
        return found

    def _judge(self, exchange: Exchange, path: str, key: str) -> Judgement:
        answer = exchange.answer
        assert answer is not None
        drift: dict[str, str] = {}
        checked = {*self._checks, *(rule for rule, _ in _SINGLE), "TASK-FORWARD"}
        for rule, checks in self._checks.items():
            reason = next((problem for check in checks if (problem := check(exchange)) is not None), None)
            if reason is not None:
                drift[rule] = reason
        valid = []
        for task in tasks_read(exchange):
            problems = self._problems(task)
            for rule, problem in problems:
                drift.setdefault(rule, problem)
            if not problems:
                valid.append(task)  # a sighting that breaks the task's own rules is theirs to report, as in TaskHistory
        rules: tuple[tuple[str, bool, Callable[[], str | None]], ...] = (
            ("NO-5XX", answer.status >= 500, lambda: f"the server answered {answer.status} to the same request twice"),
            ("AUTH-401", answer.status == 401, lambda: error_401_problem(answer)),
            ("ACCOUNT", path == "/account" and answer.status == 200, lambda: account_problem(answer)),
            ("IDS-NOT-ASKED", path == "/fetch-many" and answer.status == 200, lambda: _not_asked(exchange)),
            (
                "SUBMIT-OK",
                path in _SYNC and answer.status == 200,
                lambda: submit_answer_problem(path, _SYNC[path], answer),
            ),
        )
        for rule, applies, ruling in rules:
            if applies:
                checked.add(rule)
                if (reason := ruling()) is not None:
                    drift[rule] = reason
        drift.update(_bounds(path, exchange.request.body, answer))
        return Judgement(drift, frozenset(checked), tuple(valid), app_problem(path, exchange.request.body, key, answer))

    def _problems(self, task: Task) -> tuple[tuple[str, str], ...]:
        """Return each task rule `task` breaks, judged once per distinct sighting: polling repeats them."""
        seen = json.dumps(task, sort_keys=True)
        found = self._tasks.pop(seen, None)
        if found is None:
            checks = ((rule, check(task)) for rule, check in _SINGLE)
            found = tuple((rule, problem) for rule, problem in checks if problem is not None)
        if len(seen) <= REMEMBERED_BYTES:
            self._tasks[seen] = found
            bound(self._tasks)
        return found


def bound(kept: dict[Any, Any]) -> None:
    """Drop the entries of `kept` put in longest ago, past `REMEMBERED`."""
    while len(kept) > REMEMBERED:
        del kept[next(iter(kept))]


def _asked(body: bytes | None) -> list[Any] | None:
    try:
        value = json.loads(body or b"")
    except (ValueError, RecursionError):
        return None
    ids = value.get("task_ids") if isinstance(value, dict) else None
    return ids if isinstance(ids, list) else None


def _not_asked(exchange: Exchange) -> str | None:
    asked = _asked(exchange.request.body)
    if asked is None or exchange.answer is None:
        return None  # a body too long to keep whole, or not JSON: what was asked for is not known
    return not_asked_problem(asked, exchange.answer)


def _bounds(path: str, body: bytes | None, answer: Answer) -> dict[str, str]:
    ids = _asked(body) if path == "/fetch-many" else None
    if ids is None or not all(isinstance(item, str) for item in ids) or answer.status not in (200, 400):
        return {}
    if len(ids) < MIN_IDS and answer.status == 200:
        return {"BOUNDS-TOO-FEW": f"{len(ids)} id(s) were accepted (200); fewer than {MIN_IDS} get 400"}
    if len(ids) > MAX_IDS and answer.status == 200:
        return {"BOUNDS-TOO-MANY": f"{len(ids)} ids were accepted (200); more than {MAX_IDS} get 400"}
    if MIN_IDS <= len(ids) <= MAX_IDS and answer.status == 400:
        return {"BOUNDS-ACCEPTED": f"{len(ids)} ids were refused (400); {MIN_IDS} to {MAX_IDS} are accepted"}
    return {}


def app_problem(path: str, body: bytes | None, key: str, answer: Answer | None) -> str:
    """Say what the app itself sent wrong ("" for nothing): too few or many ids, or a v2 key v1 refused."""
    # Only third-party code says v1 refuses v2 keys: one it takes is no problem, one it refuses is told apart.
    if key.startswith(V2_KEY_PREFIX) and answer is not None and answer.status in _REFUSED:
        return (
            f"v1 refused an `{V2_KEY_PREFIX}` key (v2's format) at {path} with {answer.status}: "
            "no vendor page says whether v1 takes v2 keys"
        )
    ids = _asked(body) if path == "/fetch-many" else None
    if ids is not None and not MIN_IDS <= len(ids) <= MAX_IDS:
        return f"the app sent {counted(len(ids), 'id')} to /fetch-many; it takes {MIN_IDS} to {MAX_IDS}"
    return ""
