"""v1's checks of the fetch bodies, written by hand to answer as the vendor does."""

from __future__ import annotations

import json
from typing import Any

from ...errors import BadRequest
from ...http.bodies import json_type, parse_object
from .limits import MAX_TASK_IDS, MIN_TASK_IDS

TASK_IDS_RULE = f"task_ids must be an array of {MIN_TASK_IDS} to {MAX_TASK_IDS} task id strings"
TASK_ID_RULE = "task_id must be a task id string"


def _member(payload: dict[str, Any], name: str, kind: type, rule: str) -> Any:
    """Return `payload[name]` if it is there and of `kind`, or raise BadRequest saying which it is not."""
    if name not in payload:
        raise BadRequest(f"{name} is missing: {rule}.")
    value = payload[name]
    if not isinstance(value, kind):
        raise BadRequest(f"{name} is {json_type(value)}: {rule}.")
    return value


def parse_task_ids(body: bytes) -> tuple[list[str], list[str]]:
    """Return the `task_ids` of a fetch-many body and its other keys, or raise BadRequest naming what is wrong."""
    payload = parse_object(body, TASK_IDS_RULE)
    task_ids: list[Any] = _member(payload, "task_ids", list, TASK_IDS_RULE)
    if not MIN_TASK_IDS <= len(task_ids) <= MAX_TASK_IDS:
        raise BadRequest(f"task_ids has {len(task_ids)} item{'' if len(task_ids) == 1 else 's'}: {TASK_IDS_RULE}.")
    for index, task_id in enumerate(task_ids):
        if not isinstance(task_id, str):
            raise BadRequest(f"task_ids[{index}] is {json_type(task_id)}: {TASK_IDS_RULE}.")
    return task_ids, [key for key in payload if key != "task_ids"]


def refuse_keys_beside(keys: list[str]) -> None:
    """Raise BadRequest naming `keys`, the keys a fetch-many body had beside `task_ids`, if there are any."""
    if keys:
        named = ", ".join(json.dumps(key) for key in keys[:3]) + (", ..." if len(keys) > 3 else "")
        raise BadRequest(f"the body has {named} beside task_ids: it takes task_ids alone.")


def parse_task_id(body: bytes) -> str:
    """Return the `task_id` of a fetch body, or raise BadRequest naming what is wrong."""
    task_id: str = _member(parse_object(body, TASK_ID_RULE), "task_id", str, TASK_ID_RULE)
    return task_id
