"""A live system doing what live systems do is no drift: tasks moving on, one 429, a dropped connection, a slow answer.

Each server runs the contract suite and `diff` against it: both exit 0 with nothing reported. A task
moving back is still reported, and a 5xx that does not repeat on retry is a flake, apart from drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contract_tests.client import Client
from contract_tests.exits import FLAKY_EXIT
from contract_tests.target import Target
from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app
from mockserver.cli import main
from mockserver.engine.faults import Fault, FaultKind, FaultPlan

from .servers import BACKWARD, moving, striking_once
from .suite import run_suite

BAD_MOMENTS = {
    "one 429": Fault(FaultKind.RATE_LIMIT, retry_after=1),
    "one dropped connection": Fault(FaultKind.DROP),
    "one answer taking 2 s": Fault(FaultKind.LATENCY, ms=2000),
}


def run_diff(url: str, ids: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    """Run `apiframe-mock diff` against `url` knowing `ids`; return its exit status and JSON report."""
    report = tmp_path / "diff.json"
    args = ["diff", "--base-url", url, "--api-key", DEFAULT_API_KEY, "--task-ids", ids, "--seed", "7"]
    status = main([*args, "--report", str(report)])
    capsys.readouterr()
    return status, json.loads(report.read_text(encoding="utf-8"))


def test_tasks_that_move_on_with_every_read_are_no_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given tasks that take a step forward on every read, then contract and diff exit 0 with nothing reported."""
    server, ids = moving()
    with server:
        suite = run_suite(server.url, tmp_path, known=ids)
    server, ids = moving()
    with server:
        status, report = run_diff(server.url, ids, tmp_path, capsys)

    assert (suite.status, suite.drifted()) == (0, set()), suite.output
    assert suite.states()["TASK-FORWARD"] == "held"
    assert (status, report["differences"], report["flakes"]) == (0, [], [])


def test_a_task_that_moves_back_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given tasks that show 0 % again after 2 %, then contract and diff both report TASK-FORWARD and exit 1."""
    server, ids = moving(BACKWARD)
    with server:
        suite = run_suite(server.url, tmp_path, known=ids)
    server, ids = moving(BACKWARD)
    with server:
        status, report = run_diff(server.url, ids, tmp_path, capsys)

    assert (suite.status, suite.drifted()) == (1, {"TASK-FORWARD"}), suite.output
    assert "percentage fell from '2' to '0' while 'processing'" in suite.output
    assert status == 1
    assert {(d["rule"], d["moved"], d["live"]) for d in report["differences"]} == {
        ("TASK-FORWARD", "live", "percentage fell from '2' to '0' while 'processing'")
    }


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_one_bad_moment_costs_a_retry_and_is_never_reported(
    moment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given one 429, one dropped connection or one slow answer mid-run, then both exit 0 with nothing reported."""
    with striking_once(BAD_MOMENTS[moment]) as server:
        suite = run_suite(server.url, tmp_path)
    with striking_once(BAD_MOMENTS[moment], at=20) as server:
        status, report = run_diff(server.url, "", tmp_path, capsys)

    assert (suite.status, suite.drifted(), suite.report["flakes"]) == (0, set(), []), suite.output
    assert set(suite.states().values()) == {"held"}
    assert (status, report["differences"], report["flakes"], report["complete"]) == (0, [], [], True)


def test_a_5xx_that_does_not_repeat_is_a_flake_apart_from_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given one 503 mid-run, then no rule drifts, the flake is listed with its curl, and both exit 7."""
    with striking_once(Fault(FaultKind.ERROR, status=503)) as server:
        suite = run_suite(server.url, tmp_path)
    with striking_once(Fault(FaultKind.ERROR, status=503), at=20) as server:
        status, report = run_diff(server.url, "", tmp_path, capsys)

    assert (suite.status, suite.drifted()) == (FLAKY_EXIT, set()), suite.output
    [flake] = suite.report["flakes"]
    assert flake["reason"].startswith("answered 503, then ")
    assert flake["request"]["curl"].startswith("curl -sS -i -X ")
    assert "flaky, not drift: 1 answer that did not repeat when sent again" in suite.output
    assert (status, report["differences"], len(report["flakes"])) == (FLAKY_EXIT, [], 1)


@pytest.mark.parametrize(
    ("fault", "timeout_s"),
    [(Fault(FaultKind.DROP), None), (Fault(FaultKind.LATENCY, ms=1500), 0.5)],
    ids=["dropped", "past the timeout"],
)
def test_a_request_without_an_answer_is_sent_once_more_and_is_no_flake(fault: Fault, timeout_s: float | None) -> None:
    """Given a dropped connection or an answer slower than the timeout, then the request goes again, once."""
    with striking_once(fault, at=1) as server:
        client = Client(Target(server.url, DEFAULT_API_KEY), lambda exchange: None, timeout_s)
        exchange = client.get("/account")
        client.close()

    assert exchange.answer is not None
    assert (exchange.answer.status, client.sent, client.flakes) == (200, 2, [])


def test_a_5xx_is_sent_once_more_and_a_repeat_is_the_answer() -> None:
    """Given a 500 on every call, then the request goes twice and the 500 stands: drift, not a flake."""
    state = MockState.from_fixtures()
    state.store.faults = FaultPlan([Fault(FaultKind.ERROR)])
    with ServerThread(create_app(state)) as server:
        client = Client(Target(server.url, DEFAULT_API_KEY), lambda exchange: None)
        exchange = client.get("/account")
        client.close()

    assert exchange.answer is not None
    assert (exchange.answer.status, client.sent, client.flakes) == (500, 2, [])
