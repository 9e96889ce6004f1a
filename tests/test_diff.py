"""`apiframe-mock diff` between two local servers: a drifted one names each planted difference and nothing else."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tests.cases import explicit_cases, generated_cases, submission_refusals, valid_submissions
from contract_tests.comparison import Finding
from contract_tests.diff import moved
from contract_tests.edges import WRONG_KEYS
from contract_tests.pool import IdPool
from contract_tests.submissions import ENDPOINTS
from mockserver import Journal, ServerThread
from mockserver.cli import main
from tests.contract.wrapper import After, Reply, Seen
from tests.production import fixture_task
from tests.production import production as stand_in

CANARY = "canary-key-7f3a9c"
NAMES = ["seed-finished", "imagine-processing", "suno-finished", "upscale-1x-failed", "imagine-finished"]


def fixture_ids() -> list[str]:
    return [fixture_task(name)["task_id"] for name in NAMES]


def production(after: After, journal: Journal | None = None) -> ServerThread:
    """A server standing for production: the mock with the canary key, its answers passed through `after`."""
    return stand_in(CANARY, after, journal)


def tasks_in(seen: Seen, body: Any) -> list[Any]:
    if seen.path == "/fetch-many" and isinstance(body, dict):
        return list(body["tasks"])
    return [body] if seen.path == "/fetch" else []


def drifted(seen: Seen, reply: Reply) -> Reply:
    """Four planted differences: a 401 with a body, unknown ids as nulls, percentage a float, /fetch's seed a number."""
    body = reply.json()
    if reply.status == 401:
        return reply.with_json({"message": "Invalid API key"})
    if reply.status != 200:
        return reply
    asked = seen.json()
    if seen.path == "/fetch-many" and isinstance(asked, dict):
        by_id = {task["task_id"]: task for task in body["tasks"]}
        body = {"tasks": [by_id.get(task_id) for task_id in asked["task_ids"]]}
    for task in tasks_in(seen, body):
        if isinstance(task, dict) and isinstance(task.get("percentage"), str):
            task["percentage"] = int(task["percentage"]) + 0.5
        if seen.path == "/fetch" and isinstance(task, dict) and task.get("task_type") == "seed":
            task["seed"] = int(task["seed"])
    return reply.with_json(body)


def restless(seen: Seen, reply: Reply) -> Reply:
    """Faithful, yet never the same twice: tasks in reverse order, URLs signed anew, a timestamp per answer."""
    body = reply.json()
    if reply.status != 200 or seen.path not in ("/fetch-many", "/fetch"):
        return reply
    stamp = time.monotonic_ns()
    if seen.path == "/fetch-many":
        body["tasks"].reverse()
    for task in tasks_in(seen, body):
        task["updated_at"] = f"2026-11-29T04:00:{stamp % 60:02d}Z"
        for key, value in list(task.items()):
            if isinstance(value, str) and value.startswith("https://"):
                task[key] = f"{value}?sig={stamp}"
            elif isinstance(value, list):
                task[key] = [f"{item}?sig={stamp}" if isinstance(item, str) else item for item in value]
    return reply.with_json(body)


def run_diff(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, dict[str, Any]]:
    report = tmp_path / "report.json"
    args = ["diff", "--base-url", url, "--api-key", CANARY, "--task-ids", ",".join(fixture_ids()), "--seed", "7"]
    status = main([*args, "--report", str(report), *extra])
    return status, capsys.readouterr().out, json.loads(report.read_text())


@pytest.fixture
def drifted_url() -> Iterator[str]:
    with production(drifted) as server:
        yield server.url


def test_a_drifted_server_shows_each_planted_difference_and_nothing_else(
    drifted_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given four planted differences, when diffed, then the report names those four, each under its rule."""
    status, out, report = run_diff(drifted_url, tmp_path, capsys)

    found = {(d["rule"], d["source"], d["moved"], d["where"], d["live"], d["mock"]) for d in report["differences"]}
    assert found == {
        ("AUTH-401", "documented", "live", "message", "<string>", "(absent)"),
        (
            "IDS-UNKNOWN",
            "assumed",
            "live",
            "tasks[<entries that are not tasks>]",
            '["<null outside the schema>"]',
            "(absent)",
        ),
        ("TASK-SCHEMA", "documented", "live", "task.seed", "<integer outside the schema>", "<string>"),
        (
            "TASK-PERCENTAGE",
            "documented",
            "live",
            "task.percentage",
            "<number outside the schema>",
            "(refused by the schema)",
        ),
    }
    assert status == 1
    assert report["differ"] is True
    assert report["tasks_loaded"] == len(NAMES)
    auth = next(d for d in report["differences"] if d["rule"] == "AUTH-401")
    assert set(auth["cases"]) == {
        *(f"auth: a key refused ({label})" for label in WRONG_KEYS),
        "auth: wrong key on /fetch",
        "auth: wrong key on /account",
        "auth: wrong key, bad body",
        *(f"submit: no key on {endpoint.path}" for endpoint in ENDPOINTS.values()),
    }
    assert auth["meaning"] == "the API breaks a documented rule: the API or its docs changed"
    unknown = next(d for d in report["differences"] if d["rule"] == "IDS-UNKNOWN")
    assert (
        unknown["meaning"]
        == "the API breaks the mock's assumption: the assumption, and the mock, should follow the API"
    )
    cases = len(WRONG_KEYS) + 3 + len(ENDPOINTS)
    assert re.search(rf"^AUTH-401 +documented +live +message +<string> +\(absent\) +{cases}$", out, re.MULTILINE)
    assert "4 differences (3 on documented rules, 1 on assumed ones)" in out


def test_two_faithful_servers_whose_order_urls_and_timestamps_differ_show_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given production reversing tasks, signing URLs anew and stamping each answer, then nothing differs."""
    with production(restless) as server:
        status, out, report = run_diff(server.url, tmp_path, capsys, "--examples", "20")

    assert (status, report["differences"], report["stopped"]) == (0, [], "")
    explicit = [*explicit_cases(IdPool(tuple(fixture_ids()))), *submission_refusals()]
    valid = valid_submissions([fixture_task(name) for name in NAMES], None)
    assert report["cases_run"] == len(explicit) + len(valid) + 20
    assert "no differences: the mock answered every case as the live server did" in out


def stamped(seen: Seen, reply: Reply) -> Reply:
    """Faithful, adding what the contract allows: fields on the fetch-many envelope and an undocumented task field."""
    body = reply.json()
    if reply.status != 200 or seen.path not in ("/fetch-many", "/fetch"):
        return reply
    if seen.path == "/fetch-many":
        body.update(served_at="2026-11-29T04:00:00Z", request_id="req-1")
    for task in tasks_in(seen, body):
        task["model"] = "v7"
    return reply.with_json(body)


def test_differences_on_which_both_sides_keep_the_contract_are_listed_apart_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given production adding fields the contract allows, then they are listed apart as no drift, unless --strict."""
    with production(stamped) as server:
        status, out, report = run_diff(server.url, tmp_path, capsys)
        strict, _, _ = run_diff(server.url, tmp_path, capsys, "--strict")

    assert (status, strict, report["differ"], report["complete"]) == (0, 1, False, True)
    assert report["differences"]
    assert {difference["moved"] for difference in report["differences"]} == {"live (within the contract)"}
    assert "within the contract, for whoever maintains the mock (not drift; --strict counts them): " in out
    assert out.splitlines()[-2] == (
        "no differences: the mock answered every case as the live server did, within the contract"
    )


def test_a_run_that_cannot_fit_its_budget_says_so_before_any_case_and_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a faithful server and --max-requests 20, then one line says what the run needs, and no case is sent."""
    journal = Journal()
    with production(restless, journal=journal) as server:
        args = ["diff", "--base-url", server.url, "--api-key", CANARY, "--task-ids", ",".join(fixture_ids())]
        status = main([*args, "--max-requests", "20", "--seed", "7"])

    err = capsys.readouterr().err
    assert status == 4
    assert re.fullmatch(
        r"apiframe-mock: error: this run needs (\d+) requests \(\d+ planned, 6 kept for retries\) and --max-requests "
        r"is 20: raise --max-requests to \1, or send fewer \(--examples\)\n",
        err,
    ), err
    # The ground check and the tasks' loading only: GET /account, then one fetch-many.
    assert [entry.path for entry in journal.entries()] == ["/account", "/fetch-many"]


def test_each_difference_replays_against_the_mock_alone_as_a_failing_pytest_test(
    drifted_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], pytester: pytest.Pytester
) -> None:
    """Given a drifted run with --replay, then its tests fail on the mock, one per difference, naming the rule."""
    replay = tmp_path / "test_replay.py"
    run_diff(drifted_url, tmp_path, capsys, "--replay", str(replay))

    source = replay.read_text()
    assert CANARY not in source
    pytester.makepyfile(test_replay=source)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(["*AUTH-401 (documented), live moved at message*"])


def test_the_key_is_in_no_output_of_a_budgeted_run(
    drifted_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given --max-requests 150, then the run fits, sends every case, and the key is nowhere in its output."""
    status, out, report = run_diff(drifted_url, tmp_path, capsys, "--max-requests", "150")

    assert (report["complete"], report["cases_left"], status) == (True, [], 1)
    assert report["live_requests"] <= 150
    assert CANARY not in out + (tmp_path / "report.json").read_text()


def test_generated_cases_follow_the_seed() -> None:
    """Given the same seed twice, then the same cases; a different seed gives others."""
    pool = IdPool(tuple(fixture_ids()))

    first, again, other = (generated_cases(pool, 8, seed) for seed in (3, 3, 4))

    assert [case.request for case in first] == [case.request for case in again]
    assert [case.request for case in first] != [case.request for case in other]
    assert len(first) == 8


def test_a_server_that_cannot_be_reached_or_no_url_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Given no base URL, then exit 4 (usage) with one line naming the flag."""
    assert main(["diff", "--api-key", CANARY]) == 4
    assert (
        capsys.readouterr().err
        == "apiframe-mock: error: no server to compare with: give --base-url or set $APIFRAME_BASE_URL\n"
    )


def test_a_difference_the_contract_allows_is_put_on_the_live_side_within_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given 400 items carrying express-validator's `location`, then one difference both sides keep the rule in."""

    def located(seen: Seen, reply: Reply) -> Reply:
        body = reply.json()
        if reply.status != 400:
            return reply
        return reply.with_json({"errors": [{**item, "location": "body"} for item in body["errors"]]})

    with production(located) as server:
        status, _, report = run_diff(server.url, tmp_path, capsys)

    [difference] = report["differences"]
    assert (difference["rule"], difference["moved"], difference["where"]) == (
        "ERROR-SHAPE",
        "live (within the contract)",
        "errors.0.location",
    )
    assert (difference["live"], difference["mock"], status) == ("<string>", "(absent)", 0)
    assert (
        difference["meaning"] == "both keep the rule: the API does something the contract allows and the mock does not"
    )


def test_the_side_that_breaks_the_rule_is_the_side_that_moved() -> None:
    """Given each combination of breaches, then the side named is the one that breaks the rule."""
    sides = {
        (live, mock): moved(Finding("body", "x", "a", "b", "OK-SHAPE", live, mock))
        for live in (None, "bad")
        for mock in (None, "bad")
    }

    assert sides == {
        (None, None): "live (within the contract)",
        ("bad", None): "live",
        (None, "bad"): "mock",
        ("bad", "bad"): "both",
    }


def test_without_known_ids_the_cases_that_need_none_still_run(capsys: pytest.CaptureFixture[str]) -> None:
    """Given no --task-ids, then the run says what it skipped and finds nothing on a faithful server."""
    with production(restless) as server:
        status = main(["diff", "--base-url", server.url, "--api-key", CANARY, "--task-ids", "", "--seed", "1"])
    out = capsys.readouterr().out

    assert status == 0
    assert "against a local mock holding its 0 tasks" in out
    assert (
        "no known tasks (give --task-ids or set $APIFRAME_TASK_IDS): the cases about known tasks were not sent" in out
    )
    assert "no differences" in out
