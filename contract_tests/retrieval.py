"""Fetching tasks by id from a server: fetch-many in batches the API allows, /fetch for a lone id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from mockserver.edges.v1.limits import MAX_TASK_IDS, MIN_TASK_IDS

from .client import Client
from .exchange import Exchange
from .oracle import KEY_REFUSED, status_of


class RetrievalError(Exception):
    """The server would not hand over the tasks; the message names the request and the answer."""


@dataclass(slots=True)
class Retrieved:
    """The tasks a server returned, in the order asked, and the ids it did not return."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)


def batches(ids: Sequence[str]) -> list[list[str]]:
    """Split `ids` into as few batches as fetch-many allows, evenly, so no batch falls below its minimum."""
    if not ids:
        return []
    count = ceil(len(ids) / MAX_TASK_IDS)
    size, extra = divmod(len(ids), count)
    result, start = [], 0
    for number in range(count):
        end = start + size + (number < extra)
        result.append(list(ids[start:end]))
        start = end
    return result


def fetch_tasks(client: Client, ids: Sequence[str]) -> Retrieved:
    """Fetch the tasks with `ids` (repeats dropped); raise RetrievalError on an answer other than 200."""
    unique = list(dict.fromkeys(ids))
    found: dict[str, dict[str, Any]] = {}
    retrieved = Retrieved()
    for batch in batches(unique):
        if len(batch) < MIN_TASK_IDS:
            exchange = client.post("/fetch", {"task_id": batch[0]})
            # An unknown id gets 400 (or 404) from /fetch: it is missing, not a failure of the run.
            tasks = [] if status_of(exchange) in (400, 404) else [_answer(exchange)]
        else:
            exchange = client.post("/fetch-many", {"task_ids": batch})
            listed = _answer(exchange).get("tasks")
            if not isinstance(listed, list):
                raise RetrievalError(f"fetch-many answered 200 without a tasks array\n{exchange.explain()}")
            tasks = listed
        retrieved.exchanges.append(exchange)
        for task in tasks:
            if isinstance(task, dict) and task.get("task_id") in batch:
                found.setdefault(task["task_id"], task)
    retrieved.tasks = [found[task_id] for task_id in unique if task_id in found]
    retrieved.missing = [task_id for task_id in unique if task_id not in found]
    return retrieved


def _answer(exchange: Exchange) -> dict[str, Any]:
    answer = exchange.answer
    if answer is None:
        raise RetrievalError(f"no answer ({exchange.problem})\n{exchange.explain()}")
    if answer.status != 200 or not isinstance(answer.body, dict):
        hint = " (is the API key right?)" if answer.status in KEY_REFUSED else ""
        raise RetrievalError(f"expected 200 with a JSON object, got {answer.status}{hint}\n{exchange.explain()}")
    return answer.body
