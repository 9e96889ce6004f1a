"""`apiframe-mock diff` at the submit endpoints: refusals compared like any case, valid submissions only if allowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contract_tests.submissions import ENDPOINTS, SUBMIT_PATHS
from mockserver.cli import main
from tests.contract.changes import keyless_submission_400
from tests.contract.wrapper import Reply, Seen
from tests.production import production

KEY = "diff-submissions-key"


def diff(url: str, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """Run `diff` against `url` with no known tasks; return its exit status and JSON report."""
    report = tmp_path / "report.json"
    args = ["diff", "--base-url", url, "--api-key", KEY, "--task-ids", "", "--seed", "3", "--report", str(report)]
    status = main([*args, *extra])
    return status, json.loads(report.read_text())


def test_a_refusal_that_changed_is_a_difference_on_its_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given production answering a submission without a key 400, then each such case differs under SUBMIT-AUTH."""

    def keyless_400(seen: Seen, reply: Reply) -> Reply:
        changed = keyless_submission_400(seen)
        return changed if isinstance(changed, Reply) else reply

    with production(KEY, keyless_400) as server:
        status, report = diff(server.url, tmp_path)

    [difference] = report["differences"]
    assert (difference["rule"], difference["moved"], difference["live"], difference["mock"]) == (
        "SUBMIT-AUTH",
        "live",
        "400",
        "401",
    )
    assert set(difference["cases"]) == {f"submit: no key on {endpoint.path}" for endpoint in ENDPOINTS.values()}
    assert status == 1
    assert "SUBMIT-AUTH" in capsys.readouterr().out


@pytest.mark.parametrize("allowed", [0, 2])
def test_no_valid_submission_reaches_the_server_beyond_the_allowance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], allowed: int
) -> None:
    """Given --allow-submissions N, then the server starts N tasks, and gets every submission refusal."""
    sent: list[int] = []

    def count(seen: Seen, reply: Reply) -> Reply:
        if seen.path in SUBMIT_PATHS:
            sent.append(reply.status)
        return reply

    with production(KEY, count) as server:
        status, report = diff(server.url, tmp_path, "--allow-submissions", str(allowed))

    assert (status, report["differences"]) == (0, [])
    assert sent.count(200) == allowed
    assert len(sent) == 3 * len(ENDPOINTS) + allowed
