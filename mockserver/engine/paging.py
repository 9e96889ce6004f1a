"""Cursor paging over tasks, newest first: a page stays the same while newer tasks are added before it."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..wire import encode_json
from .task import Task

Position = tuple[float, str]
"""Where a task stands in the order: its `created_at` and its id, the id breaking a tie."""


Item = TypeVar("Item", bound=Task | Mapping[str, Any])
"""What is paged: task records, or stored documents with a `task_id` and perhaps a `created_at`."""


def position(item: Task | Mapping[str, Any]) -> Position:
    """Return where `item` stands: one with no `created_at` (a fixture) is older than any that has one."""
    if isinstance(item, Task):
        return (float(item.created_at) if item.created_at is not None else 0.0, item.task_id)
    created = item.get("created_at")
    return (float(created) if isinstance(created, int | float) else 0.0, str(item["task_id"]))


def encode_cursor(at: Position) -> str:
    """Return the opaque cursor that continues after the task at `at`."""
    return base64.urlsafe_b64encode(encode_json([at[0], at[1]])).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position | None:
    """Return the position a cursor from `encode_cursor` continues after, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, task_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    if not isinstance(created, int | float) or isinstance(created, bool) or not isinstance(task_id, str):
        return None
    return float(created), task_id


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """One page of tasks, newest first, and the cursor of the next page (None at the last)."""

    tasks: list[Item]
    next_cursor: str | None


def page(tasks: Iterable[Item], limit: int, after: Position | None = None) -> Page[Item]:
    """Return up to `limit` of `tasks`, newest first, starting after the position `after` if given."""
    ordered = sorted(tasks, key=position, reverse=True)
    if after is not None:
        ordered = [task for task in ordered if position(task) < after]
    shown = ordered[:limit]
    more = len(ordered) > limit
    return Page(shown, encode_cursor(position(shown[-1])) if more and shown else None)
