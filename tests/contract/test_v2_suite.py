"""The contract suite on v2: the mock passes, on one host with v1 or apart, and a faithful v2 (moving, flaky) passes.

Each run is the installed command, in a subprocess, with the live profile (each rule's explicit
examples alone), against a server on 127.0.0.1: the mock, or a stand-in written from the vendor's
document (`standin_v2.py`); `test_v2_drift.py` has it break one rule at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.exits import FLAKY_EXIT
from contract_tests.rules_v2 import V2_RULES
from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app

from .standin_v2 import KEY, Behaviour, run_on_stand_in, serve_v2_stand_in
from .suite import run_suite

V2_HELD = {rule.id: "held" for rule in V2_RULES}


@pytest.mark.parametrize("api", ["v2", "both"])
def test_the_mock_keeps_every_rule_of_the_api_chosen(api: str, tmp_path: Path) -> None:
    """Given the mock, when the suite runs with --api v2 or both, then every rule of those versions is held."""
    with ServerThread(create_app(MockState.from_fixtures(api_key=DEFAULT_API_KEY))) as server:
        run = run_suite(server.url, tmp_path, "--api", api, profile="live")
    assert run.status == 0, run.output
    states = run.states()
    assert {rule_id: states[rule_id] for rule_id in V2_HELD} == V2_HELD, run.output
    assert ("AUTH-BARE" in states) is (api == "both"), run.output
    assert {rule["version"] for rule in run.report["rules"]} == ({"v2"} if api == "v2" else {"v1", "v2"})


def test_both_versions_on_two_hosts(tmp_path: Path) -> None:
    """Given v1 on one server and v2 on another, when --api both names v2's with --v2-base-url, then both pass."""
    mock = ServerThread(create_app(MockState.from_fixtures(api_key=DEFAULT_API_KEY)))
    with mock as v1, serve_v2_stand_in(Behaviour()) as v2:
        env = {"APIFRAME_V2_API_KEY": KEY}
        run = run_suite(v1.url, tmp_path, "--api", "both", "--v2-base-url", f"{v2.url}/v2", profile="live", env=env)
    assert run.status == 0, run.output
    assert set(run.states().values()) == {"held"}, run.output
    assert run.report["v2_target"] == v2.url
    assert KEY not in run.output


@pytest.mark.parametrize(
    "behaviour",
    [Behaviour(), Behaviour(moving=True), *(Behaviour(strike=strike) for strike in ("429", "500", "drop"))],
    ids=["faithful", "moving", "a 429 once", "a 500 once", "a dropped connection once"],
)
def test_a_faithful_v2_flags_nothing(behaviour: Behaviour, tmp_path: Path) -> None:
    """Given a v2 that keeps the contract, moving its jobs on or having one bad moment, then no rule drifted.

    A 500 that does not repeat is listed apart as a flake, with its own exit status.
    """
    run = run_on_stand_in(behaviour, tmp_path)
    assert run.status == (FLAKY_EXIT if behaviour.strike == "500" else 0), run.output
    assert run.states() == V2_HELD, run.output
    assert len(run.report["flakes"]) == (behaviour.strike == "500"), run.output


def test_an_html_404_for_an_unknown_path_is_a_guess_missed_not_drift(tmp_path: Path) -> None:
    """Given a v2 answering unknown paths as Express does by default, then V2-UNKNOWN-PATH is a guess missed."""
    run = run_on_stand_in(Behaviour(html_404=True), tmp_path)
    assert run.status == 0, run.output
    assert run.states() == {**V2_HELD, "V2-UNKNOWN-PATH": "guess missed"}, run.output


def test_refusals_that_cost_credits_are_a_guess_missed_not_drift(tmp_path: Path) -> None:
    """Given a v2 charging for a refused body, then V2-REFUSAL-FREE is a guess missed: nothing relies on it."""
    run = run_on_stand_in(Behaviour(breaks="refusals-charged"), tmp_path)
    assert run.status == 0, run.output
    assert run.states() == {**V2_HELD, "V2-REFUSAL-FREE": "guess missed"}, run.output


def test_jobs_unlike_the_mocks_guesses_are_guesses_missed_not_drift(tmp_path: Path) -> None:
    """Given ended jobs with another price, expired, FAILED without `completedAt` and a webhook status, then guesses."""
    run = run_on_stand_in(Behaviour(other_guesses=True), tmp_path)
    assert run.status == 0, run.output
    missed = {"V2-CREDIT-COST", "V2-EXPIRED", "V2-COMPLETED-AT", "V2-WEBHOOK-STATUS"}
    assert run.states() == {**V2_HELD, **dict.fromkeys(missed, "guess missed")}, run.output
    assert "the mock guessed 10 for music; production does 6 for music: no setting changes it" in run.output
