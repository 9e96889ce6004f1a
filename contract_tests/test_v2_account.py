"""v2's key, account and catalog: /v2/me, 401 in v2's shape without a key, /v2/models public, unknown paths."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from .client import Client
from .edges_v2 import IMAGE_ROUTE, NO_JOB, UNKNOWN_PATH, WRONG_KEYS, valid_body
from .exchange import JSON_HEADERS, KEY, Exchange, json_body
from .exchange import Request as Sent
from .guesses import Guesses
from .oracle import expect, expect_status
from .oracle_v2 import error_problem, expect_error, schema_problem
from .target import Target

KEYED = [("GET", "/v2/me"), ("GET", "/v2/jobs"), ("GET", f"/v2/jobs/{NO_JOB}"), ("POST", IMAGE_ROUTE)]
"""A keyed route of each kind: the account, the list, a job read, and a generate route (a valid body)."""


def ask(client: Client, method: str, path: str, key: str | None) -> Exchange:
    """Send `method` `path` with `key` as X-API-Key (None for no header), and a valid body on a POST."""
    if method == "GET":
        return client.get(path, key)
    return client.post(path, valid_body(path), key)


@pytest.mark.rule("V2-ME")
def test_me_answers_the_account(v2_client: Client) -> None:
    """Given the key, when GET /v2/me, then 200 with the user, the team (credits, plan) and the key."""
    exchange = v2_client.get("/v2/me")
    answer = expect_status(exchange, 200, "the account")
    problem = schema_problem("v2/me.json", answer.body, "the account")
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("V2-AUTH-401")
@pytest.mark.parametrize(("method", "path", "case"), [(*route, case) for route in KEYED for case in WRONG_KEYS])
def test_no_key_or_an_unknown_one_gets_401(v2_client: Client, method: str, path: str, case: str) -> None:
    """Given no key or one no team holds, when any keyed route is called, then 401 {"error": "<text>"}."""
    expect_error(ask(v2_client, method, path, WRONG_KEYS[case]), 401, f"a {case} key")


@pytest.mark.rule("V2-AUTH-401")
@given(key=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="$"), max_size=64))
@example(key="afk_")
def test_any_other_key_gets_401(v2_client: Client, v2_target: Target, key: str) -> None:
    """Given any printable text that is not the key, then GET /v2/me answers 401 in v2's shape."""
    assume(key.strip() != v2_target.api_key)
    expect_error(v2_client.get("/v2/me", key), 401, "a key that is not the key")


@pytest.mark.rule("V2-MODELS-PUBLIC")
@pytest.mark.parametrize("path", ["/v2/models", "/v2/models?modality=music"])
def test_the_model_catalog_needs_no_key(v2_client: Client, path: str) -> None:
    """Given no key, when GET /v2/models, then 200 with the catalog."""
    exchange = v2_client.get(path, None)
    answer = expect_status(exchange, 200, "the public catalog without a key")
    problem = schema_problem("v2/model-catalog.json", answer.body, "the catalog")
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("V2-UNKNOWN-PATH")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_path_gets_404_in_v2s_shape(v2_client: Client, guesses: Guesses, method: str) -> None:
    """Given the key, when a path under /v2 no page shows is called, then 404, in v2's shape as the mock guesses."""
    body = json_body(valid_body()) if method == "POST" else None
    headers = ((v2_client.key_header, KEY), *(JSON_HEADERS if body is not None else ()))
    exchange = v2_client.send(Sent(method, UNKNOWN_PATH, headers, body))
    answer = expect_status(exchange, 404, "a path no page shows")
    problem = error_problem(answer, 404)
    guesses.settle("V2-UNKNOWN-PATH", "v2's error shape" if problem is None else problem, exchange)
