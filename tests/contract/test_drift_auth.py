"""The suite catches each drifted variant of authentication, naming the rule it broke."""

from __future__ import annotations

from pathlib import Path

import pytest

from .suite import run_against
from .variants import DRIFTED_AUTH, Variant


@pytest.mark.parametrize("variant", DRIFTED_AUTH, ids=lambda variant: variant.name)
def test_a_drifted_server_is_caught(variant: Variant, tmp_path: Path) -> None:
    run = run_against(variant, tmp_path)
    assert run.status == 1, run.output
    assert variant.drifted <= run.drifted(), run.output
    assert run.drifted() <= variant.drifted | variant.tolerated, run.output
