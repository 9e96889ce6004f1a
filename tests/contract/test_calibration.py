"""Guesses calibrate: production doing otherwise is listed apart, written as settings the mock follows, then held.

The stand-in (`standin.py`) differs from the mock's defaults on every open point. A run lists each as a
guess missed and exits 0 (1 with --strict); `--calibrate` writes them; the mock served with the file
passes the suite held to it; a production that changes one point after calibration is drift.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract_tests.rules import RULES, Source
from mockserver import DEFAULT_API_KEY, ServerThread, load_fixtures

from .standin import KEY, Behaviour, StandIn, serve_stand_in
from .suite import SuiteRun, run_suite

GUESSES = {rule.id for rule in RULES if rule.source is Source.GUESS and rule.setting}
ELSEWISE = Behaviour(bearer="exact case", unknown_id_status=404, extra_keys_ignored=False)
"""Production unlike the mock's guesses on every open point."""
NIGHTLY = ["--max-requests", "150", "--allow-submissions", "0", "--hypothesis-seed", "7"]


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[ServerThread, StandIn]]:
    server, app = serve_stand_in()
    with server:
        yield server, app


def against(stand_in: tuple[ServerThread, StandIn], behaviour: Behaviour, tmp_path: Path, *args: str) -> SuiteRun:
    """Switch the stand-in to `behaviour` and run the live profile against it."""
    server, app = stand_in
    known = ",".join(app.switch(behaviour))
    return run_suite(server.url, tmp_path, *NIGHTLY, *args, key=KEY, known=known, profile="live")


def missed(run: SuiteRun) -> set[str]:
    return {rule for rule, state in run.states().items() if state == "guess missed"}


def test_lower_case_bearer_refused_is_a_guess_listed_apart_and_exit_0(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given a server that refuses `bearer` in lower case, then no drift, exit 0, the guess listed with its setting."""
    run = against(stand_in, Behaviour(bearer="exact case"), tmp_path)
    strict = against(stand_in, Behaviour(bearer="exact case"), tmp_path, "--strict")

    assert (run.status, run.drifted(), missed(run)) == (0, set(), {"AUTH-BEARER-CASE"}), run.output
    assert (
        "  AUTH-BEARER-CASE: the mock guessed auth.bearer_any_case = true; production does false: [auth] "
        "bearer_any_case = false in a calibration file (contract --calibrate FILE writes it) makes the mock do so"
    ) in run.output
    assert "guesses production does otherwise, not drift (--strict counts them): 1" in run.output
    assert strict.status == 1, strict.output


def calibrate(stand_in: tuple[ServerThread, StandIn], tmp_path: Path) -> tuple[SuiteRun, Path]:
    path = tmp_path / "apiframe-calibration.toml"
    return against(stand_in, ELSEWISE, tmp_path, "--calibrate", str(path)), path


def test_calibrate_writes_what_production_did_on_every_open_point(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given a server unlike every guess, then --calibrate lists each, exits 0, and writes plain TOML, no key."""
    run, path = calibrate(stand_in, tmp_path)
    text = path.read_text(encoding="utf-8")

    assert (run.status, missed(run)) == (0, GUESSES), run.output
    assert f"calibration written to {path}" in run.output
    assert re.search(r'^\[calibration\]\nformat = 1\ndate = "\d{4}-\d\d-\d\d"\ntarget = "http://127', text, re.M)
    for line in ("bearer_any_case = false", "unknown_id_status = 404", "extra_keys_ignored = false"):
        assert f"\n{line}\n" in text
    assert KEY not in text


@pytest.fixture
def calibrated_mock(stand_in: tuple[ServerThread, StandIn], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Yield the URL of `apiframe-mock serve --config FILE` with a file calibrated on the stand-in, and the file."""
    _, path = calibrate(stand_in, tmp_path)
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--config", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield re.findall(r"http://127\.0\.0\.1:\d+", process.stdout.readline())[0], path
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_mock_served_with_the_file_answers_as_production_and_passes_the_suite(
    calibrated_mock: tuple[str, Path], tmp_path: Path
) -> None:
    """Given the mock served with the calibration file, then it keeps every rule, held to the file."""
    url, path = calibrated_mock
    known = ",".join(task["task_id"] for task in load_fixtures().tasks)
    run = run_suite(url, tmp_path, "--calibrated", str(path), key=DEFAULT_API_KEY, known=known)
    plain = run_suite(url, tmp_path, key=DEFAULT_API_KEY, known=known)

    assert (run.status, set(run.states().values())) == (0, {"held"}), run.output
    assert (plain.status, missed(plain)) == (0, GUESSES), plain.output


def test_a_point_changed_after_calibration_is_drift_naming_it(
    stand_in: tuple[ServerThread, StandIn], tmp_path: Path
) -> None:
    """Given production back to `bearer` in any case after calibration, then exit 1: was false on DATE, is now true."""
    _, path = calibrate(stand_in, tmp_path)
    date = re.findall(r'date = "(.+)"', path.read_text(encoding="utf-8"))[0]
    same = against(stand_in, ELSEWISE, tmp_path, "--calibrated", str(path))
    changed = against(
        stand_in, Behaviour(unknown_id_status=404, extra_keys_ignored=False), tmp_path, "--calibrated", str(path)
    )

    assert (same.status, missed(same), same.drifted()) == (0, set(), set()), same.output
    assert (changed.status, changed.drifted()) == (1, {"AUTH-BEARER-CASE"}), changed.output
    assert f"auth.bearer_any_case was false when calibrated on {date}, is now true" in changed.output
    report = json.dumps(changed.report)
    assert "was false when calibrated on" in report


BAD_FILES = {
    "malformed": ("[auth]\nbearer_any_case = \n", "line 2", "not valid TOML"),
    "an unknown setting": (
        "[calibration]\nformat = 1\n\n[auth]\nbearer_any_case = false\nbearer_lower = true\n",
        "line 6: auth.bearer_lower is not a setting; [auth] takes bearer_any_case",
        "",
    ),
    "a newer format": (
        '[calibration]\ndate = "2030-01-01"\nformat = 2\n',
        "line 3: calibration.format = 2 was written by a newer apiframe-mock; this one reads format 1: upgrade it",
        "",
    ),
    "a wrong value": (
        "[fetch]\nunknown_id_status = 200\n",
        "line 2: fetch.unknown_id_status = 200 is not a client error",
        "",
    ),
}


@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_bad_calibration_file_is_one_line_naming_file_line_and_setting_and_nothing_starts(
    tmp_path: Path, bad: str
) -> None:
    """Given a bad file, then serve and contract --calibrated each say so in one line, naming it, and start nothing."""
    text, named, also = BAD_FILES[bad]
    path = tmp_path / "calibration.toml"
    path.write_text(text, encoding="utf-8")
    serve = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    contract = subprocess.run(
        [sys.executable, "-m", "mockserver", "contract", "-q", "--calibrated", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (serve.returncode, serve.stdout) == (2, "")
    assert serve.stderr.startswith(f"apiframe-mock: error: {path}")
    assert named in serve.stderr
    assert also in serve.stderr
    assert serve.stderr.count("\n") == 1
    assert contract.returncode == 4
    assert named in contract.stderr
    assert "Traceback" not in contract.stdout + contract.stderr
