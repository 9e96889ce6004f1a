"""A differential run: the same requests to the live server and to a local mock holding its tasks.

The live tasks are fetched first and loaded into a mock started on 127.0.0.1 (with a key of its own:
the live key never leaves for the mock). Then every case goes to both, and what differs after
normalising is grouped: one difference per rule, place and pair of values, with every case that
showed it and the smallest as the example. A live task the schemas refuse is a difference too,
found as it is loaded: the mock holds it as given, so no request would show it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

from mockserver.engine.fixtures import load_account

from .cases import Case, explicit_cases, generated_cases, submission_refusals, valid_submissions
from .client import BudgetSpent, Client, Flake, RateLimitedOut, SubmissionsSpent
from .comparison import ABSENT, Finding, compare, normalised_body, task_breaches
from .exchange import Exchange
from .ground import check_ground
from .lifecycle import moved_back, moved_on, tasks_read
from .localmock import LocalMock, ignore, local_mock
from .normalise import bundled_contract, normalise
from .plan import fit_budget, sample_ids
from .pool import IdPool
from .retrieval import fetch_tasks
from .rules import RULE_ORDER, RULES_BY_ID, Rule, Source
from .target import Target

LOADED = "loading the live tasks"
"""The case name of differences found in the live tasks themselves."""
WITHIN_CONTRACT = "live (within the contract)"
"""The side that moved when both keep the rule: information for the mock's maintainer, not drift."""
LIFECYCLE = "lifecycle"
"""The aspect of a difference in how a task moved between two reads, rather than in one answer."""


@dataclass(slots=True)
class Difference:
    """One difference: the rule it touches, the side that moved, where, both sides, and the cases that showed it."""

    rule: Rule
    moved: str
    aspect: str
    where: str
    live: str
    mock: str
    cases: list[str] = field(default_factory=list)
    example: dict[str, Any] = field(default_factory=dict)

    @property
    def meaning(self) -> str:
        """Say what the difference means: whether the docs, the mock or the API changed."""
        if self.moved == "mock":
            return "the mock breaks the rule and the API keeps it: fix the mock"
        if self.moved == "both":
            return "both sides break the rule, each its own way"
        if self.moved == WITHIN_CONTRACT:
            return "both keep the rule: the API does something the contract allows and the mock does not"
        if self.rule.source is Source.DOCUMENTED:
            return "the API breaks a documented rule: the API or its docs changed"
        if self.rule.source is Source.GUESS and not self.rule.setting:
            return "the API does otherwise than the mock guessed, on a point nothing relies on: not drift"
        if self.rule.source is Source.GUESS:
            return (
                f"the API does otherwise than the mock guessed, on a point nothing relies on: not drift; "
                f"calibrate the mock's {self.rule.setting} (contract --calibrate FILE, then serve --config FILE)"
            )
        return "the API breaks the mock's assumption: the assumption, and the mock, should follow the API"

    @property
    def guess(self) -> bool:
        """Say whether the difference is production doing otherwise than one of the mock's guesses: not drift."""
        return self.rule.source is Source.GUESS and self.moved == "live"

    def key(self) -> tuple[str, ...]:
        """Return what makes two differences the same one."""
        return (self.rule.id, self.moved, self.aspect, self.where, self.live, self.mock)

    def as_json(self) -> dict[str, Any]:
        """Return the difference as JSON-ready data."""
        return {
            "rule": self.rule.id,
            "source": self.rule.source.value,
            "title": self.rule.title,
            "moved": self.moved,
            "meaning": self.meaning,
            "aspect": self.aspect,
            "where": self.where,
            "live": self.live,
            "mock": self.mock,
            "cases": self.cases,
            "example": self.example,
        }


@dataclass(slots=True)
class DiffResult:
    """What a differential run found, and what it could not check."""

    target: str
    seed: int
    differences: list[Difference] = field(default_factory=list)
    cases_run: int = 0
    cases_left: list[str] = field(default_factory=list)
    stopped: str = ""
    tasks_loaded: int = 0
    ids_missing: list[str] = field(default_factory=list)
    live_requests: int = 0
    seconds: float = 0.0
    flakes: list[Flake] = field(default_factory=list)
    """The live 5xx answers that did not repeat on retry: reported apart, not drift."""
    rules_sent: set[str] = field(default_factory=set)
    """The rules of the cases sent to both sides."""
    ids_sampled: list[str] = field(default_factory=list)
    """The known ids the run loaded and asked for: all of them, or a seeded sample when it has a budget."""
    api: str = "v1"
    """The API version compared: v1's tasks, or v2's jobs."""

    @property
    def drift(self) -> list[Difference]:
        """Return the differences on which a side breaks its rule, but for production missing a guess of the mock."""
        return [
            difference
            for difference in self.differences
            if difference.moved != WITHIN_CONTRACT and not difference.guess
        ]

    @property
    def within_contract(self) -> list[Difference]:
        """Return the differences on which both sides keep the rule."""
        return [difference for difference in self.differences if difference.moved == WITHIN_CONTRACT]

    def finish(self, live: Client, started: float) -> None:
        """Order the differences as the rules are, take the live side's counts and time, and close its client."""
        self.differences.sort(key=lambda difference: RULE_ORDER[difference.rule.id])
        self.live_requests = live.sent
        self.flakes = live.flakes
        live.close()
        self.seconds = time.monotonic() - started

    def add(self, difference: Difference, case: str, size: int, example: dict[str, Any]) -> None:
        """Record that `case` showed `difference`, keeping the smallest example of each."""
        found = next((known for known in self.differences if known.key() == difference.key()), None)
        if found is None:
            found = difference
            self.differences.append(found)
        found.cases.append(case)
        if not found.example or size < found.example.get("size", size + 1):
            found.example = {"size": size, "case": case, **example}


def moved(finding: Finding) -> str:
    """Return the side that moved: the one that breaks the rule, or the live side when both keep it."""
    if finding.live_breach and finding.mock_breach:
        return "both"
    if finding.mock_breach:
        return "mock"
    return "live" if finding.live_breach else WITHIN_CONTRACT


def run_diff(target: Target, examples: int, seed: int = 0) -> DiffResult:
    """Fetch the known tasks from `target`, serve them from a local mock, send every case to both, compare."""
    started = time.monotonic()
    result = DiffResult(target.base_url, seed)
    live = Client(target, ignore)
    try:
        ground = check_ground(live)
        # As in the contract suite, a budgeted run asks for a seeded sample of the known ids, however many.
        result.ids_sampled = list(sample_ids(target.known_ids, str(seed), target.max_requests is not None))
        retrieved = fetch_tasks(live, result.ids_sampled)
        tasks = retrieved.tasks
        result.ids_missing = retrieved.missing
        result.tasks_loaded = len(tasks)
        _record_task_breaches(result, tasks)
        account = _account(ground)
        pool = IdPool(tuple(task["task_id"] for task in tasks))
        cases = [
            *explicit_cases(pool),
            *submission_refusals(every=target.max_requests is None),
            *valid_submissions(tasks, target.allow_submissions),
            *generated_cases(pool, examples, seed),
        ]
        fit_budget(target, live.sent + len(cases))
        # Drawing the cases and starting the mock can outlast the server's keep-alive: start afresh.
        live.close()
        with local_mock(tasks, account, pool.known) as mock:
            _run_cases(result, cases, live, mock, {task["task_id"]: task for task in tasks})
    finally:
        result.finish(live, started)
    return result


def _run_cases(
    result: DiffResult, cases: list[Case], live: Client, mock: LocalMock, held: dict[str, dict[str, Any]]
) -> None:
    known = frozenset(held)
    for index, case in enumerate(cases):
        try:
            live_exchange = live.send(case.request, case.submission)
        except SubmissionsSpent:
            result.cases_left.append(case.name)
            continue
        except (BudgetSpent, RateLimitedOut) as exc:
            result.stopped = str(exc)
            result.cases_left += [left.name for left in cases[index:]]
            return
        _follow(result, case, live_exchange, mock, held)
        mock_exchange = mock.client.send(case.request)
        result.cases_run += 1
        result.rules_sent.add(case.rule)
        for finding in compare(case, live_exchange, mock_exchange, known):
            rule = RULES_BY_ID[finding.rule]
            difference = Difference(rule, moved(finding), finding.aspect, finding.where, finding.live, finding.mock)
            example = _example(case, live_exchange, mock_exchange, finding, held)
            result.add(difference, case.name, live_exchange.size(), example)


def _follow(
    result: DiffResult, case: Case, exchange: Exchange, mock: LocalMock, held: dict[str, dict[str, Any]]
) -> None:
    """Let the mock catch up with each held task the live answer shows moved on; report one that moved back.

    Any other change (a finished task's results, a field) is left for the comparison to show.
    """
    for task in tasks_read(exchange):
        before = held.get(task["task_id"])
        if before is None:
            continue
        if moved_on(before, task):
            # Production moved on while the run went: the mock follows, so the comparison sees only real differences.
            mock.hold(task)
            held[task["task_id"]] = task
            _record_task_breaches(result, [task], f"{case.name}: {task['task_id']} as it moved on")
        elif (problem := moved_back(before, task)) is not None:
            difference = Difference(RULES_BY_ID["TASK-FORWARD"], "live", LIFECYCLE, "task", problem, "(as last seen)")
            example = {"live_exchange": exchange.describe(), "live_breach": problem, "mock_breach": None}
            result.add(difference, case.name, exchange.size(), {**example, "before": before, "task": task})


def _example(
    case: Case, live: Exchange, mock: Exchange, finding: Finding, held: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "rule_expects": case.expected,
        "live_breach": finding.live_breach,
        "mock_breach": finding.mock_breach,
        "live_exchange": live.describe(),
        "mock_exchange": mock.describe(),
        "live_answer": normalised_answer(case, live),
        "tasks": [held[task_id] for task_id in dict.fromkeys(case.asked) if task_id in held],
        "request": _replayable(case),
    }


def _replayable(case: Case) -> dict[str, Any]:
    """Return the case as data a replay rebuilds it from, the body's exact bytes in base64."""
    request = case.request
    body = None if request.body is None else base64.b64encode(request.body).decode()
    return {
        "name": case.name,
        "method": request.method,
        "path": request.path,
        "headers": [list(header) for header in request.headers],
        "body_base64": body,
        "rule": case.rule,
        "expected": case.expected,
        "asked": list(case.asked),
    }


def normalised_answer(case: Case, exchange: Exchange) -> dict[str, Any] | None:
    """Return the status, media type and normalised body of an answer to `case` (None without an answer)."""
    answer = exchange.answer
    if answer is None:
        return None
    return {"status": answer.status, "content_type": answer.media_type, "body": normalised_body(case, exchange)}


def _record_task_breaches(result: DiffResult, tasks: list[dict[str, Any]], case: str | None = None) -> None:
    contract = bundled_contract()
    for task in tasks:
        shown = normalise(task, contract.node("task.json"), [task["task_id"]], contract)
        for field_name, rule_id, problem in task_breaches(task):
            value = shown.get(field_name, ABSENT) if isinstance(shown, dict) else ABSENT
            where = f"task.{field_name}" if field_name else "task"
            difference = Difference(
                RULES_BY_ID[rule_id], "live", "task data", where, str(value), "(refused by the schema)"
            )
            example = {"task": task, "live_breach": problem, "mock_breach": None}
            result.add(difference, case or f"{LOADED}: {task['task_id']}", 0, example)


def _account(exchange: Exchange) -> dict[str, Any]:
    body = exchange.answer.body if exchange.answer is not None and exchange.answer.status == 200 else None
    return body if isinstance(body, dict) else load_account()
