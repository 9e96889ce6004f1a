"""Request bodies: item types, `task_ids` missing or not an array, bodies that are not objects, extra keys."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from .client import Client
from .edges import NOT_OBJECTS, NOT_STRINGS, explicit
from .exchange import json_body
from .guesses import Guesses
from .oracle import expect_status
from .pool import IdPool
from .strategies import (
    BODY_TYPE,
    IDS_TYPE,
    ITEM_TYPE,
    MAX_IDS,
    MIN_IDS,
    extra_keys,
    not_json,
    values_not_of,
)


@pytest.mark.rule("ITEM-TYPES")
@given(item=values_not_of(ITEM_TYPE), count=st.integers(MIN_IDS, MAX_IDS), position=st.integers(0, MAX_IDS))
@explicit("item", NOT_STRINGS, count=MIN_IDS, position=0)
def test_an_item_that_is_not_a_string_is_refused(
    client: Client, pool: IdPool, item: object, count: int, position: int
) -> None:
    """Given a count within the bounds with one item that is not a string, then the answer is 400."""
    task_ids: list[object] = list(pool.distinct(count - 1))
    task_ids.insert(position % count, item)
    expect_status(client.post("/fetch-many", {"task_ids": task_ids}), 400, "an item that is not a string")


@pytest.mark.rule("BODY-TASK-IDS")
@given(
    body=st.one_of(
        extra_keys(),
        st.builds(lambda value, extra: {**extra, "task_ids": value}, values_not_of(IDS_TYPE), extra_keys()),
    )
)
@example(body={})
@example(body={"task_id": "a"})
@example(body={"TASK_IDS": ["a", "b"]})
@example(body={"task_ids": "a,b"})
@example(body={"task_ids": None})
@example(body={"task_ids": 2})
@example(body={"task_ids": True})
@example(body={"task_ids": {"0": "a", "1": "b"}})
def test_task_ids_missing_or_not_an_array_is_refused(client: Client, body: dict[str, Any]) -> None:
    """Given an object whose task_ids is missing or not an array, then the answer is 400."""
    expect_status(client.post("/fetch-many", body), 400, "task_ids missing or not an array")


@pytest.mark.rule("BODY-NOT-OBJECT")
@given(body=st.one_of(values_not_of(BODY_TYPE).map(json_body), not_json()))
@explicit("body", NOT_OBJECTS.values())
def test_a_body_that_is_not_a_json_object_is_refused(client: Client, guesses: Guesses, body: bytes) -> None:
    """Given a body that is not a JSON object (not JSON, not UTF-8, empty), then the answer is 400, as guessed."""
    guesses.settle_body_status("BODY-NOT-OBJECT", client.post_raw("/fetch-many", body))


@pytest.mark.rule("BODY-EXTRA-KEYS")
@given(extra=extra_keys(), count=st.integers(MIN_IDS, MAX_IDS))
@example(extra={"webhook_url": "https://example.invalid/hook"}, count=MIN_IDS)
@example(extra={"task_id": "a", "nested": {"task_ids": 1}}, count=MIN_IDS)
def test_keys_beside_task_ids_are_ignored(
    client: Client, pool: IdPool, guesses: Guesses, extra: dict[str, Any], count: int
) -> None:
    """Given valid task_ids with other keys beside them, then the answer is 200, as the mock guesses."""
    exchange = client.post("/fetch-many", {**extra, "task_ids": pool.distinct(count)})
    guesses.settle_taken("BODY-EXTRA-KEYS", exchange)
