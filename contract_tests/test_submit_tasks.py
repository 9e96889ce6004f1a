"""Valid submissions: each is accepted, and the task it starts can be fetched, valid, moving forward only.

Every one of these starts a task, which on a real account costs credits: they are sent only as far as
``--allow-submissions`` allows (on loopback, without limit), and the rest is reported not checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.edges.v1 import Endpoint

from .client import Client
from .exchange import Exchange
from .guesses import drift_as_guess
from .lifecycle import lifecycle_problem
from .oracle import (
    expect,
    expect_status,
    percentage_problem,
    schema_problem,
    status_problem,
    submit_answer_problem,
)
from .plan import POLLS
from .retrieval import RetrievalError, fetch_tasks
from .run import Run
from .submissions import body_for, guessed_because, parent_for
from .target import TASK_IDS_ENV, Target

ENDS = ("finished", "failed")


class Parents:
    """The known tasks a submission can act on, fetched the first time an endpoint needs one."""

    def __init__(self, client: Client, known_ids: tuple[str, ...]) -> None:
        self.client = client
        self.known_ids = known_ids
        self.tasks: list[dict[str, Any]] | None = None

    def find(self, endpoint: Endpoint) -> str | None:
        """Return the id of a known task `endpoint` can act on (None if it acts on none); skip if none fits."""
        if endpoint.parent is None:
            return None
        if self.tasks is None:
            try:
                self.tasks = fetch_tasks(self.client, self.known_ids).tasks
            except RetrievalError:
                self.tasks = []
        found = parent_for(endpoint, self.tasks)
        if found is None:
            kinds = ", ".join(endpoint.parent.task_types)
            pytest.skip(
                f"needs the id of a {endpoint.parent.status} task of a kind it acts on ({kinds}): "
                f"give one with --task-ids or ${TASK_IDS_ENV}"
            )
        return found


@pytest.fixture(scope="session")
def parents(client: Client, target: Target, run: Run) -> Parents:
    """Return the finder of parent tasks among the known ids the plan sampled."""
    return Parents(client, run.plan.sampled if run.plan is not None and run.plan.sampled else target.known_ids)


@pytest.fixture(scope="session")
def created() -> dict[str, str]:
    """Return the task id each endpoint's accepted submission created, so a fetch spends no second submission."""
    return {}


def submit(client: Client, parents: Parents, endpoint: Endpoint) -> Exchange:
    """Send `endpoint` a valid submission, if one is left to send and a parent task is at hand where it needs one."""
    client.ensure_submission_left()
    return client.submit(endpoint.path, body_for(endpoint, parents.find(endpoint)))


@pytest.mark.rule("SUBMIT-OK")
def test_a_valid_submission_is_accepted(
    client: Client, parents: Parents, created: dict[str, str], submit_endpoint: Endpoint
) -> None:
    """Given a valid body, then 200 with the new task_id, or the finished task from a synchronous endpoint."""
    exchange = submit(client, parents, submit_endpoint)
    with drift_as_guess(submit_endpoint.path, guessed_because(submit_endpoint)):
        answer = expect_status(exchange, 200, "a valid submission")
        problem = submit_answer_problem(submit_endpoint.path, submit_endpoint.sync, answer)
        expect(exchange, problem is None, str(problem))
    created[submit_endpoint.name] = answer.body["task_id"]


@pytest.mark.rule("SUBMIT-FETCHABLE")
@pytest.mark.sends("polls")
def test_a_submitted_task_is_fetched_valid_and_moving_forward(
    client: Client, parents: Parents, created: dict[str, str], submit_endpoint: Endpoint
) -> None:
    """Given the task a valid submission created, then each fetch shows it valid and never further back."""
    task_id = created.get(submit_endpoint.name)
    if task_id is None:
        answer = submit(client, parents, submit_endpoint).answer
        body = answer.body if answer is not None and answer.status == 200 else None
        task_id = body.get("task_id") if isinstance(body, dict) else None
        if not isinstance(task_id, str):
            pytest.skip("the submission gave no task_id to fetch: see SUBMIT-OK")
    with drift_as_guess(submit_endpoint.path, guessed_because(submit_endpoint)):
        follow(client, task_id)


def follow(client: Client, task_id: str) -> None:
    """Fetch the task `task_id` until it ends (at most POLLS times); raise Drift if a step is invalid or goes back."""
    before: dict[str, Any] | None = None
    for _ in range(POLLS):
        exchange = client.post("/fetch", {"task_id": task_id})
        task = expect_status(exchange, 200, "fetching a submitted task").body
        expect(exchange, isinstance(task, dict) and task.get("task_id") == task_id, "not the task submitted")
        checks = (schema_problem, status_problem, percentage_problem)
        problem = next(filter(None, (check(task) for check in checks)), None)
        if problem is None and before is not None:
            problem = lifecycle_problem(before, task)
        expect(exchange, problem is None, str(problem))
        if task["status"] in ENDS:
            return
        before = task
