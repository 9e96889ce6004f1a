"""The command line: serves with the given key and fixtures; every problem is one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, load_fixtures
from mockserver.server import bind_socket

from .processes import started

COMMAND = [sys.executable, "-m", "mockserver"]
BUNDLED = len(load_fixtures().tasks)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=30, env=env, check=False)


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """Start `serve` on a free port; yield its URL and first output line."""
    with started([*COMMAND, "serve", "--port", "0", *args], env=env) as serve:
        yield serve.url, serve.line


def test_serve_prints_the_default_key_and_answers() -> None:
    with serving() as (url, line):
        assert f"; API key '{DEFAULT_API_KEY}', the default (set --api-key" in line
        assert f"serving {BUNDLED} tasks" in line
        response = httpx.post(
            f"{url}/fetch-many", json={"task_ids": ["a", "b"]}, headers={"Authorization": DEFAULT_API_KEY}
        )
    assert (response.status_code, response.json()) == (200, {"tasks": []})


def test_a_key_from_the_environment_is_used_and_never_printed() -> None:
    env = {**os.environ, "APIFRAME_MOCK_API_KEY": "env-secret-key"}
    with serving("--auth-scheme", "bare", env=env) as (url, line):
        assert "env-secret-key" not in line
        assert "API key from $APIFRAME_MOCK_API_KEY; auth bare" in line
        body = {"task_ids": ["a", "b"]}
        assert (
            httpx.post(f"{url}/fetch-many", json=body, headers={"Authorization": "env-secret-key"}).status_code == 200
        )
        bearer = {"Authorization": "Bearer env-secret-key"}
        assert httpx.post(f"{url}/fetch-many", json=body, headers=bearer).status_code == 401


def test_the_flag_key_wins_over_the_environment(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"task_id": "only", "task_type": "seed", "status": "pending"}))
    env = {**os.environ, "APIFRAME_MOCK_API_KEY": "env-key"}
    with serving("--api-key", "flag-key", "--fixtures", str(tmp_path), env=env) as (url, line):
        assert line == (
            f"apiframe-mock: serving 1 task at {url}; API key from --api-key; auth bearer-too; Ctrl-C stops\n"
        )
        assert "flag-key" not in line
        response = httpx.post(f"{url}/fetch", json={"task_id": "only"}, headers={"Authorization": "flag-key"})
    assert response.json() == {"task_id": "only", "task_type": "seed", "status": "pending"}


def test_a_busy_port_is_one_line() -> None:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    try:
        result = run("serve", "--port", str(port))
    finally:
        sock.close()
    assert result.returncode == 2
    assert (
        result.stderr
        == f"apiframe-mock: error: port {port} on 127.0.0.1 is already in use; choose another with --port\n"
    )


def test_a_missing_fixtures_folder_is_one_line(tmp_path: Path) -> None:
    result = run("serve", "--port", "0", "--fixtures", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr == (
        f"apiframe-mock: error: {tmp_path / 'nope'}: the fixtures folder does not exist or is not a folder\n"
    )


def test_an_empty_fixtures_folder_says_so_at_start(tmp_path: Path) -> None:
    (tmp_path / "task.json.invalid").write_text("{}")
    with started([*COMMAND, "serve", "--port", "0", "--fixtures", str(tmp_path)]) as serve:
        lines = [serve.line, serve.readline()]
    assert "serving 0 tasks" in lines[0]
    assert lines[1] == (
        f"apiframe-mock: the fixtures folder {tmp_path} holds no *.json or *.jsonl task file: serving none "
        "(without --fixtures, the bundled ones)\n"
    )


def test_a_broken_fixture_stops_the_server_naming_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"task_id": "b", "task_type": "seed", "status": "finished"}))
    result = run("serve", "--port", "0", "--fixtures", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == (
        f"apiframe-mock: error: {tmp_path / 'bad.json'}: not a valid task: (top level): 'seed' is a required property\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--port", "http"], "argument --port: invalid port 'http': give a whole number from 0 to 65535"),
        (["serve", "--port", "70000"], "argument --port: invalid port '70000': give a whole number from 0 to 65535"),
        (["serve", "--auth-scheme", "basic"], "argument --auth-scheme: invalid choice: 'basic'"),
        (["serve", "--colour"], "unrecognized arguments: --colour"),
        (["launch"], "argument command: invalid choice: 'launch'"),
    ],
)
def test_a_bad_flag_is_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stderr.startswith("apiframe-mock")


def test_an_empty_key_is_refused() -> None:
    result = run("serve", "--port", "0", "--api-key", "")
    assert result.returncode == 2
    assert result.stderr == "apiframe-mock: error: the API key from --api-key is empty; give a non-empty key\n"


def test_an_unknown_host_is_one_line() -> None:
    result = run("serve", "--host", "no-such-host.invalid", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("apiframe-mock: error: cannot listen on host 'no-such-host.invalid': ")


def test_control_prints_a_generated_token_that_works() -> None:
    with started([*COMMAND, "serve", "--port", "0", "--control"]) as serve:
        token = serve.readline().rstrip("'\n").rsplit("Bearer ", 1)[1]
        health = httpx.get(f"{serve.url}/__mock__/health", headers={"Authorization": f"Bearer {token}"})
        refused = httpx.get(f"{serve.url}/__mock__/health", headers={"Authorization": DEFAULT_API_KEY})
    assert (health.status_code, health.json()) == (200, {"status": "ok", "tasks": BUNDLED})
    assert (refused.status_code, refused.json()) == (401, {})


def test_a_chosen_control_token_is_never_printed() -> None:
    env = {**os.environ, "APIFRAME_MOCK_CONTROL_TOKEN": "chosen-control-token"}
    with started([*COMMAND, "serve", "--port", "0", "--control"], env=env) as serve:
        line = serve.readline()
        health = httpx.get(f"{serve.url}/__mock__/health", headers={"Authorization": "Bearer chosen-control-token"})
    assert "chosen-control-token" not in line
    assert health.status_code == 200


def test_fault_flags_strike_the_served_routes() -> None:
    with serving("--fault", "fetch-many:error:next=1", "--seed", "5") as (url, line):
        assert "; 1 fault, seed 5; " in line
        body = {"task_ids": ["a", "b"]}
        statuses = [
            httpx.post(f"{url}/fetch-many", json=body, headers={"Authorization": DEFAULT_API_KEY}).status_code
            for _ in range(2)
        ]
    assert statuses == [500, 200]


def test_a_bad_fault_flag_is_one_line() -> None:
    result = run("serve", "--port", "0", "--fault", "fetch:explode")
    assert result.returncode == 2
    assert result.stderr.startswith("apiframe-mock: error: --fault: faults are not valid: faults[0].kind: 'explode'")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(("command", "status"), [("serve", 2), ("diff", 4), ("snapshot", 4)])
def test_every_subcommand_names_its_errors_with_the_same_prefix(command: str, status: int) -> None:
    """Given a bad flag, then one line; the checks exit 4, as `contract` (pytest) does, serve 2, as argparse does."""
    result = run(command, "--no-such-flag")
    assert result.returncode == status
    assert result.stderr.startswith("apiframe-mock: error: ")
    assert result.stderr.count("\n") == 1


def test_workers_serve_from_several_processes() -> None:
    with started([*COMMAND, "serve", "--port", "0", "--workers", "2"]) as serve:
        pace, pid = serve.readline(), serve.process.pid
        body = {"task_ids": ["a", "b"]}
        statuses = {
            httpx.post(f"{serve.url}/fetch-many", json=body, headers={"Authorization": DEFAULT_API_KEY}).status_code
            for _ in range(20)
        }
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert "2 workers" in serve.line
    # No pace is announced for submissions that every worker refuses.
    assert pace == (
        "apiframe-mock: submissions are refused: each of the 2 workers would hold its own tasks "
        "(serve them with --workers 1, or share them with --store redis://...)\n"
    )
    assert statuses == {200}
    assert len(children) == 2
    assert serve.process.returncode == 0


@pytest.mark.parametrize(
    ("args", "named"),
    [(["--control"], "--control"), (["--fault", "fetch:error"], "faults")],
)
def test_workers_refuse_state_they_cannot_share(args: list[str], named: str) -> None:
    result = run("serve", "--port", "0", "--workers", "3", *args)
    assert result.returncode == 2
    assert result.stderr == (
        f"apiframe-mock: error: --workers 3 cannot go with {named}: tasks created, poll counts and fault counters "
        "live in one process and would differ between workers; serve them with --workers 1, or share them with "
        "--store redis://...\n"
    )
