"""Hypothesis strategies for requests, derived from ``schemas/fetch-many-request.json`` and friends.

The bounds come from the schema (through `mockserver.limits`); the item type and the body type are
read from it too, so that "not a string" means "not what the schema says an item is".
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from mockserver.edges.v1.limits import MAX_TASK_IDS, MIN_TASK_IDS
from mockserver.schemas import bundled_schemas

_REQUEST = bundled_schemas().documents["fetch-many-request.json"]
_TASK_IDS = _REQUEST["properties"]["task_ids"]
BODY_TYPE: str = _REQUEST["type"]
IDS_TYPE: str = _TASK_IDS["type"]
ITEM_TYPE: str = _TASK_IDS["items"]["type"]
MIN_IDS = MIN_TASK_IDS
MAX_IDS = MAX_TASK_IDS
FAR_BEYOND = 50 * MAX_TASK_IDS

_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(),
    "number": st.floats(allow_nan=False, allow_infinity=False),
    "string": st.text(max_size=20),
}


def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Any JSON value, small."""
    return st.recursive(
        st.one_of(*_SCALARS.values()),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=max_leaves,
    )


def values_not_of(json_type: str) -> st.SearchStrategy[Any]:
    """JSON values whose type is not `json_type` (a JSON Schema type name; integers count as numbers)."""
    composite: dict[str, st.SearchStrategy[Any]] = {
        "array": st.lists(json_values(3), max_size=3),
        "object": st.dictionaries(st.text(max_size=8), json_values(3), max_size=3),
    }
    every = {**_SCALARS, **composite}
    excluded = {json_type, "integer"} if json_type == "number" else {json_type}
    return st.one_of(*(strategy for name, strategy in every.items() if name not in excluded))


def ids() -> st.SearchStrategy[str]:
    """Task ids no account holds: any non-empty text, exotic characters included."""
    return st.text(min_size=1, max_size=40)


def id_lists(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Draw lists of distinct unknown ids, `min_size` to `max_size` long."""
    return st.lists(ids(), min_size=min_size, max_size=max_size, unique=True)


def picks(min_size: int = MIN_IDS, max_size: int = MAX_IDS) -> st.SearchStrategy[list[int]]:
    """Draw indices into the known ids (taken modulo their number), so examples need no ids at import time."""
    return st.lists(st.integers(min_value=0, max_value=10_000), min_size=min_size, max_size=max_size)


def extra_keys(schema: str = "fetch-many-request.json") -> st.SearchStrategy[dict[str, Any]]:
    """Body members that the request schema `schema` does not define, with any values."""
    defined = set(bundled_schemas().documents[schema]["properties"])
    names = st.text(min_size=1, max_size=12).filter(lambda name: name not in defined)
    return st.dictionaries(names, json_values(4), min_size=1, max_size=4)


def not_json() -> st.SearchStrategy[bytes]:
    """Bodies that are not JSON text: truncated JSON, stray bytes, bytes that are not UTF-8."""
    truncated = st.builds(
        lambda text, cut: text[: max(1, cut)], st.just('{"task_ids": ["a", "b"]}'), st.integers(1, 22)
    )
    return st.one_of(truncated.map(str.encode), st.binary(min_size=1, max_size=30)).filter(_is_not_json)


def _is_not_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return bool(body.strip())
    return False
