"""A team trusts the checks from the first run: a live run against a stand-in for production fits its budget.

The stand-in (`standin.py`) is written from the docs, not from the mock. Every run here uses the `live`
profile and the remote defaults a nightly job has: 150 requests, no valid submissions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract_tests.exits import FLAKY_EXIT, INCOMPLETE_EXIT, NOTHING_SELECTED_EXIT, USAGE_EXIT
from contract_tests.ledger import LEDGER_RULES
from contract_tests.plan import sample_ids
from contract_tests.rules_v1 import V1_RULES as RULES
from mockserver import ServerThread
from mockserver.cli import main

from .standin import KEY, Behaviour, StandIn, serve_stand_in
from .suite import SuiteRun, run_suite

BUDGET = "150"
CHOSEN_OUT = {"SUBMIT-OK", "SUBMIT-FETCHABLE"}
"""Valid submissions cost credits: a run allowed none leaves these out, as the user chose."""


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[ServerThread, StandIn]]:
    server, app = serve_stand_in()
    with server:
        yield server, app


def live_run(
    stand_in: tuple[ServerThread, StandIn], behaviour: Behaviour, tmp_path: Path, *args: str, ids: bool = True
) -> SuiteRun:
    """Switch the stand-in to `behaviour` and run the live profile against it as a nightly job would."""
    server, app = stand_in
    known = ",".join(app.switch(behaviour))
    known = known if ids else ""
    options = ["--max-requests", BUDGET, "--allow-submissions", "0", "--hypothesis-seed", "7", *args]
    return run_suite(server.url, tmp_path, *options, key=KEY, known=known, profile="live")


def held_but_chosen_out(run: SuiteRun) -> None:
    assert run.states() == {rule.id: "not selected" if rule.id in CHOSEN_OUT else "held" for rule in RULES}, run.output


@pytest.mark.parametrize("ids", [24, 200])
def test_a_faithful_server_gets_a_verdict_on_every_rule_within_150_requests(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path, ids: int
) -> None:
    """Given 24 or 200 known ids, then every rule holds in one run of at most 150 requests, retries' room kept."""
    run = live_run(stand_in, Behaviour(ids=ids), tmp_path)

    assert run.status == 0, run.output
    held_but_chosen_out(run)
    budget = run.report["budget"]
    assert run.report["requests"] == stand_in[1].requests <= budget["planned"]
    assert budget["planned"] + budget["room_for_retries"] <= int(BUDGET)
    assert len(budget["sampled_ids"]) == 20
    assert set(budget["sampled_ids"]) <= set(list(stand_in[1].tasks)[:ids])
    assert f"ids sampled for the per-id rules (seed 7): {', '.join(budget['sampled_ids'])}" in run.output
    assert "by rule (sent/planned):" in run.output


def test_the_sample_follows_the_seed() -> None:
    """Given the same seed, then the same ids; given another, others; without a budget, every id."""
    known = [f"task-{number}" for number in range(200)]

    assert sample_ids(known, "7", True) == sample_ids(known, "7", True) != sample_ids(known, "8", True)
    assert sample_ids(known, "7", False) == tuple(known)


@pytest.mark.parametrize(("strike", "status"), [("429", 0), ("500", FLAKY_EXIT), ("drop", 0)])
def test_one_bad_moment_still_gets_every_verdict_within_the_budget(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path, strike: str, status: int
) -> None:
    """Given a 429, a 500 or a dropped connection once, then every verdict within 150: exit 0, or 7 for the 500."""
    run = live_run(stand_in, Behaviour(ids=200, strike=strike, strike_at=40), tmp_path)

    assert run.status == status, run.output
    held_but_chosen_out(run)
    assert run.report["requests"] <= int(BUDGET)


def test_bearer_refused_is_drift(stand_in: tuple[ServerThread, StandIn], tmp_path: Path) -> None:
    """Given a server that takes only the bare key, then AUTH-BEARER drifts: the official clients send Bearer."""
    run = live_run(stand_in, Behaviour(bearer="refused"), tmp_path)

    assert run.status == 1, run.output
    assert "AUTH-BEARER" in run.drifted()
    # A finding is a verdict line with its request and answer, never a traceback.
    assert "AUTH-BEARER drifted: `Bearer $APIFRAME_API_KEY` was refused\nrequest: curl " in run.output
    assert not [line for line in run.output.splitlines() if line.startswith((">", "E   ", "Traceback"))], run.output


def test_without_known_ids_the_run_is_incomplete_and_says_what_gives_a_verdict(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given no --task-ids, then the rules that need them have no verdict, exit 6, and the last line says why."""
    run = live_run(stand_in, Behaviour(), tmp_path, ids=False)

    # The ledger holds every answer of the run to its rules, so those get a verdict whatever was asked.
    unchecked = {rule.id for rule in RULES if rule.needs_known_ids} - set(LEDGER_RULES)
    assert run.status == INCOMPLETE_EXIT, run.output
    assert {rule for rule, state in run.states().items() if state == "not checked"} == unchecked
    assert "got no verdict: give --task-ids or set $APIFRAME_TASK_IDS" in run.output


def test_a_rule_left_out_with_k_is_not_selected_and_an_empty_selection_has_its_code(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given -k picking the bounds, then the other rules are not selected and the run exits 0; -k nothing exits 5."""
    run = live_run(stand_in, Behaviour(), tmp_path, "-k", "bounds or too_few or too_many")
    nothing = live_run(stand_in, Behaviour(), tmp_path, "-k", "no_such_test")

    assert run.status == 0, run.output
    assert {rule for rule, state in run.states().items() if state != "not selected"} == {
        "BOUNDS-ACCEPTED",
        "BOUNDS-TOO-FEW",
        "BOUNDS-TOO-MANY",
    }
    assert nothing.status == NOTHING_SELECTED_EXIT, nothing.output


def test_a_run_that_cannot_fit_its_budget_is_refused_before_it_sends_anything(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given --max-requests 40, then one line says what the run needs, exit 4, and the server saw nothing."""
    run = live_run(stand_in, Behaviour(), tmp_path, "--max-requests", "40")

    assert run.status == USAGE_EXIT, run.output
    assert "and --max-requests is 40: raise --max-requests to " in run.output
    assert stand_in[1].requests == 0


@pytest.mark.parametrize("ids", [24, 200])
def test_diff_samples_the_known_ids_and_fits_the_budget_too(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: int
) -> None:
    """Given 24 or 200 known ids and --max-requests 150, then diff loads a seeded sample of 20 and fits."""
    server, app = stand_in
    known = app.switch(Behaviour(ids=ids))
    report = tmp_path / "diff.json"
    args = ["diff", "--base-url", server.url, "--api-key", KEY, "--task-ids", ",".join(known), "--seed", "7"]
    status = main([*args, "--max-requests", BUDGET, "--allow-submissions", "0", "--report", str(report)])
    capsys.readouterr()
    document = json.loads(report.read_text(encoding="utf-8"))

    assert (status, document["differences"], document["complete"]) == (0, [], True)
    assert document["live_requests"] == app.requests <= int(BUDGET)
    assert len(document["ids_sampled"]) == 20
    assert set(document["ids_sampled"]) <= set(known)
