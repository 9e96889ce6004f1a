"""Which tasks come back: every known id asked for, nothing not asked for, unknown ids left out, repeats."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from .client import Client
from .edges import ID_EDGES, edge_id
from .guesses import ONCE_PER_ASK, Guesses
from .oracle import expect, expect_status, not_asked_problem, task_ids_of, tasks_of
from .pool import IdPool
from .strategies import MAX_IDS, MIN_IDS, ids, picks


def fill(pool: IdPool, task_ids: list[str]) -> list[str]:
    """Return `task_ids` topped up with unknown ids to the minimum count."""
    return task_ids + pool.unknown(MIN_IDS - len(task_ids)) if len(task_ids) < MIN_IDS else task_ids


def chunks(known: tuple[str, ...], pool: IdPool) -> list[list[str]]:
    """Split every known id into requests of at most the maximum count, each at least the minimum."""
    return [fill(pool, list(known[start : start + MAX_IDS])) for start in range(0, len(known), MAX_IDS)]


@pytest.mark.rule("IDS-KNOWN")
@pytest.mark.sends("chunks")
def test_every_known_id_comes_back(client: Client, pool: IdPool, sampled_ids: tuple[str, ...]) -> None:
    """Given every sampled known id, asked in requests of up to 20, then each comes back as a task."""
    for task_ids in chunks(sampled_ids, pool):
        exchange = client.post("/fetch-many", {"task_ids": task_ids})
        answer = expect_status(exchange, 200, "known ids")
        missing = [task_id for task_id in task_ids if pool.is_known(task_id) and task_id not in task_ids_of(answer)]
        expect(exchange, not missing, f"known ids did not come back: {missing}")


@pytest.mark.rule("IDS-KNOWN")
@given(indices=picks())
@example(indices=[1, 0])
def test_known_ids_in_any_order_come_back(
    client: Client, pool: IdPool, known_ids: tuple[str, ...], indices: list[int]
) -> None:
    """Given distinct known ids in any order, then each comes back."""
    task_ids = fill(pool, list(dict.fromkeys(pool.pick(indices))))
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    answer = expect_status(exchange, 200, "known ids")
    missing = [task_id for task_id in task_ids if pool.is_known(task_id) and task_id not in task_ids_of(answer)]
    expect(exchange, not missing, f"known ids did not come back: {missing}")


@pytest.mark.rule("IDS-NOT-ASKED")
@given(indices=picks(0, MAX_IDS), unknown=st.lists(ids(), min_size=0, max_size=MAX_IDS, unique=True))
@example(indices=[], unknown=["contract-unknown-a", "contract-unknown-b"])
def test_no_task_comes_back_that_was_not_asked_for(
    client: Client, pool: IdPool, indices: list[int], unknown: list[str]
) -> None:
    """Given any mix of known and unknown ids, then every task that comes back was asked for."""
    task_ids = (pool.pick(indices) + [task_id for task_id in unknown if not pool.is_known(task_id)])[:MAX_IDS]
    assume(len(task_ids) >= MIN_IDS)
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    if exchange.answer is None or exchange.answer.status != 200:
        return  # whether it should have been 200 is another rule's question
    problem = not_asked_problem(task_ids, exchange.answer)
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("IDS-UNKNOWN")
@given(unknown=st.lists(ids(), min_size=1, max_size=MAX_IDS, unique=True), indices=picks(0, MAX_IDS))
@example(unknown=["contract-unknown-a", "contract-unknown-b"], indices=[])
@example(unknown=["contract-unknown-a"], indices=[0])
@example(unknown=["../../etc/passwd", "'; DROP TABLE tasks; --"], indices=[])
def test_unknown_ids_are_left_out(client: Client, pool: IdPool, unknown: list[str], indices: list[int]) -> None:
    """Given unknown ids, alone or beside known ones, then the answer is 200 and no entry stands for them."""
    unknown = [task_id for task_id in unknown if not pool.is_known(task_id)]
    task_ids = (unknown + pool.pick(indices))[:MAX_IDS]
    assume(unknown and len(task_ids) >= MIN_IDS)
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    answer = expect_status(exchange, 200, "unknown ids")
    entries = [entry for entry in tasks_of(answer) if not isinstance(entry, dict)]
    expect(exchange, not entries, f"entries that are not tasks stand for unknown ids: {entries[:3]}")
    answered = sorted(set(task_ids_of(answer)) & set(unknown))
    expect(exchange, not answered, f"unknown ids were answered: {answered}")


@pytest.mark.rule("IDS-UNKNOWN")
@pytest.mark.parametrize("edge", ID_EDGES)
def test_an_id_at_an_edge_names_no_task_and_is_left_out(client: Client, pool: IdPool, edge: str) -> None:
    """Given an id at an edge (an id is any string, matched exactly), then the answer is 200 and no entry is for it."""
    task_ids = [edge_id(edge, pool), *pool.unknown(1)]
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    answer = expect_status(exchange, 200, f"an id at an edge ({edge})")
    # A task that came back for a real id the edge was made of means the server matched it loosely.
    loose = {task_id.strip().lower() for task_id in task_ids}
    entries = [
        entry
        for entry in tasks_of(answer)
        if not isinstance(entry, dict) or str(entry.get("task_id", "")).strip().lower() in loose
    ]
    expect(exchange, not entries, f"entries came back for ids that name no task: {entries[:3]}")


@pytest.mark.rule("IDS-COUNT")
@given(indices=picks())
@example(indices=[0, 1])  # the plainest case: each asked for once
@example(indices=[0, 0])
@example(indices=[0, 1, 0, 1, 0])
def test_no_task_comes_back_more_often_than_asked(
    client: Client, pool: IdPool, guesses: Guesses, known_ids: tuple[str, ...], indices: list[int]
) -> None:
    """Given known ids, repeats among them, then no task comes back more often than asked for, as the mock guesses."""
    task_ids = fill(pool, pool.pick(indices))
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    if exchange.answer is None or exchange.answer.status != 200:
        return  # whether it should have been 200 is another rule's question
    asked, answered = Counter(task_ids), Counter(task_ids_of(exchange.answer))
    # A task nobody asked for is IDS-NOT-ASKED's to report, not this rule's.
    over = {task_id: count for task_id, count in answered.items() if 0 < asked[task_id] < count}
    seen = f"more often than asked (id: times): {over}" if over else ONCE_PER_ASK
    guesses.settle("IDS-COUNT", seen, exchange)


@pytest.mark.rule("IDS-REPEAT")
@given(indices=picks(1, MAX_IDS // 2), times=st.integers(2, 3))
@example(indices=[0], times=MIN_IDS)
@example(indices=[0, 1], times=2)
def test_a_repeated_id_never_fails(client: Client, pool: IdPool, indices: list[int], times: int) -> None:
    """Given an id asked for more than once, then the answer is 200 and a known one comes back at least once."""
    unique = list(dict.fromkeys(pool.pick(indices))) or pool.unknown(len(set(indices)))
    task_ids = (unique[:1] * times + unique[1:])[:MAX_IDS]
    exchange = client.post("/fetch-many", {"task_ids": task_ids})
    answer = expect_status(exchange, 200, "a repeated id")
    missing = sorted({task_id for task_id in task_ids if pool.is_known(task_id)} - set(task_ids_of(answer)))
    expect(exchange, not missing, f"repeated known ids never came back: {missing}")
