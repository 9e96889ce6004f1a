"""What every part of /openapi.json shares: one component per schema file, referred to by name."""

from __future__ import annotations

from typing import Any

COMPONENTS = "#/components/schemas/"
"""Where the document's schemas are, one component per file of `schemas/`."""


def component_name(schema_file: str) -> str:
    """Name the component for a schema file: ``tasks/imagine.json`` becomes ``TasksImagine``."""
    stem = schema_file.removesuffix(".json").replace("/", "-")
    return "".join(part.capitalize() for part in stem.split("-"))


def json_content(schema_file: str) -> dict[str, Any]:
    """Return an ``application/json`` content entry whose schema is the component of `schema_file`."""
    return {"application/json": {"schema": {"$ref": COMPONENTS + component_name(schema_file)}}}
