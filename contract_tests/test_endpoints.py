"""The neighbours of /fetch-many: POST /fetch of one task, and GET /account."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from .client import Client
from .edges import FETCH_ID_EDGES, FETCH_NOT_OBJECTS, NOT_OBJECTS, NOT_STRINGS, edge_id, explicit
from .guesses import Guesses
from .oracle import account_problem, expect, expect_status, percentage_problem, schema_problem, status_problem
from .pool import IdPool
from .strategies import extra_keys, ids, values_not_of

FETCH_SCHEMA = "fetch-request.json"


@pytest.mark.rule("FETCH-TASK")
@pytest.mark.sends("fetched")
def test_fetch_of_a_known_id_is_the_task_itself(client: Client, fetched_ids: tuple[str, ...]) -> None:
    """Given each known id the plan fetches one by one, then /fetch answers 200 with that task, unwrapped and valid."""
    for task_id in fetched_ids:
        exchange = client.post("/fetch", {"task_id": task_id})
        task = expect_status(exchange, 200, "a known id").body
        expect(exchange, isinstance(task, dict) and task.get("task_id") == task_id, "not the task asked for")
        problems = [check(task) for check in (schema_problem, status_problem, percentage_problem)]
        expect(exchange, problems == [None] * 3, "; ".join(filter(None, problems)))


@pytest.mark.rule("FETCH-BODY")
@given(
    body=st.one_of(
        extra_keys(FETCH_SCHEMA),
        st.builds(lambda value, extra: {**extra, "task_id": value}, values_not_of("string"), extra_keys(FETCH_SCHEMA)),
    )
)
@example(body={})
@example(body={"task_ids": ["a", "b"]})
@explicit("body", ({"task_id": value} for value in NOT_STRINGS))
def test_fetch_without_a_string_task_id_is_refused(client: Client, body: dict[str, Any]) -> None:
    """Given a body whose task_id is missing or not a string, then /fetch answers 400."""
    expect_status(client.post("/fetch", body), 400, "task_id missing or not a string")


@pytest.mark.rule("FETCH-BODY")
@pytest.mark.parametrize("body", FETCH_NOT_OBJECTS)
def test_fetch_refuses_a_body_that_is_not_a_json_object(client: Client, body: str) -> None:
    """Given a body that is not a JSON object (not JSON, not UTF-8, empty), then /fetch answers 400."""
    expect_status(client.post_raw("/fetch", NOT_OBJECTS[body]), 400, f"a body that is not a JSON object ({body})")


@pytest.mark.rule("FETCH-UNKNOWN")
@pytest.mark.parametrize("edge", FETCH_ID_EDGES)
def test_fetch_of_an_id_at_an_edge_is_refused(client: Client, pool: IdPool, guesses: Guesses, edge: str) -> None:
    """Given an id at an edge (an id is any string, matched exactly), then /fetch refuses it: it names no task."""
    guesses.settle_status("FETCH-UNKNOWN", client.post("/fetch", {"task_id": edge_id(edge, pool)}))


@pytest.mark.rule("FETCH-UNKNOWN")
@given(task_id=ids())
@example(task_id="contract-unknown-a")
def test_fetch_of_an_unknown_id_is_refused(client: Client, pool: IdPool, guesses: Guesses, task_id: str) -> None:
    """Given an id no account holds, then /fetch refuses it with a client error: 400, as the mock guesses."""
    if not pool.is_known(task_id):
        guesses.settle_status("FETCH-UNKNOWN", client.post("/fetch", {"task_id": task_id}))


@pytest.mark.rule("ACCOUNT")
def test_account_has_the_documented_fields(client: Client) -> None:
    """Given the key, then /account answers 200 with email, credits, plan and total_images."""
    exchange = client.get("/account")
    problem = account_problem(expect_status(exchange, 200, "the account"))
    expect(exchange, problem is None, str(problem))
