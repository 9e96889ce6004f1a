"""The submit endpoints, read from the request schemas in `schemas/submit/` and their ``x-submit`` entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...schemas import SchemaSet, bundled_schemas

SUBMIT_SCHEMAS = "submit/"
"""The folder under `schemas/` that holds one request schema per submit endpoint."""


@dataclass(frozen=True, slots=True)
class Parent:
    """The field of a submission that names the task it acts on, and what that task must be."""

    field: str
    task_types: tuple[str, ...]
    status: str
    index_field: str | None
    """The field that picks one of the parent's images or videos by number (``index``), if any."""
    song_field: str | None = None
    """The field that names one of the parent's songs by its song_id, if any."""


@dataclass(frozen=True, slots=True)
class FormFile:
    """The file a submission may send as a multipart form instead of JSON, and the field its URL then fills."""

    field: str
    """The form field that holds the file (``audio``)."""
    media: str
    """What the file must be: ``image`` or ``audio``, told by its first bytes."""
    into: str
    """The JSON field the URL of the kept file stands in for (``audio_url``)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One submit endpoint: its path, its request schema, and the task a submission creates."""

    name: str
    """The path without its slash (``upscale-1x``), as settings and faults name it."""
    path: str
    schema: str
    task_type: str
    """The created task's task_type, or a template of the body's fields (``upscale#{index}``)."""
    family: str
    sync: bool
    """Whether the submission is answered with the finished task itself rather than its task_id."""
    parent: Parent | None
    requires: str
    """The fields a body must have, in words: ``parent_task_id, index`` or ``prompt or lyrics``."""
    echo: Mapping[str, str]
    """Result fields that show a field of the body (describe's image_url is the image submitted)."""
    form: FormFile | None = None
    """The multipart form the endpoint takes besides JSON, if its page documents one."""

    def task_type_for(self, body: Mapping[str, Any]) -> str:
        """Return the task_type of the task a (valid) `body` creates."""
        return self.task_type.format_map({name: str(value) for name, value in body.items()})

    def echoed(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Return the result fields that a (valid) `body` gives its finished task."""
        return {result: body[name] for result, name in self.echo.items() if name in body}


def _endpoint(schema: str, document: Mapping[str, Any]) -> Endpoint:
    entry = document["x-submit"]
    parent = entry.get("parent")
    form = entry.get("form")
    return Endpoint(
        name=entry["path"].removeprefix("/"),
        path=entry["path"],
        schema=schema,
        task_type=entry["task_type"],
        family=entry["family"],
        sync=bool(entry.get("sync", False)),
        parent=Parent(
            parent["field"],
            tuple(parent["task_types"]),
            parent["status"],
            parent.get("index_field"),
            parent.get("song_field"),
        )
        if parent
        else None,
        requires=_requires(document),
        echo=dict(entry.get("echo", {})),
        form=FormFile(form["field"], form["media"], form["into"]) if form else None,
    )


def _requires(document: Mapping[str, Any]) -> str:
    required = ", ".join(document.get("required", ()))
    alternatives = " or ".join(
        ", ".join(branch["required"]) for branch in document.get("anyOf", ()) if "required" in branch
    )
    return " and ".join(
        part for part in (required, f"({alternatives})" if required and alternatives else alternatives) if part
    )


def load_endpoints(schemas: SchemaSet | None = None) -> dict[str, Endpoint]:
    """Return every submit endpoint of `schemas` (the bundled ones by default), by name, in path order."""
    return _bundled_endpoints() if schemas is None else _endpoints(schemas)


@cache
def _bundled_endpoints() -> dict[str, Endpoint]:
    return _endpoints(bundled_schemas())


def _endpoints(schemas: SchemaSet) -> dict[str, Endpoint]:
    documents = schemas.documents
    found = [_endpoint(name, document) for name, document in documents.items() if name.startswith(SUBMIT_SCHEMAS)]
    return {endpoint.name: endpoint for endpoint in sorted(found, key=lambda endpoint: endpoint.path)}
