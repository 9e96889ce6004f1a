"""The contract suite catches a v2 that breaks one rule, and names exactly that rule: `standin_v2.py` breaks each."""

from __future__ import annotations

from pathlib import Path

import pytest

from .standin_v2 import BREAKS, Behaviour, run_on_stand_in

ALSO_BROKEN = {
    "null-body-500": {"V2-INVALID-BODY"},
    "job-without-cost": {"V2-SUBMIT-OK"},
}
"""Breaks that take a second rule down with the first: the 500 answers an invalid body, a polled job lacks its cost."""


@pytest.mark.parametrize("breaks", list(BREAKS))
def test_a_v2_breaking_one_rule_is_caught_by_that_rule(breaks: str, tmp_path: Path) -> None:
    """Given a v2 that breaks one rule, then the run exits 1 and reports exactly that rule drifted."""
    run = run_on_stand_in(Behaviour(breaks=breaks), tmp_path)
    assert run.status == 1, run.output
    assert run.drifted() == {BREAKS[breaks], *ALSO_BROKEN.get(breaks, ())}, run.output
