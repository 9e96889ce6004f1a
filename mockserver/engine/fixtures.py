"""Loading fixture tasks and the account from a folder, each checked against the schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FixtureError, TaskSpecError
from ..paths import default_fixtures_dir
from ..schemas import SchemaSet, bundled_schemas, first_error
from ..wire import JSONObject, quote_id
from .timeline import Timeline, check_views, split_timeline

ACCOUNT_FILE = "account.json"


@dataclass(frozen=True, slots=True)
class FixtureSet:
    """The tasks and the account that a fixtures folder holds."""

    tasks: tuple[JSONObject, ...]
    account: JSONObject
    timelines: dict[str, Timeline] = field(default_factory=dict)


def load_fixtures(directory: Path | None = None, schemas: SchemaSet | None = None) -> FixtureSet:
    """Load every task under `directory` and its ``account.json``, or raise FixtureError naming the file.

    Tasks are the ``*.json`` files (one task each) and ``*.jsonl`` files (one task per line) anywhere
    below the folder; a task may carry a `timeline` (never served). Without an ``account.json`` at its
    top, the bundled account is served.
    """
    directory = directory or default_fixtures_dir()
    schemas = schemas or bundled_schemas()
    if not directory.is_dir():
        raise FixtureError(str(directory), "the fixtures folder does not exist or is not a folder")
    task_check = schemas.validator("task.json")
    # jsonschema alone takes over a second per thousand tasks; it is asked only about tasks the fast check refuses.
    is_task = schemas.predicate("task.json")
    tasks: list[JSONObject] = []
    timelines: dict[str, Timeline] = {}
    seen: dict[str, str] = {}
    for source, document in _read_tasks(directory):
        try:
            task, timeline = split_timeline(document) if isinstance(document, dict) else (document, None)
        except TaskSpecError as exc:
            raise FixtureError(source, str(exc)) from None
        problem = None if is_task(task) else first_error(task_check, task)
        if problem is not None:
            raise FixtureError(source, f"not a valid task: {problem}")
        task_id = task["task_id"]
        if timeline is not None:
            try:
                check_views(task, timeline, schemas)
            except TaskSpecError as exc:
                raise FixtureError(source, str(exc)) from None
            timelines[task_id] = timeline
        if task_id in seen:
            raise FixtureError(source, f"task_id {quote_id(task_id)} is already used by {seen[task_id]}")
        seen[task_id] = source
        tasks.append(task)
    return FixtureSet(tasks=tuple(tasks), account=load_account(directory, schemas), timelines=timelines)


def load_account(directory: Path | None = None, schemas: SchemaSet | None = None) -> JSONObject:
    """Load the ``account.json`` at the top of `directory` (the bundled one if it has none), checked."""
    account_path = (directory or default_fixtures_dir()) / ACCOUNT_FILE
    if not account_path.is_file():
        account_path = default_fixtures_dir() / ACCOUNT_FILE
    account: JSONObject = _read_json(account_path, str(account_path))
    problem = first_error((schemas or bundled_schemas()).validator("account.json"), account)
    if problem is not None:
        raise FixtureError(str(account_path), f"not a valid account: {problem}")
    return account


def _read_tasks(directory: Path) -> Iterator[tuple[str, Any]]:
    account = directory / ACCOUNT_FILE
    for path in sorted(directory.rglob("*.json*")):
        if path == account or path.suffix not in (".json", ".jsonl"):
            continue
        if path.suffix == ".json":
            yield str(path), _read_json(path, str(path))
            continue
        name = str(path)
        for number, line in enumerate(_read_text(path).splitlines(), start=1):
            if line.strip():
                source = f"{name} line {number}"
                yield source, _decode(line, source)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FixtureError(str(path), f"cannot be read ({exc.strerror})") from None


def _read_json(path: Path, source: str) -> Any:
    return _decode(_read_text(path), source)


def _decode(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(source, f"not valid JSON: {exc.msg}: line {exc.lineno}, column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise FixtureError(source, f"not usable JSON: {exc!r}") from None
