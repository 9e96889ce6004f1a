"""Results where CI users look: a Markdown summary per rule with each drift's curl, and a JUnit case per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contract_tests.exits import EXIT_MEANINGS
from contract_tests.rules_v1 import V1_RULES as RULES
from mockserver import ServerThread
from mockserver.cli import main
from tests.test_diff import CANARY, drifted, fixture_ids, production

from .changes import on_status, with_401_body
from .suite import run_suite
from .variants import wrap


def test_contract_writes_a_summary_and_a_junit_case_per_rule_with_its_verdict(tmp_path: Path) -> None:
    """Given a server whose 401 has a body, then the summary and the JUnit XML show AUTH-401 drifted, the rest held."""
    summary, junit = tmp_path / "summary.md", tmp_path / "junit.xml"
    with ServerThread(wrap(after=on_status(401, with_401_body))()) as server:
        run = run_suite(server.url, tmp_path, "--summary", str(summary), "--junitxml", str(junit))

    assert run.status == 1, run.output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"## apiframe-mock contract: {EXIT_MEANINGS[1]}\n")
    assert "| AUTH-401 | documented | **DRIFTED** |" in text
    assert "| AUTH-BARE | documented | held |" in text
    assert "### AUTH-401: A missing, empty or wrong key gets 401 with the body exactly `{}`" in text
    assert "```sh\ncurl -sS -i -X " in text
    cases = {case.get("name"): case for case in ET.parse(junit).iter("testcase")}
    verdicts = {rule.id: cases[f"test_the_rule[{rule.id}]"] for rule in RULES}
    failure = verdicts["AUTH-401"].find("failure")
    assert failure is not None
    assert "curl -sS -i -X" in (failure.get("message") or "")
    assert verdicts["AUTH-BARE"].find("failure") is None
    assert verdicts["AUTH-BARE"].find("skipped") is None


def test_diff_appends_its_summary_to_the_github_step_summary_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given $GITHUB_STEP_SUMMARY and a drifted server, then diff appends the verdict per rule and each curl."""
    step = tmp_path / "step-summary.md"
    step.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    with production(drifted) as server:
        status = main(["diff", "--base-url", server.url, "--api-key", CANARY, "--task-ids", ",".join(fixture_ids())])
    out = capsys.readouterr().out

    text = step.read_text(encoding="utf-8")
    assert status == 1
    assert f"summary written to {step}" in out
    assert text.startswith("earlier step\n## apiframe-mock diff: drift")
    assert "| IDS-UNKNOWN | assumed | **DRIFTED** |" in text
    assert "| ACCOUNT | documented | held |" in text
    assert "```sh\ncurl -sS -i -X GET " in text
    assert CANARY not in text
