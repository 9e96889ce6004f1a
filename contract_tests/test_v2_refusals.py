"""v2's refusals, which cost nothing: invalid bodies, ids that are no UUID or no job's, bad list limits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given

from .client import Client
from .edges_v2 import IMAGE_ROUTE, INVALID_BODIES, NO_JOB, NOT_UUIDS, body_of
from .guesses import Guesses
from .oracle import expect, expect_status
from .oracle_v2 import LIMITS, expect_error, schema_problem, validation_problem
from .strategies import json_values


def refused(client: Client, body: object, field: str | None, path: str = IMAGE_ROUTE) -> None:
    """POST `body` to `path` and hold the answer to a 400 whose `details` name `field`'s JSON path."""
    exchange = client.post(path, body)
    answer = exchange.answer
    problem = validation_problem(answer, field) if answer is not None else f"no answer: {exchange.problem}"
    expect(exchange, problem is None, f"an invalid body: {problem}")


@pytest.mark.rule("V2-INVALID-BODY")
@pytest.mark.parametrize("case", list(INVALID_BODIES))
def test_an_invalid_body_gets_400_with_details_by_path(v2_client: Client, case: str) -> None:
    """Given a body the document's schema refuses, then 400 {"error", "details"} naming the field's JSON path."""
    body, field = INVALID_BODIES[case]
    refused(v2_client, body, field)


@pytest.mark.rule("V2-INVALID-BODY")
@given(body=json_values().filter(lambda value: not isinstance(value, dict)))
@example(body=None)
def test_a_body_that_is_no_object_gets_400(v2_client: Client, body: object) -> None:
    """Given any JSON value that is not an object, then 400 in the `ValidationError` shape."""
    refused(v2_client, body, None)


@pytest.mark.rule("V2-REFUSAL-FREE")
@pytest.mark.sends("4")
def test_refusals_cost_no_credits(v2_client: Client, guesses: Guesses) -> None:
    """Given the team's credits, when two invalid bodies are refused, then the credits are the same, as guessed."""
    before = _credits(v2_client)
    for case in ("no model", "empty prompt"):
        v2_client.post(IMAGE_ROUTE, INVALID_BODIES[case][0])
    exchange = v2_client.get("/v2/me")
    after = _credits_of(body_of(exchange, "the account"))
    seen = "free" if after == before else f"{before} credits before two refusals and {after} after"
    guesses.settle("V2-REFUSAL-FREE", seen, exchange)


def _credits(client: Client) -> Any:
    return _credits_of(body_of(client.get("/v2/me"), "the account"))


def _credits_of(me: dict[str, Any]) -> Any:
    team = me.get("team")
    return team.get("credits") if isinstance(team, dict) else None


@pytest.mark.rule("V2-JOB-ID")
@pytest.mark.parametrize("job_id", NOT_UUIDS)
def test_a_job_id_that_is_no_uuid_gets_400(v2_client: Client, job_id: str) -> None:
    """Given an id that is not a UUID, when GET /v2/jobs/{id}, then 400 {"error": "<text>"}."""
    expect_error(v2_client.get(f"/v2/jobs/{job_id}"), 400, "an id that is no UUID")


@pytest.mark.rule("V2-JOB-UNKNOWN")
@pytest.mark.parametrize("job_id", [NO_JOB, NO_JOB.upper()])
def test_an_unknown_job_gets_404(v2_client: Client, job_id: str) -> None:
    """Given a UUID no job has, when GET /v2/jobs/{id}, then 404 {"error": "<text>"}."""
    expect_error(v2_client.get(f"/v2/jobs/{job_id}"), 404, "a UUID no job has")


@pytest.mark.rule("V2-LIST-LIMIT")
@pytest.mark.parametrize("limit", LIMITS)
def test_a_limit_within_bounds_gets_a_page(v2_client: Client, limit: int) -> None:
    """Given `limit` 1 or 100, when GET /v2/jobs, then 200 with the `JobList` shape and at most `limit` jobs."""
    exchange = v2_client.get(f"/v2/jobs?limit={limit}")
    answer = expect_status(exchange, 200, f"limit={limit}")
    problem = schema_problem("v2/job-list.json", answer.body, "the page")
    expect(exchange, problem is None, str(problem))
    shown = len(answer.body["jobs"])
    expect(exchange, shown <= limit, f"limit={limit} answered {shown} jobs")


@pytest.mark.rule("V2-LIST-LIMIT")
@pytest.mark.parametrize("limit", [str(LIMITS[0] - 1), str(LIMITS[1] + 1), "ten"])
def test_a_limit_out_of_bounds_gets_400(v2_client: Client, limit: str) -> None:
    """Given `limit` 0, 101 or a word, when GET /v2/jobs, then 400 {"error": "<text>"}."""
    expect_error(v2_client.get(f"/v2/jobs?limit={limit}"), 400, f"limit={limit}")
