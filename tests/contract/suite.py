"""Running the contract suite, as a user would, in a subprocess against a variant served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver import DEFAULT_API_KEY, ServerThread, load_fixtures

from .variants import Variant

KNOWN_IDS = ",".join(task["task_id"] for task in load_fixtures().tasks)


@dataclass(frozen=True)
class SuiteRun:
    """How a run of the suite ended: exit status, the JSON report and everything it printed."""

    status: int
    report: dict[str, Any]
    output: str

    def states(self) -> dict[str, str]:
        """Map each rule id to its state."""
        return {rule["id"]: rule["state"] for rule in self.report["rules"]}

    def drifted(self) -> set[str]:
        """Return the rules reported drifted."""
        return set(self.report["drifted"])


def run_suite(
    url: str,
    tmp_path: Path,
    *args: str,
    key: str = DEFAULT_API_KEY,
    known: str = KNOWN_IDS,
    profile: str = "contract-quick",
    env: dict[str, str] | None = None,
) -> SuiteRun:
    """Run `apiframe-mock contract` against `url` with `profile` (the quick one by default); return how it ended."""
    report = tmp_path / "drift.json"
    # Coverage of the suite itself would triple the time of every run and measure nothing of the package:
    # the code under test here is the variant served in this process.
    extra = env or {}
    env = {name: value for name, value in os.environ.items() if name != "COVERAGE_PROCESS_CONFIG"}
    env |= {"APIFRAME_API_KEY": key, "APIFRAME_TASK_IDS": known, **extra}
    command = [sys.executable, "-m", "mockserver", "contract", "--base-url", url, "--drift-report", str(report)]
    command += ["--hypothesis-profile", profile, "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    document = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return SuiteRun(done.returncode, document, done.stdout + done.stderr)


def run_against(variant: Variant, tmp_path: Path) -> SuiteRun:
    """Serve `variant` on 127.0.0.1 and run the live profile against it: each rule's explicit examples alone."""
    with ServerThread(variant.build()) as server:
        return run_suite(server.url, tmp_path, profile="live")


def assert_caught(variant: Variant, tmp_path: Path) -> None:
    """Run the suite against a drifted `variant`: it must fail, naming the rules the variant breaks and no others."""
    run = run_against(variant, tmp_path)
    assert run.status == 1, run.output
    assert variant.drifted <= run.drifted(), run.output
    assert run.drifted() <= variant.drifted | variant.tolerated, run.output
