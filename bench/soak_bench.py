"""Sustained load: 64 connections for 60 s against fetch-many with 20 ids, with no error and flat memory."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

from mockserver import DEFAULT_API_KEY, load_fixtures

from .http_bench import _SCRIPT, IDS, check_answer, drive, ensure_wrk, serving, serving_process, show
from .report import record

SOAK_S = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))
WARM_UP_S = 10
BARE_S = 20
SAMPLE_EVERY_S = 5
MAX_GROWTH = 0.05


def rss_bytes(pid: int) -> int:
    """Return the resident memory of process `pid`, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def sample(pid: int, stop: threading.Event, into: list[int]) -> None:
    """Append the RSS of `pid` to `into` every `SAMPLE_EVERY_S` seconds until `stop` is set."""
    while not stop.wait(SAMPLE_EVERY_S):
        into.append(rss_bytes(pid))


def run() -> None:
    """Soak the mock, then measure the bare route for the ratio, and check errors and memory."""
    wrk = ensure_wrk()
    task_ids = [task["task_id"] for task in load_fixtures().tasks][:IDS]
    body = json.dumps({"task_ids": task_ids}).encode()
    with tempfile.TemporaryDirectory(prefix="apiframe-mock-soak-") as tmp:
        script = Path(tmp) / "fetch-many.lua"
        script.write_text(_SCRIPT.format(body=body.decode(), key=DEFAULT_API_KEY), encoding="utf-8")
        with serving_process("mock", task_ids) as (url, pid):
            check_answer(url, body, None)
            drive(wrk, script, url, WARM_UP_S)
            samples = [rss_bytes(pid)]
            stop = threading.Event()
            sampler = threading.Thread(target=sample, args=(pid, stop, samples), daemon=True)
            sampler.start()
            started = time.monotonic()
            # drive() raises if wrk saw a single socket error, timeout or non-2xx answer.
            mock = drive(wrk, script, url, SOAK_S)
            stop.set()
            sampler.join()
            samples.append(rss_bytes(pid))
            check_answer(url, body, None)
            print(f"  soaked {time.monotonic() - started:.0f} s with 0 errors", flush=True)
        with serving("bare", task_ids) as bare_url:
            check_answer(bare_url, body, None)
            drive(wrk, script, bare_url, WARM_UP_S)
            bare = drive(wrk, script, bare_url, BARE_S)
    show("soak mock", mock)
    show("bare", bare)
    mib = [value / 2**20 for value in samples]
    print(f"  memory after warm-up {mib[0]:.1f} MiB, at the end {mib[-1]:.1f} MiB, peak {max(mib):.1f} MiB", flush=True)
    print(f"  throughput {mock.rps / bare.rps:.2f} of the bare route's; p99 {mock.p99_ms / bare.p99_ms:.2f} of it")
    record("soak", "memory growth after warm-up", samples[-1] / samples[0] - 1, MAX_GROWTH, at_least=False)
