"""Snapshots: tasks fetched from a live server and written as fixtures, each checked against the schemas.

Each task becomes one file named for its type, status and id. A task the schemas refuse is drift: it
is written beside the others as ``<name>.json.invalid``, which the fixture loader passes over, and its
error goes in the report. With anonymising, ids and URLs are replaced by fakes derived from them, so
the same task always gets the same fake; URL fields are found through the schemas (the ``url`` def),
and any other value that is an http(s) URL, or a field whose name ends in ``_id``, is replaced too.
The key never reaches a file: the client has already replaced it in every answer it hands over.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from mockserver.schemas import bundled_schemas, first_error

from .client import Client
from .normalise import Contract, Node, bundled_contract
from .report import write_json
from .retrieval import fetch_tasks

INVALID_SUFFIX = ".invalid"
_FAKES = uuid.UUID("5f0e7a30-0000-4c1d-8e9f-a91f7a3e0000")
"""The namespace of fake ids: fixed, so that a task always gets the same fake."""


@dataclass(frozen=True, slots=True)
class Written:
    """One task written: where, and why the schemas refused it (None when valid)."""

    path: Path
    task_id: str
    problem: str | None


@dataclass(slots=True)
class Snapshot:
    """What a snapshot wrote and which ids the server did not return."""

    written: list[Written] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def invalid(self) -> list[Written]:
        """Return the tasks the schemas refused."""
        return [item for item in self.written if item.problem is not None]


def take_snapshot(client: Client, ids: Sequence[str], out: Path, anonymise: bool = False) -> Snapshot:
    """Fetch the tasks with `ids` through `client` and write each to `out` as a fixture."""
    retrieved = fetch_tasks(client, ids)
    out.mkdir(parents=True, exist_ok=True)
    check = bundled_schemas().validator("task.json")
    snapshot = Snapshot(missing=retrieved.missing, requests=client.sent)
    for task in retrieved.tasks:
        kept = anonymised(task) if anonymise else task
        problem = first_error(check, kept)
        name = file_name(kept) + ("" if problem is None else INVALID_SUFFIX)
        path = out / name
        write_json(path, kept)
        snapshot.written.append(Written(path, str(kept.get("task_id")), problem))
    return snapshot


def file_name(task: dict[str, Any]) -> str:
    """Return ``<type>-<status>-<id>.json``, each part reduced to letters, digits, dots and dashes.

    An id that does not survive that unchanged (capitals, other characters, over 40 long) also gets a
    digest of itself, so that two ids which reduce alike never write to the same file.
    """
    parts = [_slug(str(part))[:40] or "unknown" for part in (task.get("task_type"), task.get("status"))]
    task_id = str(task.get("task_id"))
    reduced = _slug(task_id)[:40] or "unknown"
    if reduced != task_id:
        reduced += "-" + hashlib.sha256(task_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return "-".join([*parts, reduced]) + ".json"


def anonymised(task: dict[str, Any]) -> dict[str, Any]:
    """Return `task` with its ids and URLs replaced by fakes derived from them."""
    contract = bundled_contract()
    result = _Faker(contract).walk(task, contract.node("task.json"))
    assert isinstance(result, dict)
    return result


@dataclass(frozen=True, slots=True)
class _Faker:
    contract: Contract

    def walk(self, value: object, node: Node | None, key: str = "") -> object:
        contract = self.contract
        if node is not None:
            node = contract.follow(node)
        schema = contract.schema(node) if node is not None else None
        if isinstance(value, dict):
            properties = contract.properties(value, node) if node is not None else {}
            return {name: self.walk(item, properties.get(name), name) for name, item in value.items()}
        if isinstance(value, list):
            items = node.child("items") if node is not None and isinstance(schema, dict) and "items" in schema else None
            return [self.walk(item, items, key) for item in value]
        if isinstance(schema, dict) and "anyOf" in schema and node is not None:
            branches = (node.child("anyOf", index) for index in range(len(schema["anyOf"])))
            return self.walk(value, next((b for b in branches if contract.is_valid(value, b)), None), key)
        if not isinstance(value, str):
            return value
        if schema == contract.url or _is_url(value):
            return fake_url(value)
        if key == contract.id_key or key.endswith("_id"):
            return fake_id(value)
        return value


def fake_id(value: str) -> str:
    """Return a UUID standing for `value`: always the same one for the same value."""
    return str(uuid.uuid5(_FAKES, "id:" + value))


def fake_url(value: str) -> str:
    """Return an example.invalid URL standing for `value`, keeping its file extension."""
    suffix = PurePosixPath(urlsplit(value).path).suffix if _is_url(value) else ""
    return f"https://cdn.example.invalid/{uuid.uuid5(_FAKES, 'url:' + value)}{suffix}"


def _is_url(value: str) -> bool:
    return re.match(r"^https?://", value, re.IGNORECASE) is not None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")
