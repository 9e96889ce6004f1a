"""Each exchange the proxy passes on, judged by the suite's own rules: drift, flakes, the app's own problems.

The rules are the ones `contract` holds every answer to (`ledger.py`, TASK-FORWARD's task history
included) and the ones a single ordinary answer can show (a task, an account, a 401, the bounds); under
/v2/, v2's (`oracle_v2.py`, V2-JOB-FORWARD's job history included). What
production does on a bad moment is no drift: a 429, no answer at all, or a 5xx that the same request
does not get again is a flake; a 5xx that repeats is NO-5XX drift. What the app itself sent wrong (21 ids)
is listed apart, as is v1 refusing a v2 key (no vendor page says whether v1 takes one). Memory stays
bounded: at most `MAX_TASKS` tasks are followed, the one seen longest ago forgotten first, and at most
`MAX_KEPT` exchanges kept per finding.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.auth import V2_KEY_PREFIX
from mockserver.wording import counted

from ..exchange import Answer, Exchange
from ..ledger import Breach, Check, ledger_checks
from ..lifecycle import Task, lifecycle_problem, tasks_read
from ..oracle import (
    account_problem,
    error_401_problem,
    not_asked_problem,
    percentage_problem,
    schema_problem,
    status_problem,
    submit_answer_problem,
)
from ..oracle_v2 import V2_PREFIX
from ..strategies import MAX_IDS, MIN_IDS
from ..submissions import ENDPOINTS, SUBMIT_PATHS, guessed_because
from .v2 import V2Judge

MAX_TASKS = 10_000
"""The most tasks followed across the session for TASK-FORWARD; past it the one seen longest ago is dropped."""
MAX_KEPT = 20
"""The most exchanges kept per rule, flake kind or app problem: the rest are only counted."""
COVERED = frozenset({"POST /fetch-many", "POST /fetch", "GET /account", *(f"POST {path}" for path in SUBMIT_PATHS)})
"""The v1 routes the contract covers; any other (a HEAD, a CORS preflight) is forwarded and counted, but a path
under /v2/, which v2's rules judge."""
OTHER = "(other paths)"
"""Where paths not covered are counted once `MAX_TASKS` distinct ones have been."""
_SYNC = {endpoint.path: endpoint.sync for endpoint in ENDPOINTS.values() if not guessed_because(endpoint)}
"""Each submit path a vendor page shows, and whether it answers the finished task rather than its task_id: what
the others answer is the mock's guess, so their answers are held to the rules every answer keeps alone."""
_REFUSED = (400, 401, 403)
"""Statuses of a v1 refusing a key: AUTH-401's, and the 400 third-party code reports for a v2 key."""
_OWN = frozenset({"NO-5XX", "TASK-FORWARD"})
"""Ledger rules the watch judges its own way."""
_SINGLE = (("TASK-SCHEMA", schema_problem), ("TASK-STATUS", status_problem), ("TASK-PERCENTAGE", percentage_problem))


@dataclass(frozen=True, slots=True)
class Note:
    """Something seen that is not drift: a flake, or a problem of the app's own request."""

    reason: str
    first: Exchange


@dataclass(slots=True)
class Findings:
    """What one exchange showed: the rules it broke, and whether it was a flake or the app's own problem."""

    drift: dict[str, str] = field(default_factory=dict)
    flake: str = ""
    app: str = ""


@dataclass(slots=True)
class Watch:
    """Every exchange of the session, judged as it passes: the breaches per rule, the flakes, the app's problems."""

    latest: dict[str, Task] = field(default_factory=dict)
    """The last valid sighting of each task, by id: what TASK-FORWARD holds the next one to."""
    breaches: dict[str, list[Breach]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    checked: set[str] = field(default_factory=set)
    flakes: list[Note] = field(default_factory=list)
    app_problems: list[Note] = field(default_factory=list)
    not_covered: Counter[str] = field(default_factory=Counter)
    exchanges: int = 0
    too_long: int = 0
    """Answers passed on unjudged: longer than the proxy holds back to judge."""
    _failing: dict[tuple[str, str, bytes], int] = field(default_factory=dict)
    _checks: dict[str, tuple[Check, ...]] = field(default_factory=dict)
    _judged: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    _v2: V2Judge = field(default_factory=lambda: V2Judge(MAX_TASKS))

    def __post_init__(self) -> None:
        # NO-5XX is judged here, where a 5xx the same request does not get again is a flake, not drift; the
        # task rules below, where a task polled again unchanged is not validated again.
        self._checks = {rule: checks for rule, checks in ledger_checks().items() if rule not in _OWN}

    def judge(self, exchange: Exchange, key: str = "") -> Findings:
        """Judge one exchange (the app's `key` only to see which API it is for); return what it showed."""
        self.exchanges += 1
        request, answer = exchange.request, exchange.answer
        path = request.path.split("?", 1)[0]
        where = f"{request.method} {path}"
        v2 = path.startswith(V2_PREFIX)
        if where not in COVERED and not v2:
            # Paths are the app's to choose: past MAX_TASKS distinct ones, the rest are counted together.
            self.not_covered[where if where in self.not_covered or len(self.not_covered) < MAX_TASKS else OTHER] += 1
            return Findings()
        found = Findings(app="" if v2 else _app_problem(path, request.body, key, answer))
        if found.app:
            self._keep(self.app_problems, Note(found.app, exchange), "app")
        found.flake = self._flake(exchange)
        if found.flake:
            self._keep(self.flakes, Note(found.flake, exchange), "flake")
            return found
        assert answer is not None
        if v2:
            checked, found.drift = self._v2.judge(exchange)
            self.checked |= checked
        else:
            for rule, checks in self._checks.items():
                self.checked.add(rule)
                reason = next((problem for check in checks if (problem := check(exchange)) is not None), None)
                if reason is not None:
                    found.drift[rule] = reason
            found.drift.update(self._single(exchange, path, answer))
        for rule, reason in found.drift.items():
            self.counts[rule] += 1
            if len(kept := self.breaches.setdefault(rule, [])) < MAX_KEPT:
                kept.append(Breach(reason, exchange))
        self._forget_oldest_tasks()
        return found

    def _flake(self, exchange: Exchange) -> str:
        answer, request = exchange.answer, exchange.request
        if answer is None:
            return f"no answer from the upstream: {exchange.problem}"
        if answer.status == 429:
            return "the upstream answered 429 (rate limited)"
        same = (request.method, request.path, request.body or b"")
        if answer.status < 500:
            self._failing.pop(same, None)
            return ""
        if self._failing.pop(same, None) is not None:
            return ""  # the same request got a 5xx twice: that is the answer, judged as NO-5XX drift
        self._failing[same] = answer.status
        while len(self._failing) > MAX_KEPT:
            del self._failing[next(iter(self._failing))]
        return f"the upstream answered {answer.status} once; the same request again would tell a flake from drift"

    def _tasks(self, exchange: Exchange) -> dict[str, str]:
        found: dict[str, str] = {}
        self.checked.update(rule for rule, _ in _SINGLE)
        self.checked.add("TASK-FORWARD")
        for task in tasks_read(exchange):
            problems = self._problems(task)
            for rule, problem in problems:
                found.setdefault(rule, problem)
            if problems:
                continue  # a sighting that breaks the task's own rules is theirs to report, as in TaskHistory
            task_id = task["task_id"]
            before = self.latest.pop(task_id, None)
            self.latest[task_id] = task
            moved = lifecycle_problem(before, task) if before is not None and before != task else None
            if moved is not None:
                found.setdefault("TASK-FORWARD", f"task {task_id!r}: {moved}")
        return found

    def _problems(self, task: Task) -> tuple[tuple[str, str], ...]:
        """Return each task rule `task` breaks, judged once per distinct sighting: polling repeats them."""
        seen = json.dumps(task, sort_keys=True)
        if seen not in self._judged:
            checks = ((rule, check(task)) for rule, check in _SINGLE)
            self._judged[seen] = tuple((rule, problem) for rule, problem in checks if problem is not None)
            while len(self._judged) > MAX_TASKS:
                del self._judged[next(iter(self._judged))]
        return self._judged[seen]

    def _single(self, exchange: Exchange, path: str, answer: Answer) -> dict[str, str]:
        found = self._tasks(exchange)
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
        for rule, applies, judge in rules:
            if applies:
                self.checked.add(rule)
                if (reason := judge()) is not None:
                    found[rule] = reason
        found.update(_bounds(path, exchange.request.body, answer))
        return found

    def _keep(self, notes: list[Note], note: Note, kind: str) -> None:
        self.counts[kind] += 1
        if len(notes) < MAX_KEPT:
            notes.append(note)

    def _forget_oldest_tasks(self) -> None:
        latest = self.latest
        while len(latest) > MAX_TASKS:
            del latest[next(iter(latest))]


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


def _app_problem(path: str, body: bytes | None, key: str, answer: Answer | None) -> str:
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
