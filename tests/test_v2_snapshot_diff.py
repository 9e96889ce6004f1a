"""`snapshot --api v2` writes a server's v2 jobs as fixtures the mock serves as those jobs; `diff --api v2` compares.

Production is the mock holding three jobs (an image, a video and a music job, each polled to its end),
or the v2 stand-in of `tests/contract/standin_v2.py` when it must differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.exits import DRIFT_EXIT, USAGE_EXIT
from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app, load_fixtures
from mockserver.cli import main

from .contract.standin_v2 import KEY, Behaviour, StandInV2

BODIES = [
    ("/v2/images/generate", "flux-1.1-pro"),
    ("/v2/videos/generate", "kling-2.1"),
    ("/v2/music/generate", "suno"),
]
SERVED = ("id", "status", "model", "progress", "result", "error", "creditCost", "createdAt", "input")


@pytest.fixture(scope="module")
def production() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield the URL of a mock holding three jobs, and each job as it reads there."""
    state = MockState.from_fixtures(api_key=DEFAULT_API_KEY)
    with ServerThread(create_app(state)) as server, httpx.Client(base_url=server.url) as client:
        client.headers["X-API-Key"] = state.keys.v2_key
        ids = [
            client.post(route, json={"model": model, "prompt": "a lighthouse"}).json()["jobId"]
            for route, model in BODIES
        ]
        reads = [client.get(f"/v2/jobs/{job_id}").json() for job_id in ids]
        while any(read["status"] not in ("COMPLETED", "FAILED") for read in reads):  # a step per poll, then steady
            reads = [client.get(f"/v2/jobs/{job_id}").json() for job_id in ids]
        yield server.url, reads


def command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main([args[0], "--api", "v2", "--api-key", DEFAULT_API_KEY, *args[1:]])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_snapshot_by_job_id_is_served_back_as_the_same_jobs(
    production: tuple[str, list[dict[str, Any]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given three job ids, then three valid fixtures, and a mock serving them reads each job as it was."""
    url, jobs = production
    unknown = "00000000-0000-4000-8000-000000000000"
    ids = ",".join([*(job["id"] for job in jobs), unknown])
    status, out = command(capsys, "snapshot", "--base-url", url, "--job-ids", ids, "--out", str(tmp_path))

    assert status == DRIFT_EXIT, out  # one id named no job: it is missing
    assert "3 jobs written" in out
    assert f"MISSING {unknown}: the server returned no job with this id" in out
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{job['model']}-{str(job['status']).lower()}-{job['id']}.json" for job in jobs
    )
    state = MockState.from_fixtures(load_fixtures(tmp_path), api_key=DEFAULT_API_KEY)
    with ServerThread(create_app(state)) as server:
        served = [
            httpx.get(f"{server.url}/v2/jobs/{job['id']}", headers={"X-API-Key": state.keys.v2_key}).json()
            for job in jobs
        ]
    assert [{name: job[name] for name in SERVED} for job in served] == [
        {name: job[name] for name in SERVED} for job in jobs
    ]


def test_a_snapshot_from_the_list_pages_writes_every_job(
    production: tuple[str, list[dict[str, Any]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given no job ids, then the newest page of GET /v2/jobs is written: one request for three jobs."""
    url, jobs = production
    status, out = command(capsys, "snapshot", "--base-url", url, "--out", str(tmp_path))

    assert status == 0, out
    assert "3 jobs written" in out
    assert "2 requests" in out  # the ground check and one page
    records = [json.loads(path.read_text()) for path in sorted(tmp_path.iterdir())]
    assert sorted(record["task_id"] for record in records) == sorted(str(job["id"]) for job in jobs)


def test_a_job_the_schemas_refuse_is_written_apart_and_is_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given jobs read without `creditCost`, then each is written with the .invalid suffix and the run exits 1."""
    stand_in = StandInV2(Behaviour(breaks="job-without-cost"))
    with ServerThread(stand_in) as server:
        ids = ",".join(stand_in.jobs)
        status, out = command(
            capsys, "snapshot", "--base-url", server.url, "--api-key", KEY, "--job-ids", ids, "--out", str(tmp_path)
        )
    assert status == DRIFT_EXIT, out
    assert len([path for path in tmp_path.iterdir() if path.name.endswith(".json.invalid")]) == 3
    assert "'creditCost' is a required property" in out


def test_diff_of_v2_jobs_finds_none_between_the_mock_and_itself(
    production: tuple[str, list[dict[str, Any]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given the mock as production, then its jobs read the same from a mock loaded with them: exit 0.

    The page's replay command is v2's too.
    """
    page = tmp_path / "diff.html"
    status, out = command(capsys, "diff", "--base-url", production[0], "--seed", "3", "--html-report", str(page))

    assert status == 0, out
    assert "no differences" in out
    assert "3 cases, 2 live requests" in out
    replay = f'<pre class="replay">apiframe-mock diff --base-url {production[0]} --api v2 --seed 3</pre>'
    assert replay in page.read_text(encoding="utf-8")


def test_diff_of_v2_jobs_tells_guesses_missed_from_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given ended jobs unlike the mock's guesses, then guesses (exit 0); given jobs without a cost, drift (exit 1)."""
    found = {}
    for name, behaviour in (
        ("guesses", Behaviour(other_guesses=True)),
        ("drift", Behaviour(breaks="job-without-cost")),
    ):
        stand_in = StandInV2(behaviour)
        report = tmp_path / f"{name}.json"
        with ServerThread(stand_in) as server:
            ids = ",".join(stand_in.jobs)
            status, _ = command(
                capsys, "diff", "--base-url", server.url, "--api-key", KEY, "--job-ids", ids, "--report", str(report)
            )
        differences = json.loads(report.read_text())["differences"]
        found[name] = (status, {(item["rule"], item["moved"]) for item in differences})
    assert found["guesses"] == (
        0,
        {(rule, "live") for rule in ("V2-EXPIRED", "V2-COMPLETED-AT", "V2-WEBHOOK-STATUS")},
    )
    assert found["drift"][0] == DRIFT_EXIT
    assert ("V2-JOB-SCHEMA", "live") in found["drift"][1]


def test_diff_of_v2_jobs_refuses_replay_in_one_line_before_it_sends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given --replay with differences to find, then one line naming --api v1 and exit 4; nothing is sent."""
    stand_in = StandInV2(Behaviour(other_guesses=True))
    with ServerThread(stand_in) as server:
        before = stand_in.requests
        replay = tmp_path / "replay.py"
        status, out = command(capsys, "diff", "--base-url", server.url, "--api-key", KEY, "--replay", str(replay))
        assert (status, stand_in.requests, replay.exists()) == (USAGE_EXIT, before, False)
    assert out == (
        "apiframe-mock: error: --replay is for --api v1: v2's differences are job fields, with no request to replay\n"
    )


@pytest.mark.parametrize("name", ["diff", "snapshot"])
@pytest.mark.parametrize(
    ("api", "flag", "says"),
    [
        ("v2", "--task-ids", "--task-ids names v1's tasks: it is for --api v1, and --api v2 would ignore it"),
        ("v1", "--job-ids", "--job-ids names v2's jobs: it is for --api v2, and --api v1 would ignore it"),
    ],
)
def test_an_ids_flag_the_api_chosen_would_ignore_is_refused_in_one_line_before_it_sends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, api: str, flag: str, says: str
) -> None:
    """Given --task-ids with --api v2, or --job-ids with v1, then one line naming the flag and its --api; exit 4."""
    stand_in = StandInV2(Behaviour())
    with ServerThread(stand_in) as server:
        before = stand_in.requests
        args = [name, "--api", api, "--base-url", server.url, "--api-key", KEY, flag, "a,b", "--out", str(tmp_path)]
        status = main(args[:-2] if name == "diff" else args)
        assert (status, stand_in.requests) == (USAGE_EXIT, before)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"apiframe-mock: error: {says}\n")
