"""fetch-many on a Redis store: one worker against the in-memory store, two workers against one, both by wrk."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mockserver.engine.fixtures import load_fixtures

from .http_bench import (
    IDS,
    check_answer,
    drive,
    ensure_command,
    ensure_wrk,
    fetch_many_load,
    medians,
    run_pairs,
    running,
)
from .report import record
from .serve import SERVER_CPU

MIN_REDIS_RATIO = 0.7
MIN_TWO_WORKERS_RATIO = 1.4
WARM_UP_S = 3
_URL = re.compile(r"http://127\.0\.0\.1:\d+")
_MOVING = {"by": "polls", "every": 1_000_000_000, "steps": [{"status": "processing", "percentage": "50"},
                                                            {"status": "finished"}]}  # fmt: skip


@contextmanager
def redis(binary: str) -> Iterator[str]:
    """Run a redis-server on a free loopback port, saving nothing, and yield its URL."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="apiframe-mock-redis-") as folder:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL,
        )
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)


@contextmanager
def mock(*flags: str) -> Iterator[str]:
    """Run `apiframe-mock serve` with `flags` on a free port and yield its fetch-many URL.

    One worker is pinned to the server's core, as in the HTTP bench; several may use every core.
    """
    cores = set(range(os.cpu_count() or 1)) if "--workers" in flags else {SERVER_CPU}
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", *flags]
    with running(command, cores if (os.cpu_count() or 1) > SERVER_CPU else None) as (process, first_line):
        found = _URL.search(first_line)
        if found is None:
            raise RuntimeError(f"serve {' '.join(flags)} did not start (exit code {process.wait(10)})")
        yield found.group(0) + "/fetch-many"


def compare(wrk: str, script: Path, body: bytes, first: tuple[str, str], second: tuple[str, str]) -> float:
    """Check two servers answer alike, warm them, run the pairs; print and return the throughput ratio."""
    check_answer(first[1], body, check_answer(second[1], body, None))
    for _, url in (first, second):
        drive(wrk, script, url, WARM_UP_S)
    return medians(f"{first[0]}/{second[0]}", run_pairs(wrk, script, first, second)).throughput


def moving_fixtures(folder: Path, task_ids: list[str]) -> None:
    """Write the fixtures with the first of `task_ids` on a timeline by polls that never ends."""
    for task in load_fixtures().tasks:
        document = {**task, "timeline": _MOVING} if task["task_id"] == task_ids[0] and "seed" in task else task
        (folder / f"{task['task_id']}.json").write_text(json.dumps(document), encoding="utf-8")


def run() -> None:
    """Measure fetch-many of 20 steady tasks on Redis against memory, and two workers against one."""
    wrk = ensure_wrk()
    binary = ensure_command("redis-server", "redis-server")
    with fetch_many_load() as (task_ids, body, script), redis(binary) as url:
        with mock() as memory_url, mock("--store", url, "--store-prefix", "one") as redis_url:
            ratio = compare(wrk, script, body, ("redis", redis_url), ("memory", memory_url))
        record("redis", "throughput, one worker on Redis / in memory", ratio, MIN_REDIS_RATIO, at_least=True)
        # Two workers share the server's core with wrk on a two-core machine: the figure says how much
        # a second worker gains here, bounded by the cores there are.
        with (
            mock("--store", url, "--store-prefix", "two", "--workers", "2") as two_url,
            mock("--store", url, "--store-prefix", "one") as one_url,
        ):
            two = compare(wrk, script, body, ("two workers", two_url), ("one worker", one_url))
        print(f"  (on {os.cpu_count()} cores, wrk on one of them)", flush=True)
        record("redis", "throughput, two workers on Redis / one", two, MIN_TWO_WORKERS_RATIO, at_least=True)
        polled_ids = [
            task["task_id"] for task in load_fixtures().tasks if "seed" in task and task["task_id"] not in task_ids
        ][:1]
        with tempfile.TemporaryDirectory(prefix="apiframe-mock-moving-") as folder:
            moving_fixtures(Path(folder), polled_ids + task_ids)
            moving_body = json.dumps({"task_ids": polled_ids + task_ids[: IDS - 1]}).encode()
            moving_script = Path(folder) / "moving.lua"
            moving_script.write_text(script.read_text().replace(body.decode(), moving_body.decode()))
            fixtures = ("--fixtures", folder)
            with (
                mock(*fixtures) as memory_url,
                mock(*fixtures, "--store", url, "--store-prefix", "moving") as redis_url,
            ):
                moving = compare(wrk, moving_script, moving_body, ("redis", redis_url), ("memory", memory_url))
        print(f"  (for information) with a task moving by polls in each answer, Redis/memory: {moving:.2f}", flush=True)
