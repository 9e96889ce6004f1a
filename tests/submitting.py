"""Valid submissions for every submit endpoint, built from its request schema, for the specs and the fuzzing."""

from __future__ import annotations

from typing import Any

from contract_tests.submissions import ENDPOINTS as ENDPOINTS
from contract_tests.submissions import PROMPT as PROMPT
from contract_tests.submissions import body_for
from mockserver import TaskStore, build_task
from mockserver.edges.v1 import Endpoint


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
