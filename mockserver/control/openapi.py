"""The control API's part of /openapi.json, built from its route table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..http.operations import Operation
from ..openapi import json_content
from ..prefixes import CONTROL_PREFIX
from .table import CONTROL_ROUTES

MOCK_SERVERS = [{"url": "/", "description": "this mock, where it serves this document: Apiframe has no such route"}]
"""Where the control routes are: a URL relative to the document's, as OpenAPI 3.1 reads it."""
_PARAMETER = "{task_id:path}"
_TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _operation(operation: Operation, public: bool) -> dict[str, Any]:
    if operation.ok is None:
        content = {operation.media_type: {"schema": {"type": "string"}}}
        return {
            "summary": operation.summary,
            "tags": ["control"],
            "security": [],
            "responses": {"200": {"description": "The file.", "content": content}},
        }
    ok = {"description": "Done.", "content": {"application/json": {"schema": operation.ok}}}
    described: dict[str, Any] = {
        "summary": operation.summary,
        "tags": ["control"],
        "security": [] if public else [{"controlToken": []}],
        "responses": {
            "201" if operation.created else "200": ok,
            "400": {"description": "The body is not valid.", "content": json_content("error-400.json")},
            "401": {"description": "The control token is missing or wrong.", "content": json_content("error-401.json")},
            **operation.extra,
        },
    }
    if operation.body is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "description": operation.body}}},
        }
    if operation.query:
        described["parameters"] = [dict(parameter) for parameter in operation.query]
    return described


def control_paths() -> dict[str, Any]:
    """Return the paths of the control API, each needing the control token but the dashboard's page."""
    paths: dict[str, Any] = {}
    for route in CONTROL_ROUTES:
        # The control routes are the mock's own: each says so, over the Apiframe server the document names.
        item: dict[str, Any] = {"servers": MOCK_SERVERS}
        if _PARAMETER in route.path:
            item["parameters"] = [_TASK_ID]
        operations: Mapping[str, Operation] = route.operations
        item.update({method.lower(): _operation(operation, route.public) for method, operation in operations.items()})
        paths[CONTROL_PREFIX + route.path.replace(_PARAMETER, "{task_id}")] = item
    return paths


def add_control(document: dict[str, Any]) -> None:
    """Add the control API's routes and its token's security scheme to the OpenAPI `document`."""
    document["paths"].update(control_paths())
    document["components"]["securitySchemes"]["controlToken"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "The control API's own token (--control-token), never the Apiframe key.",
    }
