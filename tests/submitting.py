"""Valid submissions for every submit endpoint, built from its request schema, for the specs and the fuzzing."""

from __future__ import annotations

from typing import Any

from contract_tests.submissions import ENDPOINTS as ENDPOINTS
from contract_tests.submissions import PROMPT as PROMPT
from contract_tests.submissions import body_for
from mockserver import TaskStore, build_task
from mockserver.edges.v1 import Endpoint

from .conftest import Api


def parent_of(endpoint: Endpoint, store: TaskStore) -> str | None:
    """Store a finished task that `endpoint` can act on and return its id (None if it acts on none)."""
    if endpoint.parent is None:
        return None
    task = build_task(endpoint.parent.task_types[0], "finished")
    store.put(task)
    return str(task["task_id"])


def valid_body(endpoint: Endpoint, store: TaskStore) -> dict[str, Any]:
    """Return a body that `endpoint` accepts, its parent task (if it needs one) stored in `store`."""
    return body_for(endpoint, parent_of(endpoint, store))


def fetch(api: Api, task_id: str) -> dict[str, Any]:
    """Return the task with `task_id` as POST /fetch answers it, asserting a 200."""
    answer = api.post("/fetch", {"task_id": task_id})
    assert answer.status == 200, answer.body
    body: dict[str, Any] = answer.body
    return body


def lifecycle(api: Api, task_id: str) -> list[dict[str, Any]]:
    """Fetch the task until it ends, returning each answer."""
    seen = [fetch(api, task_id)]
    while seen[-1]["status"] not in ("finished", "failed"):
        seen.append(fetch(api, task_id))
        assert len(seen) < 50
    return seen
