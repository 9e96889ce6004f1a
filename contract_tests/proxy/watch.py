"""Each exchange the proxy passes on, judged by the suite's own rules: drift, flakes, the app's own problems.

The rules are the ones `contract` holds every answer to (`ledger.py`, TASK-FORWARD's task history
included) and the ones a single ordinary answer can show (a task, an account, a 401, the bounds); under
/v2/, v2's (`oracle_v2.py`, V2-JOB-FORWARD's job history included). What production does on a bad
moment is no drift: a 429, no answer at all, or a 5xx that the same request does not get again is a
flake; a 5xx that repeats is NO-5XX drift. What the app itself sent wrong (21 ids) is listed apart, as is
v1 refusing a v2 key (no vendor page says whether v1 takes one). Each path is judged by the judge of its
API version (the mock's edge it is under: `judges`); a route no judge covers is forwarded and counted as
not covered. Memory stays bounded: at most `MAX_TASKS` tasks are followed, the one seen
longest ago forgotten first, and at most `MAX_KEPT` exchanges kept per finding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from mockserver.edges import edge_for

from ..exchange import Exchange
from ..ledger import Breach
from ..lifecycle import Task, lifecycle_problem
from .judgement import Judge, Judgement
from .v2 import V2Judge

MAX_TASKS = 10_000
"""The most tasks followed across the session for TASK-FORWARD; past it the one seen longest ago is dropped."""
MAX_KEPT = 20
"""The most exchanges kept per rule, flake kind or app problem: the rest are only counted."""
OTHER = "(other paths)"
"""Where paths not covered are counted once `MAX_TASKS` distinct ones have been."""


class EdgeJudge(Protocol):
    """What judges the exchanges of one API version: the routes it covers, and what one exchange shows alone."""

    def covers(self, where: str) -> bool:
        """Say whether the contract covers the route `where` ("POST /fetch")."""
        ...

    def judge(self, exchange: Exchange, path: str, key: str) -> Judgement:
        """Return what `exchange` to `path` shows by itself (the app's `key` only to tell which API it is for)."""
        ...


def every_judge() -> dict[str, EdgeJudge]:
    """Return the judges by API version, named as the mock's edges are: v1's and v2's."""
    return {"v1": Judge(), "v2": V2Judge(MAX_TASKS)}


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
    unread: int = 0
    """Answers passed on unjudged: in a content encoding the proxy does not undo (br, zstd)."""
    _failing: dict[tuple[str, str, bytes], int] = field(default_factory=dict)
    _followed: tuple[Task, ...] = ()
    """The sightings `_moved` followed last: the same again (a poll of a task that has not moved) change nothing."""
    judges: dict[str, EdgeJudge] = field(default_factory=every_judge)
    """Who judges each API version's traffic, by the name of the mock's edge its paths are under."""

    def judge(self, exchange: Exchange, key: str = "") -> Findings:
        """Judge one exchange (the app's `key` only to see which API it is for); return what it showed."""
        self.exchanges += 1
        request = exchange.request
        path = request.path.split("?", 1)[0]
        where = f"{request.method} {path}"
        judge = self.judges.get(edge_for(path).name)
        if judge is None or not judge.covers(where):
            # Paths are the app's to choose: past MAX_TASKS distinct ones, the rest are counted together.
            self.not_covered[where if where in self.not_covered or len(self.not_covered) < MAX_TASKS else OTHER] += 1
            return Findings()
        judged = judge.judge(exchange, path, key)
        found = Findings(app=judged.app)
        if found.app:
            self._keep(self.app_problems, Note(found.app, exchange), "app")
        found.flake = self._flake(exchange)
        if found.flake:
            self._keep(self.flakes, Note(found.flake, exchange), "flake")
            return found
        self.checked.update(judged.checked)
        found.drift = dict(judged.drift)
        moved = self._moved(judged.tasks)
        if moved is not None:
            found.drift.setdefault("TASK-FORWARD", moved)
        for rule, reason in found.drift.items():
            self.counts[rule] += 1
            if len(kept := self.breaches.setdefault(rule, [])) < MAX_KEPT:
                kept.append(Breach(reason, exchange))
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

    def _moved(self, tasks: tuple[Task, ...]) -> str | None:
        """Follow each task sighting; say how the first that is no later state of the one before it moved back."""
        if tasks is self._followed:
            return None  # each is already the newest sighting of its task, and the newest in `latest`
        self._followed = tasks
        latest, found = self.latest, None
        for task in tasks:
            task_id = task["task_id"]
            before = latest.pop(task_id, None)
            latest[task_id] = task
            # A task polled again unchanged is the very object judged before: nothing to compare.
            if before is None or before is task or before == task or found is not None:
                continue
            if (moved := lifecycle_problem(before, task)) is not None:
                found = f"task {task_id!r}: {moved}"
        while len(latest) > MAX_TASKS:
            del latest[next(iter(latest))]
        return found

    def _keep(self, notes: list[Note], note: Note, kind: str) -> None:
        self.counts[kind] += 1
        if len(notes) < MAX_KEPT:
            notes.append(note)
