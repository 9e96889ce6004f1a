"""Production doing otherwise than the mock guessed, where nothing relies on it, is listed apart: never drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver import ServerThread

from .suite import run_against, run_suite
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


def test_a_server_judging_the_body_before_the_key_still_keeps_route_keyless(tmp_path: Path) -> None:
    """Given /fetch-many judging its body before the key, when every route is asked keyless, then ROUTE-KEYLESS holds.

    Its ask carries a body the route takes, so the documented rule does not rest on AUTH-FIRST's guess.
    """
    body_first = next(variant for variant in GUESSES_MISSED if variant.missed == {"AUTH-FIRST"})
    with ServerThread(body_first.build()) as server:
        run = run_suite(server.url, tmp_path, "-k", "route_asked_without_a_key")
    assert run.status == 0, run.output
    assert run.states()["ROUTE-KEYLESS"] == "held", run.output
    assert run.report["budget"]["sent_by_rule"]["ROUTE-KEYLESS"] > 40, run.output
