"""v2 on a live server has v1's safety: refusals only unless --allow-submissions, the budget, the ground, the key.

The stand-in counts what it was sent; the key is one no report or line may show.
"""

from __future__ import annotations

from pathlib import Path

from contract_tests.exits import GROUND_EXIT, USAGE_EXIT
from mockserver import ServerThread

from .standin_v2 import KEY, Behaviour, StandInV2
from .suite import run_suite

SUBMITTING = {"V2-SUBMIT-OK", "V2-IDEMPOTENCY-LONG"}


def test_no_submission_is_sent_unless_allowed(tmp_path: Path) -> None:
    """Given --allow-submissions 0, then v2's submitting rules are not selected and no job is made or charged."""
    app = StandInV2(Behaviour())
    with ServerThread(app) as server:
        run = run_suite(server.url, tmp_path, "--api", "v2", "--allow-submissions", "0", key=KEY, profile="live")
    assert run.status == 0, run.output
    assert {rule_id for rule_id, state in run.states().items() if state != "held"} == SUBMITTING, run.output
    assert {run.states()[rule_id] for rule_id in SUBMITTING} == {"not selected"}
    assert (len(app.jobs), app.credits, run.report["submissions"]) == (3, 1000, 0)
    assert KEY not in run.output
    assert KEY not in (tmp_path / "drift.json").read_text()


def test_a_v2_run_that_cannot_fit_its_budget_is_refused_before_it_sends(tmp_path: Path) -> None:
    """Given --max-requests too small for v2's rules, then the run stops with one line, having sent nothing."""
    app = StandInV2(Behaviour())
    with ServerThread(app) as server:
        run = run_suite(server.url, tmp_path, "--api", "v2", "--max-requests", "20", key=KEY, profile="live")
    assert run.status == USAGE_EXIT, run.output
    assert "raise --max-requests to" in run.output
    assert app.requests == 0


def test_a_refused_v2_key_is_no_ground(tmp_path: Path) -> None:
    """Given a v2 key the server refuses, then GET /v2/me is the one request and the line names v2's key flags."""
    app = StandInV2(Behaviour())
    env = {"APIFRAME_V2_API_KEY": "afk_not-the-key"}
    with ServerThread(app) as server:
        run = run_suite(server.url, tmp_path, "--api", "v2", key="unused-v1-key", profile="live", env=env)
    assert run.status == GROUND_EXIT, run.output
    assert "refused the API key (GET /v2/me answered 401): check --v2-api-key or $APIFRAME_V2_API_KEY" in run.output
    assert app.requests == 1
