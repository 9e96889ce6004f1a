"""Valid submissions for every submit endpoint, built from its request schema, for the specs and the fuzzing."""

from __future__ import annotations

from typing import Any

from mockserver import TaskStore, build_task, bundled_schemas
from mockserver.submissions import Endpoint, load_endpoints

ENDPOINTS = load_endpoints()
"""Every submit endpoint, by name."""
PROMPT = "a lighthouse at dusk"


def sample(schema: dict[str, Any], name: str) -> Any:
    """Return a value that `schema` accepts for the field `name`, as a client would send it."""
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return sample(schema["anyOf"][0], name)
    kind = schema.get("type")
    if kind == "array":
        return [sample(schema.get("items", {}), name) for _ in range(max(schema.get("minItems", 1), 1))]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return f"https://cdn.example.invalid/{name}.png" if "url" in name or name == "mask" else PROMPT


def parent_of(endpoint: Endpoint, store: TaskStore) -> str | None:
    """Store a finished task that `endpoint` can act on and return its id (None if it acts on none)."""
    if endpoint.parent is None:
        return None
    task = build_task(endpoint.parent.task_types[0], "finished")
    store.put(task)
    return str(task["task_id"])


def valid_body(endpoint: Endpoint, store: TaskStore) -> dict[str, Any]:
    """Return a body that `endpoint` accepts, its parent task (if it needs one) stored in `store`."""
    schema = bundled_schemas().documents[endpoint.schema]
    required = list(schema.get("required", []))
    if "anyOf" in schema:
        required += schema["anyOf"][0].get("required", [])
    body = {name: sample(schema["properties"].get(name, {}), name) for name in required}
    parent = parent_of(endpoint, store)
    if parent is not None and endpoint.parent is not None:
        body[endpoint.parent.field] = parent
    return body
