"""fetch-many with 20 ids at 64 connections: the mock against a bare Starlette route, both driven by wrk."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mockserver.engine.fixtures import load_fixtures
from mockserver.state import DEFAULT_API_KEY

from .report import Skipped, record
from .serve import SERVER_CPU

IDS = 20
CONNECTIONS = 64
WARM_UP_S = 3
# This machine's speed wanders by a third from second to second (a shared VM). Many short rounds,
# taken in pairs whose order alternates, and the median of the pairs' ratios, let that wandering fall
# on both servers alike and keep one slow second from deciding the verdict.
PAIRS = int(os.environ.get("BENCH_PAIRS", "10"))
ROUND_S = int(os.environ.get("BENCH_ROUND_SECONDS", "3"))
MIN_THROUGHPUT_RATIO = 0.9
MAX_P99_RATIO = 1.25
_ROOT = Path(__file__).resolve().parent.parent
_WRK_CPU = 0

_SCRIPT = """\
wrk.method = "POST"
wrk.body = [==[{body}]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "{key}"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %.0f %.0f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Run:
    """What one wrk run measured."""

    rps: float
    p50_ms: float
    p99_ms: float


def ensure_command(command: str, package: str) -> str:
    """Return the path of `command`, installing Debian's `package` first if it is missing; or raise Skipped."""
    found = shutil.which(command)
    if found:
        return found
    print(f"  {command} is missing: installing Debian's package (apt-get install -y {package})", flush=True)
    install = ["apt-get", "install", "-y", "-q", package]
    # Installing first spares the update when the package lists are fresh enough.
    for step in (install, ["apt-get", "update", "-q"], install):
        try:
            subprocess.run(step, check=False, capture_output=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Skipped(
                f"{command} is not installed and apt-get could not install it ({exc}); install {package}"
            ) from None
    found = shutil.which(command)
    if not found:
        raise Skipped(f"{command} is not installed and apt-get could not install it; install {package} (as root)")
    return found


def ensure_wrk() -> str:
    """Return the path of wrk, installing it if it is missing; or raise Skipped."""
    return ensure_command("wrk", "wrk")


@contextmanager
def serving(kind: str, task_ids: list[str]) -> Iterator[str]:
    """Run ``bench.serve`` `kind` in a subprocess and yield its fetch-many URL; stop it afterwards."""
    with serving_process(kind, task_ids) as (url, _):
        yield url


@contextmanager
def serving_process(kind: str, task_ids: list[str]) -> Iterator[tuple[str, int]]:
    """Run ``bench.serve`` `kind` in a subprocess and yield its fetch-many URL and process id."""
    with running([sys.executable, "-m", f"{__package__}.serve", kind, *task_ids]) as (process, first_line):
        port = first_line.strip()
        if not port.isdigit():
            raise RuntimeError(f"the {kind} server did not start (exit code {process.wait(10)})")
        yield f"http://127.0.0.1:{port}/fetch-many", process.pid


@contextmanager
def running(command: list[str], cores: set[int] | None = None) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run a server `command` from the checkout (on `cores`, if given); yield it and its first line, then stop it."""
    process = subprocess.Popen(
        command,
        cwd=_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores is not None else None,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(url: str, body: bytes) -> tuple[int, str, bytes]:
    """POST `body` to `url` with the key, waiting for the server to accept; return status, type and body."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Authorization": DEFAULT_API_KEY, "Content-Type": "application/json"}
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, answer.headers.get("content-type", ""), answer.read()
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def drive(wrk: str, script: Path, url: str, seconds: int) -> Run:
    """Run wrk against `url` for `seconds` with one thread and 64 connections; return what it measured."""
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if (os.cpu_count() or 1) > SERVER_CPU:
        os.sched_setaffinity(process.pid, {_WRK_CPU})
    output, _ = process.communicate(timeout=seconds + 30)
    lines = [line.split() for line in output.splitlines() if line.startswith("WRK_RESULT")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed (exit code {process.returncode}):\n{output}")
    requests, duration_us, p50_us, p99_us, errors = (float(part) for part in lines[0][1:])
    if errors:
        raise RuntimeError(f"wrk saw {errors:.0f} failed requests or non-2xx answers against {url}:\n{output}")
    return Run(rps=requests / (duration_us / 1e6), p50_ms=p50_us / 1000, p99_ms=p99_us / 1000)


@dataclass(frozen=True, slots=True)
class Pair:
    """One round of each server, back to back: their throughput and p99 ratios (first over second)."""

    throughput: float
    p99: float


def run_pairs(wrk: str, script: Path, first: tuple[str, str], second: tuple[str, str]) -> list[Pair]:
    """Run `PAIRS` pairs of rounds against two (name, url) servers, alternating which goes first."""
    pairs = []
    for number in range(1, PAIRS + 1):
        order = (first, second) if number % 2 else (second, first)
        runs = {name: drive(wrk, script, url, ROUND_S) for name, url in order}
        a, b = runs[first[0]], runs[second[0]]
        pairs.append(Pair(throughput=a.rps / b.rps, p99=a.p99_ms / b.p99_ms))
        for name, _ in order:
            show(f"pair {number} {name}", runs[name])
    return pairs


def spread(values: list[float]) -> str:
    """Describe `values` as ``median (min-max)``."""
    return f"{statistics.median(values):.3f} ({min(values):.2f}-{max(values):.2f})"


def medians(heading: str, pairs: list[Pair]) -> Pair:
    """Print the pairs' ratios, median (range), under `heading`; return the medians."""
    throughputs, p99s = [pair.throughput for pair in pairs], [pair.p99 for pair in pairs]
    print(f"  {heading}, over {len(pairs)} pairs, median (range):", flush=True)
    print(f"    throughput {spread(throughputs)}", flush=True)
    print(f"    p99        {spread(p99s)}", flush=True)
    return Pair(throughput=statistics.median(throughputs), p99=statistics.median(p99s))


def show(label: str, run: Run) -> None:
    """Print one run's figures on a line."""
    print(f"  {label:<16} {run.rps:>8.0f} req/s   p50 {run.p50_ms:6.2f} ms   p99 {run.p99_ms:6.2f} ms", flush=True)


def check_answer(url: str, body: bytes, expected: bytes | None) -> bytes:
    """Check that `url` answers 200 JSON with 20 tasks (and `expected` bytes, if given); return the body."""
    status, content_type, answer = fetch(url, body)
    tasks = json.loads(answer).get("tasks", []) if status == 200 else []
    if status != 200 or content_type != "application/json" or len(tasks) != IDS:
        raise RuntimeError(f"{url} answered {status} {content_type} with {len(tasks)} tasks, not 200 with {IDS}")
    if expected is not None and answer != expected:
        raise RuntimeError(f"{url} answered other bytes than the mock")
    return answer


@contextmanager
def fetch_many_load() -> Iterator[tuple[list[str], bytes, Path]]:
    """Yield the 20 steady fixture ids a poller asks for, their fetch-many body, and a wrk script sending it."""
    timelines = load_fixtures().timelines
    task_ids = [task["task_id"] for task in load_fixtures().tasks if task["task_id"] not in timelines][:IDS]
    body = json.dumps({"task_ids": task_ids}).encode()
    with tempfile.TemporaryDirectory(prefix="apiframe-mock-bench-") as tmp:
        script = Path(tmp) / "fetch-many.lua"
        script.write_text(_SCRIPT.format(body=body.decode(), key=DEFAULT_API_KEY), encoding="utf-8")
        yield task_ids, body, script


def run() -> None:
    """Measure the mock and the bare route in alternating pairs of rounds and check the two ratios."""
    wrk = ensure_wrk()
    with fetch_many_load() as (task_ids, body, script):
        mock = medians("mock/bare", against_bare(wrk, script, body, task_ids, "mock"))
        record("http", "throughput mock/bare", mock.throughput, MIN_THROUGHPUT_RATIO, at_least=True)
        record("http", "p99 latency mock/bare", mock.p99, MAX_P99_RATIO, at_least=False)
        # A journal sends fetch-many through Starlette's middleware stack, which `serve` skips for it.
        journalled = against_bare(wrk, script, body, task_ids, "mock-journalled")
        medians("(for information) with a journal, as the plugin runs it, mock/bare", journalled)
        compare_h11(wrk, script, body, task_ids)


def against_bare(wrk: str, script: Path, body: bytes, task_ids: list[str], kind: str) -> list[Pair]:
    """Serve `kind` and the bare route, check they answer the same bytes, warm both up, and run the pairs."""
    with serving(kind, task_ids) as url, serving("bare", task_ids) as bare_url:
        expected = check_answer(url, body, None)
        check_answer(bare_url, body, expected)
        print(f"  {kind} and bare answer 200 with the same {len(expected)} bytes ({IDS} tasks); warming up")
        for each in (url, bare_url):
            drive(wrk, script, each, WARM_UP_S)
        return run_pairs(wrk, script, (kind, url), ("bare", bare_url))


def compare_h11(wrk: str, script: Path, body: bytes, task_ids: list[str]) -> None:
    """Show, for information, how much httptools gains over uvicorn's h11 protocol (three pairs)."""
    with serving("mock", task_ids) as mock_url, serving("mock-h11", task_ids) as h11_url:
        check_answer(h11_url, body, None)
        drive(wrk, script, h11_url, WARM_UP_S)
        ratios = []
        for _ in range(3):
            httptools, h11 = drive(wrk, script, mock_url, ROUND_S), drive(wrk, script, h11_url, ROUND_S)
            show("mock on h11", h11)
            ratios.append(httptools.rps / h11.rps)
    print(f"  (for information) httptools serves {statistics.median(ratios):.2f}x the throughput of h11", flush=True)
