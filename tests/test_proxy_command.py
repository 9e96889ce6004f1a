"""`apiframe-mock proxy` as a command: it serves until SIGINT or SIGTERM, then reports as `contract` does.

Exit statuses are contract's: 0 nothing found, 1 drift, 7 only flakes; a bad flag is one line and 4.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, ServerThread, load_fixtures

from .processes import started
from .proxy_upstream import Production

COMMAND = [sys.executable, "-m", "mockserver", "proxy"]
IDS = [task["task_id"] for task in load_fixtures().tasks][:3]
KEY = {"Authorization": DEFAULT_API_KEY}


@pytest.fixture(scope="module")
def production() -> Iterator[tuple[Production, str]]:
    stand_in = Production()
    with ServerThread(stand_in) as server:
        yield stand_in, server.url


@contextmanager
def proxying(upstream: str, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start the proxy on a free port in front of `upstream`; yield its URL and the process."""
    with started([*COMMAND, "--upstream", upstream, "--port", "0", *args], kill=True) as proxy:
        dashboard = proxy.readline()
        assert re.fullmatch(
            rf"apiframe-mock proxy: dashboard at {proxy.url}/__mock__/ui, journal /__mock__/journal "
            r"with 'Authorization: Bearer [\w-]{32}'\n",
            dashboard,
        ), dashboard
        yield proxy.url, proxy.process


def stop(process: subprocess.Popen[str], how: signal.Signals) -> tuple[int, str, str]:
    process.send_signal(how)
    out, err = process.communicate(timeout=20)
    return process.returncode, out, err


def test_sigint_writes_every_report_and_exits_0_on_faithful_traffic(
    production: tuple[Production, str], tmp_path: Path
) -> None:
    reports = ["--summary", "s.md", "--json-report", "r.json", "--html-report", "r.html", "--junitxml", "j.xml"]
    flags = [str(tmp_path / item) if index % 2 else item for index, item in enumerate(reports)]
    recordings = ["--record", str(tmp_path / "traffic.ndjson"), "--har", str(tmp_path / "traffic.har")]
    with proxying(production[1], *flags, *recordings) as (url, process):
        assert httpx.post(url + "/fetch-many", headers=KEY, json={"task_ids": IDS}).status_code == 200
        assert httpx.get(url + "/account", headers=KEY).status_code == 200
        status, out, err = stop(process, signal.SIGINT)
    assert (status, err) == (0, "")
    assert (
        out.splitlines()[0]
        == "0 rules drifted; exchanges 2, flakes 0, app problems 0, not covered 0, too long to judge 0, "
        "encoded past reading 0; exit status 0"
    )
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (report["drift"], report["exchanges"], report["flakes"], report["app_problems"]) == (False, 2, [], [])
    assert report["not_covered"] == {}
    held = {rule["id"] for rule in report["rules"] if rule["state"] == "held"}
    assert {"OK-SHAPE", "ACCOUNT", "TASK-FORWARD", "TASK-SCHEMA"} <= held
    assert "## apiframe-mock proxy: " in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert '<testcase classname="proxy" name="ACCOUNT"' in (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")
    har = json.loads((tmp_path / "traffic.har").read_text(encoding="utf-8"))["log"]
    assert [(entry["request"]["method"], entry["response"]["status"]) for entry in har["entries"]] == [
        ("POST", 200),
        ("GET", 200),
    ]
    assert har["entries"][1]["request"]["url"] == production[1] + "/account"
    for name in ("s.md", "r.json", "r.html", "j.xml", "traffic.ndjson", "traffic.har"):
        assert DEFAULT_API_KEY not in (tmp_path / name).read_text(encoding="utf-8"), name
    assert len((tmp_path / "traffic.ndjson").read_text(encoding="utf-8").splitlines()) == 2


def test_sigterm_after_drift_exits_1_naming_the_rule_with_its_curl(production: tuple[Production, str]) -> None:
    production[0].drift = "ACCOUNT"
    try:
        with proxying(production[1]) as (url, process):
            assert httpx.get(url + "/account", headers=KEY).headers["x-apiframe-mock-drift"] == "ACCOUNT"
            status, out, _ = stop(process, signal.SIGTERM)
    finally:
        production[0].drift = None
    assert status == 1
    assert out.splitlines() == [
        "DRIFTED ACCOUNT (documented): GET /account gets 200 with `email`, `credits`, `plan` and `total_images` "
        "(1 answer broke it)",
        "  the account: (top level): 'credits' is a required property",
        f"  request: curl -sS -i -X GET {production[1]}/account -H 'accept: */*' -H 'accept-encoding: gzip, deflate' "
        f"-H 'user-agent: python-httpx/{httpx.__version__}' -H \"authorization: ${{APIFRAME_API_KEY}}\"",
        "1 rule drifted; exchanges 1, flakes 0, app problems 0, not covered 0, too long to judge 0, "
        "encoded past reading 0; exit status 1",
    ]


def test_only_flakes_exit_7(production: tuple[Production, str]) -> None:
    production[0].strikes = [503]
    with proxying(production[1]) as (url, process):
        assert httpx.get(url + "/account", headers=KEY).status_code == 503
        assert httpx.get(url + "/account", headers=KEY).status_code == 200
        status, out, _ = stop(process, signal.SIGINT)
    assert status == 7
    assert "flaky, not drift: the upstream answered 503 once" in out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--upstream", "ftp://example.com"], "--upstream 'ftp://example.com' is not an http:// or https:// URL"),
        (["--upstream", "api.apiframe.pro"], "--upstream 'api.apiframe.pro' is not an http:// or https:// URL"),
        (["--upstream", "http://127.0.0.1:99999"], "--upstream 'http://127.0.0.1:99999' has no valid port: give one"),
        (["--upstream", "https://me:s3cret@example.com"], "--upstream names a user or password: give the URL without"),
        (["--upstream", "http://127.0.0.1:9", "--port", "99999"], "argument --port: invalid port '99999': give a"),
        (["--upstream", "http://127.0.0.1:9", "--port", "0", "--har", "/proc/none/x.har"], "cannot write --har "),
        (
            ["--upstream", "http://127.0.0.1:9", "--control-token", ""],
            "the control token from --control-token is empty; give a non-empty token\n",
        ),
    ],
)
def test_a_bad_flag_is_one_line_and_exit_4(flags: list[str], message: str) -> None:
    done = subprocess.run([*COMMAND, *flags], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 4
    assert done.stderr.startswith(f"apiframe-mock: error: {message}")
    assert done.stderr.count("\n") == 1


def test_a_signal_while_the_reports_are_written_does_not_cut_them_short(
    production: tuple[Production, str], tmp_path: Path
) -> None:
    # Each report is a FIFO: the proxy stays in the report phase until the test reads each one.
    summary, report = tmp_path / "s.md", tmp_path / "r.json"
    for fifo in (summary, report):
        os.mkfifo(fifo)
    with proxying(production[1], "--summary", str(summary), "--json-report", str(report)) as (url, process):
        assert httpx.get(url + "/account", headers=KEY).status_code == 200
        process.send_signal(signal.SIGINT)
        with summary.open(encoding="utf-8") as reading:  # returns once the proxy writes its first report
            process.send_signal(signal.SIGINT)
            process.send_signal(signal.SIGTERM)
            written = reading.read()
        second = read_fifo(report)
        out, err = process.communicate(timeout=20)
    assert (process.returncode, err) == (0, "")
    assert "## apiframe-mock proxy: " in written
    assert (json.loads(second)["drift"], json.loads(second)["exchanges"]) == (False, 1)
    assert out.splitlines()[-1] == f"report written to {report}"


def read_fifo(fifo: Path) -> str:
    """Read what is written to `fifo`; fail, rather than wait for ever, if no one writes it within 20 s."""
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    reader.join(20)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # an empty write end lets the reader go
        reader.join(5)
        pytest.fail(f"nothing was written to {fifo.name} within 20 s")
    return read[0]
