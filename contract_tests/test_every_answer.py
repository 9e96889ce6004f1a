"""Rules every answer keeps, whatever was asked: JSON, no 5xx, the 400 and 200 envelopes.

Each rule gets requests of its own here, and an after-all judge of every answer the run received.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from .client import Client
from .exchange import BEARER_KEY, JSON_HEADERS, KEY, Answer, Request, json_body
from .ledger import LEDGER_RULES, Ledger
from .oracle import Drift, content_type_problem, error_400_problem, expect, ok_shape_problem, server_error_problem
from .run import per_rule
from .strategies import MAX_IDS, MIN_IDS, id_lists, json_values, not_json

PATHS = ["/fetch-many", "/fetch", "/account"]


def bodies() -> st.SearchStrategy[bytes]:
    """Any body: a valid fetch-many body, any JSON value, or bytes that are not JSON."""
    valid = id_lists(MIN_IDS, MAX_IDS).map(lambda task_ids: json_body({"task_ids": task_ids}))
    return st.one_of(valid, json_values().map(json_body), not_json())


def requests() -> st.SearchStrategy[Request]:
    """Any request to any endpoint, with the key, a wrong one, or none."""
    auth = st.sampled_from([(("Authorization", KEY),), (("Authorization", BEARER_KEY),), (("Authorization", "x"),), ()])
    post = st.builds(
        lambda path, headers, body: Request("POST", path, (*headers, *JSON_HEADERS), body),
        st.sampled_from(PATHS[:2]),
        auth,
        bodies(),
    )
    get = st.builds(lambda headers: Request("GET", "/account", headers), auth)
    return st.one_of(post, get)


def judge(client: Client, request: Request, problem: Callable[[Answer], str | None]) -> None:
    """Send `request` and raise Drift if `problem` finds one in its answer."""
    exchange = client.send(request)
    if exchange.answer is None:
        raise Drift(f"no answer: {exchange.problem}", exchange)
    found = problem(exchange.answer)
    expect(exchange, found is None, str(found))


@pytest.mark.rule("CONTENT-TYPE")
@given(request=requests())
@example(request=Request("POST", "/fetch-many", JSON_HEADERS, b"{"))
@example(request=Request("GET", "/account"))
@example(request=Request("POST", "/fetch-many", (("Authorization", KEY),), b'{"task_ids": ["a", "b"]}'))
def test_every_answer_is_json(client: Client, request: Request) -> None:
    """Given any request, then the answer is application/json and its body is JSON."""
    judge(client, request, content_type_problem)


@pytest.mark.rule("NO-5XX")
@given(request=requests())
@example(request=Request("POST", "/fetch-many", (("Authorization", KEY),), b"\x00\xff"))
@example(request=Request("POST", "/fetch-many", (("Authorization", KEY), *JSON_HEADERS), b'{"task_ids": [[[[[]]]]]}'))
def test_no_request_gets_a_5xx(client: Client, request: Request) -> None:
    """Given any request, then the answer is not a 5xx."""
    judge(client, request, server_error_problem)


@pytest.mark.rule("ERROR-SHAPE")
@given(body=bodies())
@example(body=b'{"task_ids": []}')
@example(body=b"[]")
def test_a_400_has_the_documented_shape(client: Client, body: bytes) -> None:
    """Given any body with the key, then a 400 answer is {"errors": [{"msg": ...}]}."""

    def problem(answer: Answer) -> str | None:
        return error_400_problem(answer) if answer.status == 400 else None

    judge(client, Request("POST", "/fetch-many", (("Authorization", KEY), *JSON_HEADERS), body), problem)


@pytest.mark.rule("OK-SHAPE")
@given(task_ids=id_lists(MIN_IDS, MAX_IDS))
@example(task_ids=["contract-unknown-a", "contract-unknown-b"])
def test_a_200_has_a_tasks_array(client: Client, task_ids: list[str]) -> None:
    """Given a valid body, then a 200 answer is an object with a tasks array."""

    def problem(answer: Answer) -> str | None:
        return ok_shape_problem(answer) if answer.status == 200 else None

    judge(
        client,
        Request("POST", "/fetch-many", (("Authorization", KEY), *JSON_HEADERS), json_body({"task_ids": task_ids})),
        problem,
    )


@pytest.mark.after_all
@pytest.mark.parametrize("rule_id", per_rule(LEDGER_RULES))
def test_every_answer_of_the_run_kept_the_rule(client: Client, ledger: Ledger, rule_id: str) -> None:
    """Given every answer the run received, then none broke the rule; the smallest breach is shown."""
    breach = ledger.minimal(rule_id)
    if breach is not None:
        raise Drift(breach.reason, breach.exchange)
