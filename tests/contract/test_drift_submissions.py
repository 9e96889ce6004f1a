"""The suite catches each drifted variant of the submit endpoints, naming the rule it broke."""

from __future__ import annotations

from pathlib import Path

import pytest

from .suite import assert_caught
from .variants import DRIFTED_SUBMISSIONS, Variant


@pytest.mark.parametrize("variant", DRIFTED_SUBMISSIONS, ids=lambda variant: variant.name)
def test_a_drifted_server_is_caught(variant: Variant, tmp_path: Path) -> None:
    assert_caught(variant, tmp_path)
