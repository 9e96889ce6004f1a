"""The bounds of `task_ids`, read from the request schema: inside accepted, below and above refused."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from .client import Client
from .oracle import expect_status
from .pool import IdPool
from .strategies import FAR_BEYOND, MAX_IDS, MIN_IDS


@pytest.mark.rule("BOUNDS-ACCEPTED")
@given(count=st.integers(MIN_IDS, MAX_IDS))
@example(count=MIN_IDS)
@example(count=MAX_IDS)
def test_a_count_within_the_bounds_is_accepted(client: Client, pool: IdPool, count: int) -> None:
    """Given 2 to 20 distinct ids (known ones first), then the answer is 200."""
    expect_status(client.post("/fetch-many", {"task_ids": pool.distinct(count)}), 200, f"{count} ids")


@pytest.mark.rule("BOUNDS-TOO-FEW")
@given(count=st.integers(0, MIN_IDS - 1))
@example(count=0)
@example(count=MIN_IDS - 1)
def test_too_few_ids_are_refused(client: Client, pool: IdPool, count: int) -> None:
    """Given fewer ids than the minimum, then the answer is 400."""
    expect_status(client.post("/fetch-many", {"task_ids": pool.distinct(count)}), 400, f"{count} ids")


@pytest.mark.rule("BOUNDS-TOO-MANY")
@given(count=st.integers(MAX_IDS + 1, FAR_BEYOND))
@example(count=MAX_IDS + 1)
@example(count=FAR_BEYOND)
def test_too_many_ids_are_refused(client: Client, pool: IdPool, count: int) -> None:
    """Given more ids than the maximum, however many, then the answer is 400."""
    expect_status(client.post("/fetch-many", {"task_ids": pool.distinct(count)}), 400, f"{count} ids")
