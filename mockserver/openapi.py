"""The OpenAPI 3.1 document served at /openapi.json, built from the schemas in `schemas/`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from .journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES
from .limits import MAX_TASK_IDS, MIN_TASK_IDS
from .schemas import SCHEMA_BASE, SchemaSet
from .submissions import Endpoint, load_endpoints

_COMPONENTS = "#/components/schemas/"
_ENDPOINTS = load_endpoints()

ANSWER_SCHEMAS = {
    "POST /fetch-many": "fetch-many-response.json",
    "POST /fetch": "task.json",
    "GET /account": "account.json",
    **{
        f"POST {endpoint.path}": "task.json" if endpoint.sync else "submit-response.json"
        for endpoint in _ENDPOINTS.values()
    },
}
"""The schema file of each Apiframe route's 200 body."""
ERROR_SCHEMAS = {400: "error-400.json", 401: "error-401.json", 413: "error-400.json", 500: "error-500.json"}
"""The schema file of the body of each error status an Apiframe route answers."""
_ERROR_MEANINGS = {
    400: "The body is not what the endpoint accepts.",
    401: "The Authorization header is missing or wrong.",
    413: "The body is over the mock's size limit.",
    500: "A server error occurred.",
}


def component_name(schema_file: str) -> str:
    """Name the component for a schema file: ``tasks/imagine.json`` becomes ``TasksImagine``."""
    stem = schema_file.removesuffix(".json").replace("/", "-")
    return "".join(part.capitalize() for part in stem.split("-"))


def _rewrite(node: Any, base: str) -> Any:
    # OpenAPI tools resolve references inside one document, so each cross-file `$ref` becomes a
    # pointer into components/schemas.
    if isinstance(node, list):
        return [_rewrite(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$id", "$schema"):
            continue
        if key == "$ref" and isinstance(value, str):
            target, _, fragment = urljoin(base, value).partition("#")
            out[key] = _COMPONENTS + component_name(target.removeprefix(SCHEMA_BASE)) + fragment
        else:
            out[key] = _rewrite(value, base)
    return out


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _COMPONENTS + component_name(schema)}}}


def _responses(route: str) -> dict[str, Any]:
    responses = {"200": {"description": "The result.", "content": _json(ANSWER_SCHEMAS[route])}}
    for status, schema in ERROR_SCHEMAS.items():
        responses[str(status)] = {"description": _ERROR_MEANINGS[status], "content": _json(schema)}
    return responses


def _submission(endpoint: Endpoint) -> dict[str, Any]:
    answer = "the finished task itself" if endpoint.sync else "the new task's id, to fetch it by"
    return {
        "post": {
            "summary": f"Submit a {endpoint.task_type} task; the answer is {answer}.",
            "operationId": "submit" + component_name(endpoint.name),
            "tags": ["submit"],
            "security": [{"apiKey": []}],
            "requestBody": {"required": True, "content": _json(endpoint.schema)},
            "responses": _responses(f"POST {endpoint.path}"),
        }
    }


def _control(
    summary: str, ok: dict[str, Any], body: str | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "tags": ["control"],
        "security": [{"controlToken": []}],
        "responses": {
            "200": {"description": "Done.", "content": {"application/json": {"schema": ok}}},
            "400": {"description": "The body is not valid.", "content": _json("error-400.json")},
            "401": {"description": "The control token is missing or wrong.", "content": _json("error-401.json")},
            **(extra or {}),
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "description": body}}},
        }
    return operation


def _control_paths() -> dict[str, Any]:
    task = {
        "type": "object",
        "properties": {"task": {"$ref": _COMPONENTS + "Task"}, "timeline": {"$ref": _COMPONENTS + "MockTimeline"}},
    }
    faults = {"$ref": _COMPONENTS + "MockFaults"}
    missing = {"404": {"description": "No task has that id.", "content": _json("error-400.json")}}
    with_timeline = "A task object, optionally with a `timeline` (MockTimeline); null removes a field."
    return {
        "/__mock__/health": {"get": _control("Say the mock is up and how many tasks it holds.", {"type": "object"})},
        "/__mock__/tasks": {
            "get": _control("List every task as a fetch would show it now.", {"type": "object"}),
            "post": _control("Create a task.", task, with_timeline, {"409": {"description": "The task_id exists."}}),
        },
        "/__mock__/tasks/{task_id}": {
            "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": _control("Show a task and its timeline.", task, extra=missing),
            "patch": _control("Change a task's fields or timeline.", task, with_timeline, missing),
            "delete": _control("Delete a task.", {"type": "object"}, extra=missing),
        },
        "/__mock__/tasks/{task_id}/advance": {
            "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": _control(
                "Move a task to its next step, or with to=end to its last, at once; its webhook hears of each.",
                task,
                'Nothing, {"to": "next"} or {"to": "end"}.',
                {**missing, "409": {"description": "The task is at the end of its lifecycle."}},
            ),
        },
        "/__mock__/submissions": {
            "get": _control("Show how submitted tasks move on.", {"$ref": _COMPONENTS + "MockSubmissions"}),
            "put": _control(
                "Set how submitted tasks move on, for every endpoint and per endpoint.",
                {"$ref": _COMPONENTS + "MockSubmissions"},
                "A MockSubmissions document.",
            ),
        },
        "/__mock__/webhooks": {
            "get": _control(
                "List every webhook delivery attempt, oldest first, secrets redacted.",
                {
                    "type": "object",
                    "required": ["deliveries", "dropped", "pending"],
                    "properties": {
                        "deliveries": {"type": "array", "items": {"type": "object"}},
                        "dropped": {"type": "integer", "minimum": 0},
                        "pending": {"type": "integer", "minimum": 0},
                    },
                },
            ),
            "delete": _control("Forget the delivery records.", {"type": "object"}),
        },
        "/__mock__/reset": {
            "post": _control("Restore the starting tasks, account and faults; empty the journal.", {"type": "object"})
        },
        "/__mock__/faults": {
            "get": _control("Show the faults in force and what is left of them.", faults),
            "put": _control("Replace the faults in force.", faults, "A MockFaults document."),
            "delete": _control("Remove every fault.", faults),
        },
        "/__mock__/journal": {
            "get": _control(
                "List the requests received, oldest first, keys redacted; `dropped` counts the oldest ones "
                f"dropped to keep the newest {JOURNAL_MAX_ENTRIES:,} (and {JOURNAL_MAX_BYTES // 2**20} MiB of bodies).",
                {
                    "type": "object",
                    "required": ["requests", "dropped"],
                    "properties": {
                        "requests": {"type": "array", "items": {"type": "object"}},
                        "dropped": {"type": "integer", "minimum": 0},
                    },
                },
            ),
            "delete": _control("Empty the journal.", {"type": "object"}),
        },
    }


def build_openapi(schemas: SchemaSet, control: bool = False) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the mock's Apiframe routes, and of its control API if `control`."""
    components = {
        component_name(name): _rewrite(document, document.get("$id", SCHEMA_BASE + name))
        for name, document in schemas.documents.items()
    }
    security: list[dict[str, list[str]]] = [{"apiKey": []}]
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Apiframe v1 API (apiframe-mock)",
            "version": "1",
            "description": "The v1 status and submit endpoints as apiframe-mock serves them; CONTRACT.md sources "
            "each rule.",
        },
        "servers": [{"url": "https://api.apiframe.pro"}],
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {
            "/fetch-many": {
                "post": {
                    "summary": f"Get the results or statuses of {MIN_TASK_IDS} to {MAX_TASK_IDS} tasks.",
                    "operationId": "fetchMany",
                    "security": security,
                    "requestBody": {"required": True, "content": _json("fetch-many-request.json")},
                    "responses": _responses("POST /fetch-many"),
                }
            },
            "/fetch": {
                "post": {
                    "summary": "Get the result or status of one task.",
                    "operationId": "fetch",
                    "security": security,
                    "requestBody": {"required": True, "content": _json("fetch-request.json")},
                    "responses": _responses("POST /fetch"),
                }
            },
            "/account": {
                "get": {
                    "summary": "Get the account's email, credits, plan and image count.",
                    "operationId": "account",
                    "security": security,
                    "responses": {
                        key: value for key, value in _responses("GET /account").items() if key in ("200", "401", "500")
                    },
                }
            },
            **{endpoint.path: _submission(endpoint) for endpoint in _ENDPOINTS.values()},
        },
        "components": {
            "schemas": components,
            "securitySchemes": {
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "The bare API key; `Bearer <key>` is accepted too unless --auth-scheme bare.",
                },
                "controlToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The control API's own token (--control-token), never the Apiframe key.",
                },
            },
        },
    }
    if control:
        document["paths"].update(_control_paths())
    return document
