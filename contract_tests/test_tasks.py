"""Every task that comes back: valid against its family's schema, a documented status, a whole percentage."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given

from .client import Client
from .lifecycle import lifecycle_problem, tasks_read
from .oracle import expect, percentage_problem, schema_problem, status_problem, tasks_of
from .pool import IdPool
from .run import per_rule
from .strategies import picks
from .test_ids import chunks, fill

CHECKS: dict[str, Callable[[object], str | None]] = {
    "TASK-SCHEMA": schema_problem,
    "TASK-STATUS": status_problem,
    "TASK-PERCENTAGE": percentage_problem,
}
PER_RULE = per_rule(CHECKS)


def check_tasks(client: Client, task_ids: list[str], rule_id: str) -> None:
    """Ask for `task_ids` and hold each task that comes back to the check of `rule_id`."""
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    if exchange.answer is None or exchange.answer.status != 200:
        return  # whether it should have been 200 is another rule's question
    for task in tasks_of(exchange.answer):
        if task is None:
            continue  # a null entry stands for an unknown id: judged by IDS-UNKNOWN
        problem = CHECKS[rule_id](task)
        expect(exchange, problem is None, str(problem))


@pytest.mark.parametrize("rule_id", PER_RULE)
@pytest.mark.sends("chunks")
def test_every_known_task_keeps_the_rule(
    client: Client, pool: IdPool, sampled_ids: tuple[str, ...], rule_id: str
) -> None:
    """Given every sampled known id, then every task that comes back keeps the rule."""
    for task_ids in chunks(sampled_ids, pool):
        check_tasks(client, task_ids, rule_id)


@pytest.mark.parametrize("rule_id", PER_RULE)
@given(indices=picks())
@example(indices=[1, 0])
def test_tasks_asked_again_keep_the_rule(
    client: Client, pool: IdPool, known_ids: tuple[str, ...], rule_id: str, indices: list[int]
) -> None:
    """Given known ids asked again (tasks may have moved on), then every task keeps the rule."""
    check_tasks(client, fill(pool, pool.pick(indices)), rule_id)


@pytest.mark.rule("TASK-FORWARD")
@pytest.mark.sends("twice per chunk")
def test_a_task_read_again_is_where_it_was_or_further_on(
    client: Client, pool: IdPool, sampled_ids: tuple[str, ...]
) -> None:
    """Given every sampled known task read twice, then the second read shows each where it was or further on."""
    for task_ids in chunks(sampled_ids, pool):
        first = {task["task_id"]: task for task in tasks_read(client.post("/fetch-many", {"task_ids": task_ids}))}
        exchange = client.post("/fetch-many", {"task_ids": task_ids})
        for task in tasks_read(exchange):
            before = first.get(task["task_id"])
            problem = lifecycle_problem(before, task) if before is not None else None
            expect(exchange, problem is None, f"task {task['task_id']!r}: {problem}")
