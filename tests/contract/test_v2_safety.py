"""v2 on a live server has v1's safety: refusals only unless --allow-submissions, the budget, the ground, the key.

The stand-in counts what it was sent; the key is one no report or line may show.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from contract_tests.exits import GROUND_EXIT, USAGE_EXIT
from contract_tests.target import REMOTE_MAX_REQUESTS, REMOTE_MAX_SECONDS, REMOTE_RATE, REMOTE_SUBMISSIONS
from contract_tests.versions import jobs_target, resolve_targets
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


@pytest.mark.parametrize("api", ["v2", "both"])
def test_a_remote_v2_bounds_the_run_although_v1_is_on_loopback(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given v1 on this machine and v2 on a remote host, then the run is bounded as a remote run is."""
    for name in ("APIFRAME_V2_BASE_URL", "APIFRAME_V2_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    options = ("http://127.0.0.1:8000", "k", None, None, None, None)
    target, v2 = resolve_targets(api, "https://api.example.invalid", None, *options)
    assert target is not None
    assert v2 is not None
    budget = REMOTE_MAX_REQUESTS * (2 if api == "both" else 1)
    limits = (budget, REMOTE_RATE, REMOTE_MAX_SECONDS, REMOTE_SUBMISSIONS)
    assert (target.max_requests, target.rate, target.max_seconds, target.allow_submissions) == limits
    assert v2.base_url == "https://api.example.invalid"


def test_a_loopback_v2_beside_a_loopback_v1_runs_unbounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given both versions on this machine, then the run is as unbounded as any loopback run."""
    monkeypatch.delenv("APIFRAME_V2_BASE_URL", raising=False)
    options = ("http://127.0.0.1:8000", "k", None, None, None)
    target, _ = resolve_targets("both", "http://localhost:9000", "afk_k", *options)
    assert target is not None
    assert (target.max_requests, target.rate, target.max_seconds, target.allow_submissions) == (None, None, None, None)


def test_snapshot_and_diff_of_v2_read_the_base_url_given_before_the_environments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given --base-url and $APIFRAME_V2_BASE_URL, then `snapshot --api v2` reads from --base-url, as README says."""
    monkeypatch.setenv("APIFRAME_V2_BASE_URL", "https://api.example.invalid")
    monkeypatch.delenv("APIFRAME_V2_API_KEY", raising=False)
    args = argparse.Namespace(pages=1, v2_api_key=None, job_ids="a,b")
    target = jobs_target(args, "http://127.0.0.1:8000", "k", None, None, None, None)
    assert target is not None
    assert (target.base_url, target.api_key, target.known_ids) == ("http://127.0.0.1:8000", "afk_k", ("a", "b"))
