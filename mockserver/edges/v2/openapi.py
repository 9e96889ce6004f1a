"""v2's routes in /openapi.json: each path of the v2 edge, its request and answer schemas from schemas/v2/."""

from __future__ import annotations

from typing import Any

from ...auth import V2_KEY_PREFIX
from ...openapi import COMPONENTS, component_name, json_content
from .models import job_routes

_ERRORS = {
    "400": ("The request is not what the route accepts; `details` names each wrong field.", "v2/validation-error.json"),
    "401": ("No API key, or an unknown one.", "v2/error.json"),
    "402": ("The team's credits do not cover the job.", "v2/insufficient-credits.json"),
    "403": ("The API key is switched off.", "v2/error.json"),
    "404": ("No such job (or parent job, LoRA, asset).", "v2/error.json"),
    "409": ("An action its parent cannot take, or an Idempotency-Key reused with another body.", "v2/error.json"),
    "429": ("Too many requests; Retry-After says when to try again.", "v2/error.json"),
}
_KEY: list[dict[str, list[str]]] = [{"apiKeyV2": []}]


def _answers(status: str, meaning: str, schema: str | None, errors: tuple[str, ...]) -> dict[str, Any]:
    answers: dict[str, Any] = {status: {"description": meaning}}
    if schema is not None:
        answers[status]["content"] = json_content(schema)
    for code in errors:
        description, error_schema = _ERRORS[code]
        answers[code] = {"description": description, "content": json_content(error_schema)}
    return answers


def _operation(summary: str, status: str, schema: str | None, errors: tuple[str, ...], **more: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["v2"],
        "security": _KEY,
        "responses": _answers(status, "", schema, errors),
        **more,
    }


def add_v2(document: dict[str, Any]) -> None:
    """Add v2's paths and its key's security scheme to the OpenAPI `document`."""
    paths = document["paths"]
    every = ("400", "401", "402", "403", "404", "409", "429")
    for path, route in job_routes().items():
        variants = [{"$ref": COMPONENTS + component_name(variant.schema)} for variant in route.variants.values()]
        body = {"required": True, "content": {"application/json": {"schema": {"oneOf": variants}}}}
        paths[path] = {
            "post": _operation(
                f"Create a job ({route.field} picks its schema).",
                "202",
                "v2/job-accepted.json",
                every,
                requestBody=body,
            )
        }
    reads = ("400", "401", "403", "404", "429")
    paths["/v2/jobs/{id}"] = {"get": _operation("A job as it stands.", "200", "v2/job.json", reads)}
    paths["/v2/jobs"] = {"get": _operation("Jobs, newest first, a page at a time.", "200", "v2/job-list.json", reads)}
    paths["/v2/me"] = {
        "get": _operation("The key's user, team and credits.", "200", "v2/me.json", ("401", "403", "429"))
    }
    paths["/v2/models"] = {
        "get": {**_operation("The model catalog.", "200", "v2/model-catalog.json", ("400",)), "security": []}
    }
    paths["/v2/uploads"] = {"post": _operation("Upload one file (multipart).", "201", "v2/upload.json", reads)}
    paths["/v2/loras"] = {
        "post": _operation("Train a LoRA (multipart).", "202", "v2/lora-created.json", every),
        "get": _operation("LoRAs, newest first.", "200", "v2/lora-list.json", reads),
    }
    paths["/v2/loras/{id}"] = {
        "get": _operation("A LoRA.", "200", "v2/lora.json", reads),
        "delete": _operation("Archive a LoRA.", "204", None, reads),
    }
    paths["/v2/assets/create"] = {
        "post": _operation(
            "Register a provider asset.",
            "201",
            "v2/asset-created.json",
            reads,
            requestBody={"required": True, "content": json_content("v2/asset-request.json")},
        )
    }
    paths["/v2/assets/{assetId}"] = {
        "get": _operation("A provider asset, as the provider shows it.", "200", None, reads)
    }
    document["components"]["securitySchemes"]["apiKeyV2"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": f"v2's key: the --api-key, or it with {V2_KEY_PREFIX} before it.",
    }
