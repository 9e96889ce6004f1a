"""Authentication: the bare key and Bearer accepted, anything else 401 ``{}``, and the key judged first (a guess)."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from .client import Client
from .edges import BARE_KEY, BEARER_KEY, BLANKS_KEY, LOWER_BEARER_KEY, WRONG_KEYS
from .edges import WRONG_KEYS_ELSEWHERE as ELSEWHERE
from .exchange import Exchange, json_body
from .guesses import Guesses
from .oracle import KEY_REFUSED, error_401_problem, expect, expect_status, status_of
from .pool import IdPool
from .strategies import MAX_IDS, MIN_IDS
from .target import Target

ENDPOINTS = ["POST /fetch-many", "POST /fetch", "GET /account"]
REFUSED = KEY_REFUSED


def ask(client: Client, pool: IdPool, endpoint: str, auth: str | None) -> Exchange:
    """Send a request with a valid body to `endpoint`, authorised by `auth`."""
    method, path = endpoint.split(" ")
    if method == "GET":
        return client.get(path, auth)
    if path == "/fetch":
        return client.post(path, {"task_id": pool.distinct(1)[0]}, auth)
    return client.post(path, {"task_ids": pool.distinct(MIN_IDS)}, auth)


@pytest.mark.rule("AUTH-BARE")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_bare_key_is_accepted(client: Client, pool: IdPool, endpoint: str) -> None:
    """Given the bare key, when any endpoint is called, then the key is not refused."""
    exchange = ask(client, pool, endpoint, BARE_KEY)
    expect(exchange, status_of(exchange) not in REFUSED, "the bare key was refused")


@pytest.mark.rule("AUTH-BLANKS")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_blanks_around_the_key_are_not_part_of_it(
    client: Client, pool: IdPool, guesses: Guesses, endpoint: str
) -> None:
    """Given the key with blanks around it, then it is accepted as the mock guesses, or as calibrated."""
    exchange = ask(client, pool, endpoint, BLANKS_KEY)
    guesses.settle("AUTH-BLANKS", status_of(exchange) not in REFUSED, exchange)


@pytest.mark.rule("AUTH-BEARER")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bearer_and_the_key_is_accepted(client: Client, pool: IdPool, endpoint: str) -> None:
    """Given `Bearer <key>`, as the official clients send it, when any endpoint is called, then it is not refused."""
    exchange = ask(client, pool, endpoint, BEARER_KEY)
    expect(exchange, status_of(exchange) not in REFUSED, f"`{BEARER_KEY}` was refused")


@pytest.mark.rule("AUTH-BEARER-CASE")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bearer_in_lower_case_is_accepted(client: Client, pool: IdPool, guesses: Guesses, endpoint: str) -> None:
    """Given `bearer <key>`, the scheme in lower case, then it is accepted as the mock guesses, or as calibrated."""
    exchange = ask(client, pool, endpoint, LOWER_BEARER_KEY)
    guesses.settle("AUTH-BEARER-CASE", status_of(exchange) not in REFUSED, exchange)


@pytest.mark.rule("AUTH-401")
@pytest.mark.parametrize(
    ("endpoint", "case"),
    [
        (endpoint, case)
        for endpoint in ENDPOINTS
        for case in WRONG_KEYS
        if endpoint == ENDPOINTS[0] or case in ELSEWHERE
    ],
)
def test_a_missing_empty_or_wrong_key_gets_401_and_an_empty_object(
    client: Client, pool: IdPool, endpoint: str, case: str
) -> None:
    """Given no key, an empty one or a wrong one, then the answer is 401 with the body exactly {}."""
    exchange = ask(client, pool, endpoint, WRONG_KEYS[case])
    answer = expect_status(exchange, 401, f"a {case} key")
    problem = error_401_problem(answer)
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("AUTH-401")
@given(key=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="$"), max_size=64))
@example(key="Bearer")
def test_any_other_key_gets_401(client: Client, pool: IdPool, target: Target, key: str) -> None:
    """Given any printable text that is not the key, then /fetch-many answers 401 with {}."""
    # A short real key could be drawn; HTTP strips the spaces around a header value.
    assume(key.strip() not in (target.api_key, f"Bearer {target.api_key}"))
    exchange = client.post("/fetch-many", {"task_ids": pool.distinct(MIN_IDS)}, key)
    answer = expect_status(exchange, 401, "a key that is not the key")
    problem = error_401_problem(answer)
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("AUTH-FIRST")
@pytest.mark.parametrize(
    ("auth", "body"),
    [
        (None, b"{not json"),
        ("not-the-key", json_body({"task_ids": []})),
        ("", json_body({"task_ids": [str(n) for n in range(MAX_IDS + 1)]})),
    ],
    ids=["missing key, malformed JSON", "wrong key, no ids", "empty key, too many ids"],
)
def test_the_key_is_judged_before_the_body(client: Client, guesses: Guesses, auth: str | None, body: bytes) -> None:
    """Given a bad key and a bad body, then the answer refuses the key, not the body, as the mock guesses."""
    guesses.settle_key_first(client.post_raw("/fetch-many", body, auth))


@pytest.mark.rule("AUTH-FIRST")
def test_fetch_judges_the_key_before_the_body(client: Client, guesses: Guesses) -> None:
    """Given a wrong key and no task_id, then /fetch refuses the key, not the body, as the mock guesses."""
    guesses.settle_key_first(client.post("/fetch", {}, "not-the-key"))
