"""v2's submissions, which cost credits: 202 and a job that moves forward, and an over-long Idempotency-Key refused.

A live run sends these only with ``--allow-submissions N``; against the mock they run always.
"""

from __future__ import annotations

import pytest

from .client import Client
from .edges_v2 import GENERATE, LONG_IDEMPOTENCY_KEY, body_of, valid_body
from .oracle import expect, expect_status
from .oracle_v2 import ENDS, job_problem, schema_problem, validation_problem
from .plan import POLLS


@pytest.mark.rule("V2-SUBMIT-OK")
@pytest.mark.sends("polls")
@pytest.mark.parametrize("route", list(GENERATE))
def test_a_valid_submission_is_queued_and_can_be_read(v2_client: Client, route: str) -> None:
    """Given a valid body, then 202 {"jobId", "status": "QUEUED"}, and the job reads back until it ends."""
    v2_client.ensure_submission_left()
    exchange = v2_client.submit(route, valid_body(route))
    answer = expect_status(exchange, 202, "a valid submission")
    problem = schema_problem("v2/job-accepted.json", answer.body, "the 202 body")
    expect(exchange, problem is None, str(problem))
    job_id = answer.body["jobId"]
    for _ in range(POLLS - 1):
        read = v2_client.get(f"/v2/jobs/{job_id}")
        problem = job_problem(expect_status(read, 200, "the job just submitted"), job_id)
        expect(read, problem is None, str(problem))
        if body_of(read, "the job")["status"] in ENDS:
            break


@pytest.mark.rule("V2-IDEMPOTENCY-LONG")
def test_an_idempotency_key_of_256_characters_gets_400(v2_client: Client) -> None:
    """Given a valid body and an Idempotency-Key one character over 255, then 400 in v2's shape."""
    v2_client.ensure_submission_left()  # a server that took the key would start a job, which costs credits
    exchange = v2_client.submit(next(iter(GENERATE)), valid_body(), (("Idempotency-Key", LONG_IDEMPOTENCY_KEY),))
    answer = exchange.answer
    problem = validation_problem(answer) if answer is not None else f"no answer: {exchange.problem}"
    expect(exchange, problem is None, f"an Idempotency-Key of 256 characters: {problem}")
