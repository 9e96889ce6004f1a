"""Submissions a server must refuse: without the key, without a required field, a wrong value, an unknown parent.

None of these starts a task on a server that keeps the contract, so they run against any server. Each
body that carries the key also names no real task where the endpoint acts on one.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from mockserver.edges.v1 import Endpoint

from .client import Client
from .guesses import Guesses, drift_as_guess
from .oracle import error_401_problem, expect, expect_status
from .pool import IdPool
from .served import unseen_because
from .strategies import ids, json_values
from .submissions import UNKNOWN_PARENT, accepts, body_for, guessed_because, missing_bodies, with_value

WRONG_KEY = "not-the-key"


@pytest.mark.rule("SUBMIT-AUTH")
def test_a_submission_without_a_key_gets_401_and_an_empty_object(client: Client, submit_endpoint: Endpoint) -> None:
    """Given no key and a body with every required field, then the answer is 401 with the body exactly {}."""
    exchange = client.post(submit_endpoint.path, body_for(submit_endpoint), None)
    with drift_as_guess(submit_endpoint.path, unseen_because(f"POST {submit_endpoint.path}")):
        problem = error_401_problem(expect_status(exchange, 401, "no key"))
        expect(exchange, problem is None, str(problem))


@pytest.mark.rule("SUBMIT-AUTH")
def test_a_submission_with_a_wrong_key_gets_401_and_an_empty_object(client: Client, submit_endpoint: Endpoint) -> None:
    """Given a wrong key and a body with every required field, then the answer is 401 with the body exactly {}."""
    exchange = client.post(submit_endpoint.path, body_for(submit_endpoint), WRONG_KEY)
    with drift_as_guess(submit_endpoint.path, unseen_because(f"POST {submit_endpoint.path}")):
        problem = error_401_problem(expect_status(exchange, 401, "a wrong key"))
        expect(exchange, problem is None, str(problem))


@pytest.mark.rule("AUTH-FIRST")
def test_a_wrong_key_is_judged_before_the_body(client: Client, guesses: Guesses, submit_endpoint: Endpoint) -> None:
    """Given a wrong key and a body missing a required field, then the key is refused, not the body, as guessed."""
    _, body = next(missing_bodies(submit_endpoint))
    exchange = client.post(submit_endpoint.path, body, WRONG_KEY)
    with drift_as_guess(submit_endpoint.path, unseen_because(f"POST {submit_endpoint.path}")):
        guesses.settle_key_first(exchange)


@pytest.mark.rule("SUBMIT-REQUIRED")
@pytest.mark.sends("missing")
def test_a_submission_without_a_required_field_is_refused(client: Client, submit_endpoint: Endpoint) -> None:
    """Given a body without one required field (or any of its alternatives), then the answer is 400."""
    for missing, body in missing_bodies(submit_endpoint):
        with drift_as_guess(submit_endpoint.path, guessed_because(submit_endpoint)):
            expect_status(client.post(submit_endpoint.path, body), 400, f"{missing} left out")


@pytest.mark.rule("SUBMIT-TYPES")
@given(pick=st.integers(0, 10_000), field=st.integers(0, 10_000), value=json_values())
@example(pick=0, field=0, value=7)  # /imagine's prompt a number
@example(pick=1, field=1, value="5")  # /upscale-1x's index past the four images
def test_a_field_of_the_wrong_type_or_value_is_refused(
    client: Client, guesses: Guesses, submit_endpoints: list[Endpoint], pick: int, field: int, value: object
) -> None:
    """Given a body whose one field the request schema refuses, then the answer is 400, as the mock guesses."""
    endpoint = submit_endpoints[pick % len(submit_endpoints)]
    _, body = with_value(endpoint, field, value)
    assume(not accepts(endpoint, body))
    with drift_as_guess(endpoint.path, guessed_because(endpoint)):
        guesses.settle_body_status("SUBMIT-TYPES", client.post(endpoint.path, body))


@pytest.mark.rule("SUBMIT-PARENT")
@given(task_id=ids())
@example(task_id=UNKNOWN_PARENT)
def test_a_parent_that_names_no_task_is_refused(
    client: Client, pool: IdPool, guesses: Guesses, parent_endpoint: Endpoint, task_id: str
) -> None:
    """Given an otherwise valid body whose parent id no account holds, then a client error: 400, as the mock guesses."""
    parent = parent_endpoint.parent
    assert parent is not None
    body = {**body_for(parent_endpoint), parent.field: task_id}
    if not pool.is_known(task_id) and accepts(parent_endpoint, body):
        with drift_as_guess(parent_endpoint.path, guessed_because(parent_endpoint)):
            guesses.settle_status("SUBMIT-PARENT", client.post(parent_endpoint.path, body))
