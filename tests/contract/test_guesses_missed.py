"""Production doing otherwise than the mock guessed, where nothing relies on it, is listed apart: never drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from .suite import run_against
from .variants import GUESSES_MISSED, Variant


@pytest.mark.parametrize("variant", GUESSES_MISSED, ids=lambda variant: variant.name)
def test_a_server_unlike_a_guess_has_it_listed_apart_and_exits_0(variant: Variant, tmp_path: Path) -> None:
    """Given a server that does otherwise on a guess, then that guess is missed, every other rule held, exit 0."""
    run = run_against(variant, tmp_path)
    assert run.status == 0, run.output
    assert run.states() == {rule: "guess missed" if rule in variant.missed else "held" for rule in run.states()}, (
        run.output
    )
    assert variant.missed <= set(run.states()), run.output
