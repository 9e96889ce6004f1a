"""v2's request checks: the variant a body names, then the body against that variant's schema, field by field.

A refusal is a 400 ``{"error", "details"}`` whose `details` maps the JSON path of each wrong field
(``fluxParams.width``, ``webhookEvents.0``) to what is wrong there, as the vendor's validator answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from ...engine.paging import Position, decode_cursor
from ...errors import InvalidFields
from ...http.bodies import json_type
from ...numbers import whole_number
from ...schemas import SchemaSet
from ...wire import JSONObject, encode_json, quote_id
from .models import JobRoute, Variant

INVALID = "Invalid request body"
"""The `error` of every 400 that has `details`."""
ROOT = "(body)"
"""The path `details` gives a problem with the body as a whole."""
MAX_PAGE_SIZE = 100
"""The largest `limit` a list route (GET /v2/jobs, GET /v2/loras) takes; the smallest is 1 (vendor document)."""
_BOUNDS = {
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "pattern": "a string matching {}",
}


def _path(parts: Any) -> str:
    return ".".join(str(part) for part in parts) or ROOT


def _join(path: str, name: str) -> str:
    return name if path == ROOT else f"{path}.{name}"


def _allowed(schema: Mapping[str, Any]) -> list[object]:
    if "enum" in schema:
        return list(schema["enum"])
    return [value for branch in schema.get("anyOf", []) for value in _allowed(branch)]


def _shown(values: list[object]) -> str:
    return ", ".join(encode_json(value).decode() for value in values)


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    """Say what `error` finds wrong, as (JSON path, message) pairs."""
    path = _path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return [(_join(path, missing), "Required")]
    if error.validator == "additionalProperties":
        known = ", ".join(sorted(schema.get("properties", {})))
        instance = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return [(_join(path, name), f"Unrecognized key: allowed here are {known}") for name in extra]
    if error.validator in ("enum", "anyOf") and _allowed(schema):
        return [(path, f"Must be one of {_shown(_allowed(schema))}, not {encode_json(error.instance).decode()[:80]}")]
    if error.validator == "type":
        return [(path, f"Expected {error.validator_value}, received {json_type(error.instance)}")]
    if error.validator in _BOUNDS:
        return [(path, "Must be " + _BOUNDS[str(error.validator)].format(error.validator_value))]
    return [(path, error.message)]


def details_of(body: JSONObject, schema: str, schemas: SchemaSet) -> dict[str, list[str]]:
    """Return what is wrong with `body` by JSON path; empty when the schema file `schema` accepts it."""
    if schemas.predicate(schema)(body):
        return {}
    details: dict[str, list[str]] = {}
    for error in schemas.validator(schema).iter_errors(body):
        for path, message in _problems(error):
            details.setdefault(path, []).append(message)
    return details


def check_request(body: JSONObject, route: JobRoute, schemas: SchemaSet) -> Variant:
    """Return the variant `body` names on `route`, or raise InvalidFields naming every wrong field."""
    name = body.get(route.field)
    variant = route.variants.get(name) if isinstance(name, str) else None
    if variant is None:
        shown = "missing" if route.field not in body else encode_json(name).decode()[:80]
        raise InvalidFields(
            INVALID,
            {route.field: [f"Is {shown}: POST {route.path} takes one of {', '.join(route.variants)}"]},
        )
    details = details_of(body, variant.schema, schemas)
    if details:
        raise InvalidFields(INVALID, details)
    return variant


def check_paging(
    params: Mapping[str, str], default_limit: int, details: dict[str, list[str]]
) -> tuple[int, Position | None]:
    """Return a list request's page size and where its page starts after, adding what is wrong to `details`."""
    limit = params.get("limit", str(default_limit))
    size = whole_number(limit)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        details["limit"] = [f"Must be a whole number from 1 to {MAX_PAGE_SIZE}, not {quote_id(limit)}"]
    cursor = params.get("cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    if cursor is not None and after is None:
        details["cursor"] = ["Invalid cursor: give the nextCursor of an earlier page"]
    return (default_limit if size is None or "limit" in details else size), after
