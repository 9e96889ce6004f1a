"""Judging answers against the schemas: each check returns what is wrong, or None, and leaves free what the docs do.

Nothing here looks at task order, extra fields on a task or the envelope, extra headers, a charset,
extra keys on 400 items or the 400 texts: the docs leave the server free in all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from mockserver.edges.v1.openapi import ANSWER_SCHEMAS
from mockserver.numbers import whole_number
from mockserver.schemas import bundled_schemas, describe_error

from .exchange import Answer, Exchange

KEY_REFUSED = (401, 403)
"""How a server refuses a key: 401 as documented, or 403."""
_SCHEMAS = bundled_schemas()
_TASK = _SCHEMAS.validator("task.json")
_ERROR_400 = _SCHEMAS.validator("error-400.json")
_ERROR_401 = _SCHEMAS.validator("error-401.json")
_ACCOUNT = _SCHEMAS.validator("account.json")
_TASK_PROPERTIES = _SCHEMAS.documents["task.json"]["properties"]
STATUSES: tuple[str, ...] = tuple(_TASK_PROPERTIES["status"]["enum"])
_PERCENTAGE = Draft202012Validator(_TASK_PROPERTIES["percentage"])
FIELD_RULES = {"status": "TASK-STATUS", "percentage": "TASK-PERCENTAGE"}
"""Task fields with a rule of their own; TASK-SCHEMA reports every other field."""
_REQUIRED = re.compile(r"'([^']+)' is a required property")
_ENDS = frozenset({"finished", "failed"})
# Where each status stands on the way from submitted to done. The docs give no order among the waiting
# statuses, so they stand together; a retry is more running, so it stands with processing.
_STAGE = {
    **dict.fromkeys(("pending", "staged", "starting"), 0),
    **dict.fromkeys(("processing", "retrying", "retry"), 1),
    **dict.fromkeys(_ENDS, 2),
}


class Drift(AssertionError):
    """The server broke a rule; the message holds the reason, the request as curl and the answer."""

    def __init__(self, reason: str, exchange: Exchange) -> None:
        super().__init__(f"{reason}\n{exchange.explain()}")
        self.reason = reason
        self.exchange = exchange


def expect(exchange: Exchange, ok: bool, reason: str) -> None:
    """Raise Drift with `reason` unless `ok`."""
    if not ok:
        raise Drift(reason, exchange)


def status_of(exchange: Exchange) -> int | None:
    """Return the status of the answer, or None when there was none."""
    return exchange.answer.status if exchange.answer is not None else None


def expect_status(exchange: Exchange, status: int, why: str) -> Answer:
    """Return the answer if its status is `status`, else raise Drift saying what came instead."""
    answer = exchange.answer
    if answer is None:
        raise Drift(f"{why}: expected {status}, got no answer ({exchange.problem})", exchange)
    if answer.status != status:
        raise Drift(f"{why}: expected {status}, got {answer.status}", exchange)
    return answer


def content_type_problem(answer: Answer) -> str | None:
    """Say what keeps `answer` from being JSON: its content type (parameters allowed) or its body; a 404 is free."""
    if answer.status == 404:
        return None  # no page shows a 404: a path the server does not serve is its framework's to answer
    if answer.media_type != "application/json":
        return f"Content-Type is {answer.content_type or 'missing'!r}, not application/json"
    if not answer.is_json:
        return "the body is not JSON"
    return None


def server_error_problem(answer: Answer) -> str | None:
    """Say so when `answer` is a 5xx."""
    return f"the server answered {answer.status}" if answer.status >= 500 else None


def error_400_problem(answer: Answer) -> str | None:
    """Say what keeps a 400 body from the documented ``{"errors": [{"msg": ...}]}``."""
    if not answer.is_json:
        return "the 400 body is not JSON"
    return _first_error(_ERROR_400, answer.body, "the 400 body")


def error_401_problem(answer: Answer) -> str | None:
    """Say what keeps a 401 body from being exactly ``{}``."""
    if not answer.is_json:
        return "the 401 body is not JSON"
    return _first_error(_ERROR_401, answer.body, "the 401 body")


def ok_shape_problem(answer: Answer) -> str | None:
    """Say what keeps a 200 body of /fetch-many from being an object with a `tasks` array."""
    body = answer.body
    if not isinstance(body, dict):
        return "the 200 body is not a JSON object"
    if not isinstance(body.get("tasks"), list):
        return "the 200 body has no `tasks` array"
    return None


def account_problem(answer: Answer) -> str | None:
    """Say what keeps a 200 body of /account from the documented account fields."""
    return _first_error(_ACCOUNT, answer.body, "the account")


def submit_answer_problem(path: str, sync: bool, answer: Answer) -> str | None:
    """Say what keeps the 200 body of a submission to `path` from its answer schema (the finished task if `sync`)."""
    problem = _first_error(_SCHEMAS.validator(ANSWER_SCHEMAS[f"POST {path}"]), answer.body, "the 200 body")
    status = answer.body.get("status") if problem is None and sync else "finished"
    return problem if status == "finished" else f"a synchronous endpoint answered a task {status!r}, not finished"


def step_problem(before: dict[str, Any], task: dict[str, Any]) -> str | None:
    """Say how the task moved back between two fetches: an earlier status, a lower percentage, or out of its end."""
    return moved_back(before, task, _STAGE, "percentage", _whole)


def moved_back(
    before: dict[str, Any],
    after: dict[str, Any],
    stages: dict[str, int],
    measure: str,
    number: Callable[[object], int | None],
) -> str | None:
    """Say how `after` (a v1 task, a v2 job) went back from `before`: out of an end, to an earlier status, or lower.

    The ends are the statuses of the last of the `stages`; `measure` is the field of its progress, read by `number`.
    """
    was, now = before.get("status"), after.get("status")
    last = max(stages.values())
    if stages.get(str(was)) == last and now != was:
        return f"status went from {was!r}, an end, to {now!r}"
    if stages.get(str(now), 0) < stages.get(str(was), 0):
        return f"status went back from {was!r} to {now!r}"
    old, new = (number(step.get(measure)) for step in (before, after))
    if was == now and old is not None and new is not None and new < old:
        return f"{measure} fell from {before[measure]!r} to {after[measure]!r} while {now!r}"
    return None


def _whole(value: object) -> int | None:
    return whole_number(str(value)) if isinstance(value, int | str) else None


def tasks_of(answer: Answer) -> list[Any]:
    """Return the `tasks` array of a /fetch-many answer, or an empty list when there is none."""
    body = answer.body
    tasks = body.get("tasks") if isinstance(body, dict) else None
    return tasks if isinstance(tasks, list) else []


def task_ids_of(answer: Answer) -> list[str]:
    """Return the `task_id` of each task object in the answer, skipping entries that are not tasks."""
    return [task["task_id"] for task in tasks_of(answer) if isinstance(task, dict) and "task_id" in task]


def not_asked_problem(asked: list[Any], answer: Answer) -> str | None:
    """Say which tasks of a /fetch-many answer were not among the ids `asked` for, or None."""
    known = {task_id for task_id in asked if isinstance(task_id, str)}
    extra = [task_id for task_id in task_ids_of(answer) if not isinstance(task_id, str) or task_id not in known]
    return f"tasks came back that were not asked for: {extra}" if extra else None


def status_problem(task: object) -> str | None:
    """Say what keeps the task's `status` out of the documented set."""
    if not isinstance(task, dict) or "status" not in task:
        return "a task has no status"
    status = task["status"]
    return None if status in STATUSES else f"status {status!r} is not one of {', '.join(STATUSES)}"


def percentage_problem(task: object) -> str | None:
    """Say what keeps the task's `percentage`, when present, from a whole number 0-100."""
    if not isinstance(task, dict) or "percentage" not in task or _PERCENTAGE.is_valid(task["percentage"]):
        return None
    return f"percentage {task['percentage']!r} is not a whole number from 0 to 100 (string or integer)"


def schema_problem(task: object) -> str | None:
    """Say what keeps `task` from schemas/task.json, leaving status and percentage to their own rules."""
    if not isinstance(task, dict):
        return f"a task is not an object: {task!r}"
    problems = list(_schema_problems(task))
    return f"task {task.get('task_id')!r}: {problems[0]}" if problems else None


def task_errors(task: object) -> Iterator[ValidationError]:
    """Yield each way `task` breaks schemas/task.json."""
    return _TASK.iter_errors(task)


def field_of(error: ValidationError) -> str:
    """Name the task field a task-schema error is about: where it sits, or what is missing ("" for neither)."""
    if error.absolute_path:
        return str(error.absolute_path[0])
    missing = _REQUIRED.fullmatch(error.message) if error.validator == "required" else None
    return missing.group(1) if missing else ""


def _schema_problems(task: dict[str, Any]) -> Iterator[str]:
    for error in task_errors(task):
        if field_of(error) not in FIELD_RULES:
            yield describe_error(error)


def _first_error(validator: Draft202012Validator, value: object, what: str) -> str | None:
    errors = sorted(validator.iter_errors(value), key=lambda error: len(list(error.absolute_path)))
    return f"{what}: {describe_error(errors[0])}" if errors else None
