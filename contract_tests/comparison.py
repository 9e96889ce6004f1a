"""Comparing the live and the mock answer to one case: what differs, which rule it touches, which side moved.

The answers are normalised first (see `normalise`), so what differs here is what the contract pins
down. Each difference is put under the rule of CONTRACT.md it touches, and each side is held to that
rule with the suite's own oracle: the side that breaks it is the side that moved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mockserver.edges.v1.openapi import ANSWER_SCHEMAS, ERROR_SCHEMAS

from .cases import Case
from .exchange import Exchange
from .ledger import Check, on_answer
from .normalise import NOT_TASKS, Node, Norm, bundled_contract, normalise
from .oracle import (
    FIELD_RULES,
    account_problem,
    content_type_problem,
    error_400_problem,
    error_401_problem,
    field_of,
    ok_shape_problem,
    percentage_problem,
    schema_problem,
    status_of,
    status_problem,
    task_errors,
    tasks_of,
)

ABSENT = "(absent)"

_ID_TOKEN = re.compile(r"^<id asked #(\d+)>$")


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference in one case: where, how each side shows it, the rule it touches and each side's breach."""

    aspect: str
    where: str
    live: str
    mock: str
    rule: str
    live_breach: str | None
    mock_breach: str | None


def compare(case: Case, live: Exchange, mock: Exchange, known: frozenset[str]) -> list[Finding]:
    """Return every difference between the live and the mock answer to `case`; `known` are the ids the mock holds."""
    judge = _Judge(case, known, live, mock)
    if live.answer is None or mock.answer is None:
        if live.answer is None and mock.answer is None:
            return []
        return [judge.finding("answer", "(answer)", _shown(live), _shown(mock), "CONTENT-TYPE", _answered)]
    if live.answer.status != mock.answer.status:
        statuses = (live.answer.status, mock.answer.status)
        rule = "NO-5XX" if max(statuses) >= 500 else case.rule
        return [judge.finding("status", "(status)", str(statuses[0]), str(statuses[1]), rule, judge.status_breach)]
    findings = []
    media = [_media_type(exchange) for exchange in (live, mock)]
    if media[0] != media[1]:
        findings.append(
            judge.finding("content type", "(content type)", media[0], media[1], "CONTENT-TYPE", _content_type)
        )
    trees = [normalised_body(case, exchange) for exchange in (live, mock)]
    for path, shown_live, shown_mock in diff_trees(trees[0], trees[1], ()):
        rule, check = judge.body_rule(live.answer.status, path)
        findings.append(
            judge.finding("body", _where(case, path, live.answer.status), shown_live, shown_mock, rule, check)
        )
    return findings


def diff_trees(live: Norm, mock: Norm, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Yield the path and both sides of every place two normalised values differ."""
    if isinstance(live, dict) and isinstance(mock, dict):
        for key in [*live, *(key for key in mock if key not in live)]:
            if key not in live or key not in mock:
                yield (*path, key), show(live.get(key, ABSENT)), show(mock.get(key, ABSENT))
            else:
                yield from diff_trees(live[key], mock[key], (*path, key))
    elif isinstance(live, list) and isinstance(mock, list) and len(live) == len(mock):
        for index, (left, right) in enumerate(zip(live, mock, strict=True)):
            yield from diff_trees(left, right, (*path, str(index)))
    elif live != mock:
        yield path, show(live), show(mock)


def show(value: Norm) -> str:
    """Return a normalised value as one short line."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:160]


def task_breaches(task: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Yield (field, rule, what is wrong) for each place a task breaks the schema."""
    seen = set()
    for error in task_errors(task):
        field = field_of(error)
        if field not in seen:
            seen.add(field)
            yield field, FIELD_RULES.get(field, "TASK-SCHEMA"), error.message


def normalised_body(case: Case, exchange: Exchange) -> Norm:
    """Return the answer's body normalised under the schema of its endpoint and status (none for others)."""
    answer = exchange.answer
    assert answer is not None
    if not answer.is_json:
        return "<not JSON>"
    name = ANSWER_SCHEMAS.get(case.endpoint) if answer.status == 200 else ERROR_SCHEMAS.get(answer.status)
    contract = bundled_contract()
    node: Node | None = contract.node(name) if name is not None else None
    return normalise(answer.body, node, case.asked, contract)


def _where(case: Case, path: tuple[str, ...], status: int) -> str:
    """Name a place so that it reads the same in every case: a task's field is ``task.<field>`` wherever it sits."""
    if status == 200 and case.endpoint == "POST /fetch-many" and len(path) >= 2 and path[0] == "tasks":
        if len(path) == 2:
            return f"tasks[{_ID_TOKEN.sub('<id asked>', path[1])}]"
        return ".".join(("task", *path[2:]))
    if status == 200 and case.endpoint == "POST /fetch" and path:
        return ".".join(("task", *path))
    return ".".join(path) or "(body)"


def _media_type(exchange: Exchange) -> str:
    answer = exchange.answer
    assert answer is not None
    return answer.media_type or ABSENT


def _shown(exchange: Exchange) -> str:
    return str(exchange.answer.status) if exchange.answer is not None else f"no answer ({exchange.problem})"


def _answered(exchange: Exchange) -> str | None:
    return None if exchange.answer is not None else exchange.problem


def _body(exchange: Exchange) -> object:
    return exchange.answer.body if exchange.answer is not None else None


_content_type = on_answer(content_type_problem)


@dataclass(frozen=True, slots=True)
class _Judge:
    """Puts a difference under its rule and holds each side to it."""

    case: Case
    known: frozenset[str]
    live: Exchange
    mock: Exchange

    def finding(self, aspect: str, where: str, live: str, mock: str, rule: str, check: Check) -> Finding:
        return Finding(aspect, where, live, mock, rule, check(self.live), check(self.mock))

    def status_breach(self, exchange: Exchange) -> str | None:
        status = status_of(exchange)
        if status is not None and status >= 500:
            return f"answered {status}"
        return None if status == self.case.expected else f"answered {status}, not {self.case.expected}"

    def body_rule(self, status: int, path: tuple[str, ...]) -> tuple[str, Check]:
        error_rules = {401: ("AUTH-401", error_401_problem), 400: ("ERROR-SHAPE", error_400_problem)}
        if status in error_rules:
            rule, problem = error_rules[status]
            return rule, on_answer(problem)
        if status >= 500:
            return "NO-5XX", self.status_breach
        if status == 200 and self.case.endpoint == "GET /account":
            return "ACCOUNT", on_answer(account_problem)
        if status == 200 and self.case.endpoint == "POST /fetch-many":
            return self.tasks_rule(path)
        if status == 200 and self.case.endpoint == "POST /fetch":
            field = path[0] if path else ""
            if field == bundled_contract().id_key:
                return "FETCH-TASK", self.fetch_task_breach
            return self.field_rule(field, _body)
        return self.case.rule, lambda exchange: None

    def tasks_rule(self, path: tuple[str, ...]) -> tuple[str, Check]:
        if len(path) < 2 or path[0] != "tasks":
            return "OK-SHAPE", on_answer(ok_shape_problem)
        if path[1] == NOT_TASKS:
            return "IDS-UNKNOWN", self.stray_entries
        if len(path) == 2:
            return ("IDS-NOT-ASKED", self.stray_entries) if path[1] == "<id not asked>" else ("IDS-KNOWN", self.missing)
        match = _ID_TOKEN.match(path[1])
        task_id = self.case.asked[int(match.group(1))] if match else None
        return self.field_rule(path[2], lambda exchange: self.task_in(exchange, task_id))

    def field_rule(self, field: str, task_of: Callable[[Exchange], object]) -> tuple[str, Check]:
        rule = FIELD_RULES.get(field, "TASK-SCHEMA")
        problem = {"TASK-STATUS": status_problem, "TASK-PERCENTAGE": percentage_problem}.get(rule, schema_problem)
        return rule, lambda exchange: problem(task_of(exchange))

    def task_in(self, exchange: Exchange, task_id: str | None) -> object:
        tasks = tasks_of(exchange.answer) if exchange.answer is not None else []
        return next((task for task in tasks if isinstance(task, dict) and task.get("task_id") == task_id), None)

    def stray_entries(self, exchange: Exchange) -> str | None:
        tasks = tasks_of(exchange.answer) if exchange.answer is not None else []
        stray = [task for task in tasks if not (isinstance(task, dict) and task.get("task_id") in self.case.asked)]
        return f"{len(stray)} entries stand for no id asked that exists: {stray[:3]!r}" if stray else None

    def missing(self, exchange: Exchange) -> str | None:
        tasks = tasks_of(exchange.answer) if exchange.answer is not None else []
        returned = {task.get("task_id") for task in tasks if isinstance(task, dict)}
        lost = [task_id for task_id in self.case.asked if task_id in self.known and task_id not in returned]
        return f"known ids not returned: {lost}" if lost else None

    def fetch_task_breach(self, exchange: Exchange) -> str | None:
        body = exchange.answer.body if exchange.answer is not None else None
        task_id = body.get("task_id") if isinstance(body, dict) else None
        return None if task_id in self.case.asked else f"task_id {task_id!r} is not the id asked for"
