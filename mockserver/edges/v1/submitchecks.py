"""Checking a submission: its body against the endpoint's request schema, then the task it acts on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from jsonschema.exceptions import ValidationError, best_match

from ...engine.task import Task
from ...errors import BadRequest
from ...http.bodies import json_type
from ...numbers import whole_number
from ...schemas import SchemaSet, describe_error
from ...wire import JSONObject, encode_json, quote_id
from .endpoints import Endpoint


def _field(error: ValidationError) -> str:
    return describe_error(error).partition(": ")[0]


def _allowed(schema: Mapping[str, Any]) -> list[object]:
    """List the values `schema` allows when it is an enum, a const, or any of those."""
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return [value for branch in schema.get("anyOf", schema.get("oneOf", [])) for value in _allowed(branch)]


def explain(error: ValidationError, endpoint: Endpoint) -> str:
    """Say which field of a submission is wrong and what the endpoint allows there."""
    where = f"POST {endpoint.path}"
    # A field with several allowed forms (index: "1".."4" or 1..4) is explained by all of them, not by
    # whichever branch came closest.
    while isinstance(error.parent, ValidationError) and error.parent.absolute_path == error.absolute_path:
        error = error.parent
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
        if "then" in error.schema_path:
            # A field required only under a condition (wan2.6-flash needs an image) is explained by that condition.
            return f"{missing} is missing: {where} requires {', '.join(schema['required'])} {schema['description']}."
        return f"{missing} is missing: {where} requires {endpoint.requires}."
    alternatives = [branch.get("required") for branch in schema.get("anyOf", [{}])]
    if error.validator == "anyOf" and all(alternatives):
        fields = " or ".join(", ".join(names) for names in alternatives if names)
        return f"{fields} is missing: {where} requires {endpoint.requires}."
    if error.validator == "not":
        both = " and ".join(schema["not"].get("required", ()))
        return f"{both} are both given: {where} takes one of them, not both."
    allowed = _allowed(schema)
    if allowed:
        choices = ", ".join(encode_json(value).decode() for value in allowed)
        return f"{_field(error)} is {encode_json(error.instance).decode()[:100]}: {where} allows {choices}."
    if error.validator == "type":
        return f"{_field(error)} is {json_type(error.instance)}: {where} needs {_a(schema['type'])} there."
    if error.validator == "anyOf" and "description" in schema:
        return (
            f"{_field(error)} is {encode_json(error.instance).decode()[:100]}: {where} takes {schema['description']}."
        )
    if error.validator == "minLength" and error.instance == "":
        return f"{_field(error)} is empty: {where} needs a non-empty string there."
    return f"{describe_error(error)} ({where})."


def _a(kind: object) -> str:
    kinds = kind if isinstance(kind, list) else [kind]
    return " or ".join(f"an {name}" if str(name)[0] in "aeiou" else f"a {name}" for name in kinds)


def check_body(body: JSONObject, endpoint: Endpoint, schemas: SchemaSet) -> None:
    """Raise BadRequest naming the first field of `body` that `endpoint`'s request schema refuses."""
    if schemas.predicate(endpoint.schema)(body):
        return
    error = best_match(schemas.validator(endpoint.schema).iter_errors(body))
    assert error is not None
    raise BadRequest(explain(error, endpoint))


class TaskLookup(Protocol):
    """Where a submission's parent is looked up: the store."""

    async def current(self, task_id: str) -> Task | None:
        """Return the task with `task_id` as a fetch would show it now, or None."""


async def find_parent(body: JSONObject, endpoint: Endpoint, store: TaskLookup) -> Task | None:
    """Return the task a submission acts on (None if the endpoint acts on none), or raise BadRequest saying why not."""
    parent = endpoint.parent
    if parent is None or parent.field not in body:
        return None
    task_id = body[parent.field]
    task = await store.current(task_id)
    where = f"POST {endpoint.path}"
    if task is None:
        raise BadRequest(f"{parent.field} {quote_id(task_id)} matches no task: {where} acts on an existing task's id.")
    if task.task_type not in parent.task_types:
        raise BadRequest(
            f"{parent.field} {quote_id(task_id)} is a {task.task_type} task: {where} acts on "
            f"{', '.join(parent.task_types)} tasks."
        )
    if task.status != parent.status:
        raise BadRequest(
            f"{parent.field} {quote_id(task_id)} is {task.status}: {where} acts on a {parent.status} task; "
            "fetch it until it is."
        )
    if parent.index_field is not None and parent.index_field in body:
        _check_index(body[parent.index_field], task, parent.index_field, task_id)
    if parent.song_field is not None and parent.song_field in body:
        _check_song(body[parent.song_field], task, parent.song_field, task_id)
    return task


_PICKED = {"image_urls": "images", "video_urls": "videos"}
"""The result lists an index picks from, and what each holds."""


def _check_index(index: object, task: Task, name: str, task_id: str) -> None:
    number = whole_number(str(index)) if isinstance(index, int | str) else None
    for field, kind in _PICKED.items():
        items = task.result.get(field)
        if number is not None and isinstance(items, list) and not 1 <= number <= len(items):
            raise BadRequest(
                f"{name} {number} is out of range: task {quote_id(task_id)} has {len(items)} {kind}, "
                f"so {name} must be 1 to {len(items)}."
            )


def _check_song(song_id: object, task: Task, name: str, task_id: str) -> None:
    songs = task.result.get("songs")
    known = [song.get("song_id") for song in songs if isinstance(song, dict)] if isinstance(songs, list) else []
    if song_id not in known:
        choices = ", ".join(quote_id(str(known_id)) for known_id in known) or "none"
        raise BadRequest(
            f"{name} {quote_id(str(song_id))} is no song of task {quote_id(task_id)}: its songs are {choices}."
        )
