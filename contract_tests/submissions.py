"""Submission bodies for every submit endpoint, built from its request schema in ``schemas/submit/``.

A refusal body is one the endpoint must refuse. Where the endpoint acts on a task, its parent field
names no task: a server that wrongly took the body anyway would still have nothing to act on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mockserver.edges.v1 import Endpoint, load_endpoints
from mockserver.schemas import bundled_schemas

from .pool import IdPool

ENDPOINTS = load_endpoints()
"""Every submit endpoint, by name."""
SUBMIT_PATHS = frozenset(endpoint.path for endpoint in ENDPOINTS.values())
LIVE_SAMPLE = ("imagine", "upscale-1x", "ideogram-imagine")
"""The endpoints the live profile tries, one of each shape: a prompt; a parent and an index; synchronous."""
OTHER_HOST_PREFIX = "/pro/"
"""The Pro Midjourney routes, which the vendor serves on another host (api.apiframe.ai) and the mock on its one port."""
OTHER_HOST = "the vendor serves it on another host (api.apiframe.ai)"
PROMPT = "a lighthouse at dusk"
UNKNOWN_PARENT = IdPool(()).unknown(1)[0]
_SCHEMAS = bundled_schemas()


def chosen_endpoints(every: bool) -> list[Endpoint]:
    """Return the endpoints a run tries: the live sample first, then, if `every`, all the others."""
    sample = [ENDPOINTS[name] for name in LIVE_SAMPLE]
    rest = [endpoint for name, endpoint in ENDPOINTS.items() if name not in LIVE_SAMPLE]
    return sample + rest if every else sample


def request_schema(endpoint: Endpoint) -> dict[str, Any]:
    """Return the request schema of `endpoint`."""
    schema: dict[str, Any] = _SCHEMAS.documents[endpoint.schema]
    return schema


def guessed_because(endpoint: Endpoint) -> str:
    """Say why what `endpoint` does is the mock's guess (no vendor page shows it on this host), or "" if a page does."""
    if endpoint.path.startswith(OTHER_HOST_PREFIX):
        return OTHER_HOST
    if request_schema(endpoint)["x-submit"].get("source") == "M":
        return "no vendor page shows its body (its fields and answer come from the SDKs and other callers)"
    return ""


def accepts(endpoint: Endpoint, body: object) -> bool:
    """Say whether the request schema of `endpoint` accepts `body`."""
    return _SCHEMAS.predicate(endpoint.schema)(body)


def sample(schema: Mapping[str, Any], name: str) -> Any:
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


def required_groups(endpoint: Endpoint) -> list[tuple[str, ...]]:
    """Return each field a body must have, and each set of fields of which it must have one (prompt or lyrics)."""
    schema = request_schema(endpoint)
    alternatives = tuple(name for branch in schema.get("anyOf", ()) for name in branch.get("required", ()))
    groups: list[tuple[str, ...]] = [(name,) for name in schema.get("required", ())]
    return [*groups, alternatives] if alternatives else groups


def body_for(endpoint: Endpoint, parent: str | None = None) -> dict[str, Any]:
    """Return a body with every field `endpoint` requires; its parent field names `parent`, else no task."""
    schema = request_schema(endpoint)
    names = [group[0] for group in required_groups(endpoint)]
    body = {name: sample(schema["properties"].get(name, {}), name) for name in names}
    if endpoint.parent is not None and endpoint.parent.field in body:
        body[endpoint.parent.field] = parent or UNKNOWN_PARENT
    return body


def missing_bodies(endpoint: Endpoint) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield, for each required field (or set of alternatives), what is left out and a body without it."""
    full = body_for(endpoint)
    for group in required_groups(endpoint):
        yield " or ".join(group), {name: value for name, value in full.items() if name not in group}


def fields_of(endpoint: Endpoint) -> list[str]:
    """Return the fields the request schema of `endpoint` names, the required ones first."""
    required = [name for group in required_groups(endpoint) for name in group]
    return [*required, *(name for name in request_schema(endpoint)["properties"] if name not in required)]


def with_value(endpoint: Endpoint, pick: int, value: object) -> tuple[str, dict[str, Any]]:
    """Return the field at `pick` (modulo their number) and a refusal-safe body with `value` there."""
    names = fields_of(endpoint)
    name = names[pick % len(names)]
    return name, {**body_for(endpoint), name: value}


def parent_for(endpoint: Endpoint, tasks: Sequence[Mapping[str, Any]]) -> str | None:
    """Return the id of a task among `tasks` that `endpoint` can act on, or None if it needs one and none is."""
    parent = endpoint.parent
    if parent is None:
        return None
    fits = (
        task
        for task in tasks
        if task.get("task_type") in parent.task_types
        and task.get("status") == parent.status
        and _has_images(task, parent.index_field)
    )
    task = next(fits, None)
    return str(task["task_id"]) if task is not None else None


def _has_images(task: Mapping[str, Any], index_field: str | None) -> bool:
    """Say whether `task` has the images an index picks from (any task does when there is no index)."""
    images = task.get("image_urls")
    return index_field is None or (isinstance(images, list) and len(images) >= 1)
