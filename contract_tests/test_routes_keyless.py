"""Every route the mock serves is still there: asked without a key, it answers 401 ``{}``, never 404."""

from __future__ import annotations

import pytest

from .client import Client
from .oracle import error_401_problem, expect, expect_status, status_of


@pytest.mark.rule("ROUTE-KEYLESS")
def test_a_route_asked_without_a_key_answers_401_and_an_empty_object(client: Client, served_route: str) -> None:
    """Given no key, when a route the mock serves is asked, then it answers 401 with {}; a 404: it moved or went."""
    method, path = served_route.split(" ")
    exchange = client.get(path, None) if method == "GET" else client.post(path, {}, None)
    expect(exchange, status_of(exchange) != 404, f"{served_route} answered 404: the route moved or went")
    problem = error_401_problem(expect_status(exchange, 401, "no key"))
    expect(exchange, problem is None, str(problem))
