"""The nightly workflow in examples/ is ready to use: valid YAML whose every command and flag exists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from contract_tests.commands import build_parser
from contract_tests.exits import FLAKY_EXIT, INCOMPLETE_EXIT
from mockserver.cli import LIVE_COMMANDS

WORKFLOW = Path(__file__).resolve().parent.parent / "examples" / "nightly-drift.yml"
CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.toml"
_COMMAND = re.compile(r"^\s*(apiframe-mock .*?)(?:\s*\|\|.*)?$", re.MULTILINE)


def workflow() -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return document


def steps() -> list[dict[str, Any]]:
    (job,) = workflow()["jobs"].values()
    return list(job["steps"])


def commands() -> list[list[str]]:
    """Return each apiframe-mock command the workflow's steps run, split into words."""
    return [shlex.split(found) for step in steps() for found in _COMMAND.findall(step.get("run", ""))]


def collect_only(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``apiframe-mock contract ARGS --collect-only``: pytest refuses any flag it does not know, exit 4."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("APIFRAME_", "GITHUB_"))}
    command = [sys.executable, "-m", "mockserver", "contract", *args, "--collect-only", "-q"]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False)


def test_the_workflow_runs_nightly_with_the_key_from_a_secret() -> None:
    document = workflow()
    (job,) = document["jobs"].values()

    # YAML 1.1 reads the bare key `on` as true.
    assert document[True]["schedule"][0]["cron"]
    assert job["env"]["APIFRAME_API_KEY"] == "${{ secrets.APIFRAME_API_KEY }}"
    assert job["env"]["APIFRAME_BASE_URL"].startswith("https://")
    assert [command[1] for command in commands()] == ["contract", "diff"]


def test_every_command_and_flag_it_names_exists(tmp_path: Path) -> None:
    for command in commands():
        assert command[0] == "apiframe-mock"
        assert command[1] in LIVE_COMMANDS
        if command[1] == "contract":
            # The calibration file the workflow holds production to, as a first run writes it.
            shutil.copy(CALIBRATION, tmp_path / "apiframe-calibration.toml")
            done = collect_only(command[2:], tmp_path)
            assert done.returncode == 0, done.stdout + done.stderr
        else:
            build_parser(command[1]).parse_args(command[2:])


def test_it_uploads_the_reports_and_fails_on_drift_only() -> None:
    upload = next(step for step in steps() if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    verdict = steps()[-1]["run"]

    assert upload["if"] == "always()"
    assert upload["with"]["path"] == "reports/"
    for flag in ("--junitxml reports/", "--drift-report reports/", "--report reports/"):
        assert any(flag in step.get("run", "") for step in steps()), flag
    warned = re.search(r"^\s*([\d|]+)\) echo \"::warning", verdict, re.MULTILINE)
    assert warned is not None
    assert {int(code) for code in warned.group(1).split("|")} == {INCOMPLETE_EXIT, FLAKY_EXIT}
    assert "exit $failed" in verdict
