"""The pytest plugin's costs: the session server's start time (target 0.5 s) and the per-test reset (1 ms)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mockserver.session import ApiframeMock, MockOptions, MockServer

from .report import record

MAX_START_S = 0.5
MAX_RESET_MS = 1.0
STARTS = 5
RESETS = 20_000
_ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process each time, after the imports the plugin's loading has already paid for, so
# that the figure is what the first test using the fixture waits: fixtures read, app built, uvicorn up.
_START_PROBE = """
import json, time
from mockserver.session import MockServer
started = time.perf_counter()
server = MockServer.start()
took = time.perf_counter() - started
server.stop()
print(json.dumps(took))
"""


def start_seconds() -> float:
    """Return the median start time of the session server over `STARTS` fresh processes."""
    samples = []
    for _ in range(STARTS):
        probe = subprocess.run(
            [sys.executable, "-c", _START_PROBE], cwd=_ROOT, capture_output=True, text=True, check=True
        )
        samples.append(float(json.loads(probe.stdout)))
    print(f"  start samples: {', '.join(f'{sample * 1000:.0f} ms' for sample in samples)}")
    return statistics.median(samples)


def reset_milliseconds() -> float:
    """Return the mean cost of what the fixture does per test: check the options, reset, build the handle."""
    server = MockServer.start()
    try:
        mock = ApiframeMock(server, MockOptions())
        for _ in range(10):
            mock.add_task()
        started = time.perf_counter()
        for _ in range(RESETS):
            options = MockOptions.parse({}, _ROOT)
            server.reset(options)
            ApiframeMock(server, options)
        return (time.perf_counter() - started) / RESETS * 1000
    finally:
        server.stop()


def run() -> None:
    """Measure and check both figures."""
    record("plugin", "session server start", start_seconds(), MAX_START_S, at_least=False, unit=" s")
    record("plugin", "per-test reset", reset_milliseconds(), MAX_RESET_MS, at_least=False, unit=" ms")
