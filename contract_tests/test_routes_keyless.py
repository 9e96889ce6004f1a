"""Every route the mock serves is still there: asked without a key, it answers 401 ``{}``, never 404."""

from __future__ import annotations

import pytest

from .client import Client
from .exchange import Exchange
from .guesses import Guesses
from .oracle import error_401_problem, expect, expect_status, status_of
from .served import keyless_request


def ask_keyless(client: Client, route: str) -> Exchange:
    """Ask `route` (``METHOD /path``) without a key, with a body it would take with one (AUTH-FIRST is a guess)."""
    return client.send(keyless_request(route))


def expect_401(exchange: Exchange) -> None:
    """Raise Drift unless the answer is 401 with the body exactly {}."""
    problem = error_401_problem(expect_status(exchange, 401, "no key"))
    expect(exchange, problem is None, str(problem))


@pytest.mark.rule("ROUTE-KEYLESS")
def test_a_route_asked_without_a_key_answers_401_and_an_empty_object(client: Client, served_route: str) -> None:
    """Given no key, when a route a vendor page shows is asked, then it answers 401 with {}; a 404: it moved or went."""
    exchange = ask_keyless(client, served_route)
    expect(exchange, status_of(exchange) != 404, f"{served_route} answered 404: the route moved or went")
    expect_401(exchange)


@pytest.mark.rule("ROUTE-UNSEEN")
def test_a_route_no_page_shows_answers_401_as_the_mock_guesses(
    client: Client, guesses: Guesses, unseen_route: str
) -> None:
    """Given no key, when a route known from the SDKs or the Pro host is asked, then 401 {}; a 404 is a guess missed."""
    exchange = ask_keyless(client, unseen_route)
    if status_of(exchange) == 404:
        guesses.settle("ROUTE-UNSEEN", 404, exchange)
    expect_401(exchange)
