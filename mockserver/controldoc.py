"""The control API's part of /openapi.json: its routes under /__mock__/, the dashboard's included."""

from __future__ import annotations

from typing import Any

from .journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES

COMPONENTS = "#/components/schemas/"
"""Where the document's schemas are, one component per file of `schemas/`."""


def component_name(schema_file: str) -> str:
    """Name the component for a schema file: ``tasks/imagine.json`` becomes ``TasksImagine``."""
    stem = schema_file.removesuffix(".json").replace("/", "-")
    return "".join(part.capitalize() for part in stem.split("-"))


def json_content(schema_file: str) -> dict[str, Any]:
    """Return an ``application/json`` content entry whose schema is the component of `schema_file`."""
    return {"application/json": {"schema": {"$ref": COMPONENTS + component_name(schema_file)}}}


def _control(
    summary: str,
    ok: dict[str, Any],
    body: str | None = None,
    extra: dict[str, Any] | None = None,
    created: bool = False,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "tags": ["control"],
        "security": [{"controlToken": []}],
        "responses": {
            "201" if created else "200": {"description": "Done.", "content": {"application/json": {"schema": ok}}},
            "400": {"description": "The body is not valid.", "content": json_content("error-400.json")},
            "401": {"description": "The control token is missing or wrong.", "content": json_content("error-401.json")},
            **(extra or {}),
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "description": body}}},
        }
    return operation


def _page(summary: str, media_type: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "tags": ["control"],
            "security": [],
            "responses": {"200": {"description": "The file.", "content": {media_type: {"schema": {"type": "string"}}}}},
        }
    }


def _dashboard_paths() -> dict[str, Any]:
    missing = {"404": {"description": "No task has that id.", "content": json_content("error-400.json")}}
    listed = {
        "type": "object",
        "required": ["tasks"],
        "properties": {
            "tasks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["task", "origin", "step", "steps", "advances"],
                    "properties": {
                        "task": {"$ref": COMPONENTS + "Task"},
                        "origin": {"enum": ["fixture", "submitted", "added"]},
                        "step": {"type": ["integer", "null"]},
                        "steps": {"type": ["integer", "null"]},
                        "advances": {"type": "boolean", "description": "Whether it has a next step to move to."},
                    },
                },
            }
        },
    }
    lists = {"type": "array", "items": {"type": "string"}}
    choices = {
        "type": "object",
        "required": ["task_types", "statuses", "fault_kinds", "fault_routes"],
        "properties": {name: lists for name in ("task_types", "statuses", "fault_kinds", "fault_routes")},
    }
    shown = {"type": "object", "properties": {"task": {"$ref": COMPONENTS + "Task"}}}
    return {
        "/__mock__/ui": _page("The dashboard's page; it holds no data, and asks for the token.", "text/html"),
        "/__mock__/ui/dashboard.js": _page("The dashboard's script.", "text/javascript"),
        "/__mock__/ui/dashboard.css": _page("The dashboard's style sheet.", "text/css"),
        "/__mock__/ui/favicon.svg": _page("The dashboard's icon.", "image/svg+xml"),
        "/__mock__/progress": {
            "get": _control("List every task as a fetch shows it now, its origin and its step.", listed)
        },
        "/__mock__/choices": {
            "get": _control("List the schemas' task types and statuses, and the fault kinds and routes.", choices)
        },
        "/__mock__/add-task": {
            "post": _control(
                "Build and store a valid task of a type and status, as the plugin's add_task does.",
                shown,
                '{"task_type": ..., "status": ..., ...fields overriding the defaults}.',
                {"409": {"description": "The task_id exists."}},
                created=True,
            )
        },
        "/__mock__/tasks/{task_id}/status": {
            "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": _control(
                "Set a task's status, its status fields replaced, as the plugin's set_status does; off its timeline.",
                shown,
                '{"status": ..., ...fields overriding the defaults}.',
                missing,
            ),
        },
    }


def control_paths() -> dict[str, Any]:
    """Return the paths of the control API, each needing the control token but the dashboard's page."""
    task = {
        "type": "object",
        "properties": {"task": {"$ref": COMPONENTS + "Task"}, "timeline": {"$ref": COMPONENTS + "MockTimeline"}},
    }
    faults = {"$ref": COMPONENTS + "MockFaults"}
    missing = {"404": {"description": "No task has that id.", "content": json_content("error-400.json")}}
    with_timeline = "A task object, optionally with a `timeline` (MockTimeline); null removes a field."
    paths: dict[str, Any] = {
        "/__mock__/health": {"get": _control("Say the mock is up and how many tasks it holds.", {"type": "object"})},
        "/__mock__/tasks": {
            "get": _control("List every task as a fetch would show it now.", {"type": "object"}),
            "post": _control(
                "Create a task.", task, with_timeline, {"409": {"description": "The task_id exists."}}, created=True
            ),
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
            "get": _control("Show how submitted tasks move on.", {"$ref": COMPONENTS + "MockSubmissions"}),
            "put": _control(
                "Set how submitted tasks move on, for every endpoint and per endpoint.",
                {"$ref": COMPONENTS + "MockSubmissions"},
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
                "List the requests received, oldest first, keys redacted, each with its answer's status (null for "
                "none), its arrival time and its `seq`, counting since the journal was emptied; `dropped` counts "
                f"the oldest ones dropped to keep the newest {JOURNAL_MAX_ENTRIES:,} (and "
                f"{JOURNAL_MAX_BYTES // 2**20} MiB of bodies).",
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
    paths.update(_dashboard_paths())
    paths["/__mock__/journal"]["get"]["parameters"] = [
        {
            "name": "last",
            "in": "query",
            "required": False,
            "description": "List only this many of the newest.",
            "schema": {"type": "integer", "minimum": 0},
        }
    ]
    return paths
