"""v2's job reads and list: each job in the `Job` shape, the pages newest first, and the mock's guesses on jobs.

The jobs read are the newest on the account (its first page of GET /v2/jobs), the ones this run
submitted among them; an account with none leaves these rules without a verdict, saying why.
"""

from __future__ import annotations

from typing import Any

import pytest

from .client import Client
from .exchange import Exchange
from .guesses import Guesses
from .jobs_v2 import page_path
from .ledger import V2_LEDGER_RULES, Ledger
from .oracle import Drift, expect, expect_status
from .oracle_v2 import ENDS, MOCK_CREDIT_COST, MODALITY_OF_MODEL, job_problem, order_problem, schema_problem
from .plan import PAGES
from .run import per_rule

PAGE_SIZE = 2
"""Jobs per page when following the cursor: small, so that a few jobs make several pages."""


def read_jobs(reads: list[Exchange]) -> list[tuple[Exchange, dict[str, Any]]]:
    """Return each read that answered a job, with the job."""
    return [
        (exchange, exchange.answer.body)
        for exchange in reads
        if exchange.answer is not None and exchange.answer.status == 200 and isinstance(exchange.answer.body, dict)
    ]


@pytest.mark.rule("V2-JOB-SCHEMA")
@pytest.mark.sends("jobs")
def test_every_job_read_has_the_job_shape(job_reads: list[Exchange]) -> None:
    """Given the newest jobs on the account, when each is read, then 200 with the `Job` shape and its own id."""
    for exchange in job_reads:
        answer = expect_status(exchange, 200, "a job the list shows")
        problem = job_problem(answer, exchange.request.path.rsplit("/", 1)[1])
        expect(exchange, problem is None, str(problem))


@pytest.mark.rule("V2-LIST-PAGES")
@pytest.mark.sends("pages")
def test_pages_are_newest_first_and_show_no_job_twice(v2_client: Client) -> None:
    """Given the account's jobs, when the pages are followed by `nextCursor`, then newest first and no job twice."""
    jobs: list[Any] = []
    path = page_path(PAGE_SIZE)
    for _ in range(PAGES):
        exchange = v2_client.get(path)
        answer = expect_status(exchange, 200, "a page of jobs")
        problem = schema_problem("v2/job-list.json", answer.body, "the page")
        expect(exchange, problem is None, str(problem))
        jobs += answer.body["jobs"]
        problem = order_problem(jobs)
        expect(exchange, problem is None, f"across {len(jobs)} jobs: {problem}")
        cursor = answer.body["nextCursor"]
        if not answer.body["hasMore"] or not cursor:
            break
        path = page_path(PAGE_SIZE, cursor)
    if len(jobs) < PAGE_SIZE:
        pytest.skip(f"the account has {len(jobs)} jobs: pages need {PAGE_SIZE} or more")


@pytest.mark.rule("V2-CREDIT-COST")
@pytest.mark.sends("0")
def test_a_job_costs_the_mocks_price(job_reads: list[Exchange], guesses: Guesses) -> None:
    """Given the jobs read, then each one's `creditCost` is the mock's price of its modality, as it guesses."""
    for exchange, job in read_jobs(job_reads):
        modality = MODALITY_OF_MODEL.get(str(job.get("model")))
        if modality is not None and job.get("creditCost") is not None:
            seen, guessed = (f"{cost} for {modality}" for cost in (job["creditCost"], MOCK_CREDIT_COST[modality]))
            guesses.settle("V2-CREDIT-COST", seen, exchange, guessed=guessed)


@pytest.mark.rule("V2-EXPIRED")
@pytest.mark.sends("0")
def test_no_job_is_expired(job_reads: list[Exchange], guesses: Guesses) -> None:
    """Given the jobs read, then none is `expired`, as the mock guesses."""
    for exchange, job in read_jobs(job_reads):
        guesses.settle("V2-EXPIRED", job.get("expired", False), exchange)


@pytest.mark.rule("V2-COMPLETED-AT")
@pytest.mark.sends("0")
def test_completed_at_is_set_once_ended(job_reads: list[Exchange], guesses: Guesses) -> None:
    """Given the jobs read, then `completedAt` is null while running and a time once COMPLETED or FAILED."""
    for exchange, job in read_jobs(job_reads):
        ended = job.get("status") in ENDS - {"CANCELLED"}
        stamped = job.get("completedAt") is not None
        guessed = "set once ended" if ended else "null while running"
        seen = guessed if stamped == ended else f"{'set' if stamped else 'null'} while {job.get('status')}"
        guesses.settle("V2-COMPLETED-AT", seen, exchange, guessed=guessed)


@pytest.mark.rule("V2-WEBHOOK-STATUS")
@pytest.mark.sends("0")
def test_a_job_without_a_webhook_has_no_webhook_status(job_reads: list[Exchange], guesses: Guesses) -> None:
    """Given the jobs read that were sent without `webhookUrl`, then each one's `webhookStatus` is null."""
    for exchange, job in read_jobs(job_reads):
        sent = job.get("input")
        if isinstance(sent, dict) and not sent.get("webhookUrl"):
            status = job.get("webhookStatus")
            guesses.settle("V2-WEBHOOK-STATUS", "null" if status is None else str(status), exchange)


@pytest.mark.after_all
@pytest.mark.parametrize("rule_id", per_rule(V2_LEDGER_RULES))
def test_every_v2_answer_of_the_run_kept_the_rule(v2_client: Client, ledger: Ledger, rule_id: str) -> None:
    """Given every v2 answer the run received, then none broke the rule; the smallest breach is shown."""
    breach = ledger.minimal(rule_id)
    if breach is not None:
        raise Drift(breach.reason, breach.exchange)
