"""The OpenAPI 3.1 document served at /openapi.json, built from the schemas in `schemas/`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from ...openapi import COMPONENTS, component_name, json_content
from ...schemas import SCHEMA_BASE, SchemaSet
from . import Endpoint, load_endpoints
from .limits import MAX_TASK_IDS, MIN_TASK_IDS
from .uploads import SERVED_PATH, UPLOAD_ROUTES, UploadRoute, form_route

_ENDPOINTS = load_endpoints()

ANSWER_SCHEMAS = {
    "POST /fetch-many": "fetch-many-response.json",
    "POST /fetch": "task.json",
    "GET /account": "account.json",
    **{
        f"POST {endpoint.path}": "task.json" if endpoint.sync else "submit-response.json"
        for endpoint in _ENDPOINTS.values()
    },
    **{f"POST {upload.path}": upload.answer_schema for upload in UPLOAD_ROUTES},
}
"""The schema file of each Apiframe route's 200 body."""
ERROR_SCHEMAS = {400: "error-400.json", 401: "error-401.json", 413: "error-400.json", 500: "error-500.json"}
"""The schema file of the body of each error status an Apiframe route answers."""
APIFRAME_SERVERS = [{"url": "https://api.apiframe.pro", "description": "Apiframe's API, which the mock stands for"}]
_ERROR_MEANINGS = {
    400: "The body is not what the endpoint accepts.",
    401: "The Authorization header is missing or wrong.",
    413: "The body is over the mock's size limit.",
    500: "A server error occurred.",
}


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
            out[key] = COMPONENTS + component_name(target.removeprefix(SCHEMA_BASE)) + fragment
        else:
            out[key] = _rewrite(value, base)
    return out


def _responses(route: str) -> dict[str, Any]:
    responses = {"200": {"description": "The result.", "content": json_content(ANSWER_SCHEMAS[route])}}
    for status, schema in ERROR_SCHEMAS.items():
        responses[str(status)] = {"description": _ERROR_MEANINGS[status], "content": json_content(schema)}
    return responses


def _form_content(upload: UploadRoute) -> dict[str, Any]:
    part = {"type": "string", "contentMediaType": "application/octet-stream", "description": upload.rule}
    form = {"type": "object", "required": [upload.field], "properties": {upload.field: part}}
    return {"multipart/form-data": {"schema": form}}


def _submission(endpoint: Endpoint) -> dict[str, Any]:
    answer = "the finished task itself" if endpoint.sync else "the new task's id, to fetch it by"
    content = json_content(endpoint.schema)
    if endpoint.form is not None:
        content.update(_form_content(form_route(endpoint.path, endpoint.form)))
    return {
        "post": {
            "summary": f"Submit a {endpoint.task_type} task; the answer is {answer}.",
            "operationId": "submit" + component_name(endpoint.name),
            "tags": ["submit"],
            "security": [{"apiKey": []}],
            "requestBody": {"required": True, "content": content},
            "responses": _responses(f"POST {endpoint.path}"),
        }
    }


def _upload(upload: UploadRoute) -> dict[str, Any]:
    return {
        "post": {
            "summary": f"Upload one {upload.media.value} file; the answer is the URL the mock serves it at.",
            "operationId": "upload" + component_name(upload.path.removeprefix("/")),
            "tags": ["media"],
            "security": [{"apiKey": []}],
            "requestBody": {"required": True, "content": _form_content(upload)},
            "responses": _responses(f"POST {upload.path}"),
        }
    }


_UPLOADED = {
    "get": {
        "summary": "A file uploaded to this mock, as uploaded: the mock's stand-in for the vendor's CDN.",
        "operationId": "uploadedFile",
        "tags": ["media"],
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "The bytes uploaded, with their media type."},
            "404": {
                "description": "No file of this name was uploaded here.",
                "content": json_content("error-400.json"),
            },
        },
    }
}


def build_openapi(schemas: SchemaSet) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the mock's v1 routes."""
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
        "servers": APIFRAME_SERVERS,
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {
            "/fetch-many": {
                "post": {
                    "summary": f"Get the results or statuses of {MIN_TASK_IDS} to {MAX_TASK_IDS} tasks.",
                    "operationId": "fetchMany",
                    "security": security,
                    "requestBody": {"required": True, "content": json_content("fetch-many-request.json")},
                    "responses": _responses("POST /fetch-many"),
                }
            },
            "/fetch": {
                "post": {
                    "summary": "Get the result or status of one task.",
                    "operationId": "fetch",
                    "security": security,
                    "requestBody": {"required": True, "content": json_content("fetch-request.json")},
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
            **{upload.path: _upload(upload) for upload in UPLOAD_ROUTES},
            SERVED_PATH + "/{name}": _UPLOADED,
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
            },
        },
    }
    return document
