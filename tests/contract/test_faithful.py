"""The suite does not cry wolf: the mock, and variants using a freedom the docs leave, pass with no drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from .suite import run_against
from .variants import FAITHFUL, Variant


@pytest.mark.parametrize("variant", FAITHFUL, ids=lambda variant: variant.name)
def test_a_faithful_server_passes(variant: Variant, tmp_path: Path) -> None:
    run = run_against(variant, tmp_path)
    assert run.status == 0, run.output
    assert set(run.states().values()) == {"held"}, run.output
