"""The pytest plugin's costs: the session server's start time (target 0.5 s) and the per-test reset (1 ms)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mockserver.testing.handle import ApiframeMock
from mockserver.testing.options import MockOptions
from mockserver.testing.server import MockServer

from .report import record

MAX_START_S = 0.5
MAX_RESET_MS = 1.0
STARTS = 5
RESETS = 20_000
_ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process each time, after pytest and the plugin are loaded, so that the figure is what
# the first test using the fixture waits: the package imported, fixtures read, app built, uvicorn up.
_START_PROBE = """
import json, time
import pytest, mockserver.plugin
started = time.perf_counter()
from mockserver.testing.server import MockServer
server = MockServer.start()
took = time.perf_counter() - started
server.stop()
print(json.dumps(took))
"""


# What every pytest run of a project with apiframe-mock installed pays, whether it uses the mock or not.
_LOAD_PROBE = """
import json, time
import pytest
started = time.perf_counter()
import mockserver.plugin
print(json.dumps(time.perf_counter() - started))
"""


def probe_seconds(probe: str) -> float:
    """Run `probe` in a fresh interpreter and return the seconds it prints."""
    done = subprocess.run([sys.executable, "-c", probe], cwd=_ROOT, capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout))


def start_seconds() -> float:
    """Return the median start time of the session server over `STARTS` fresh processes."""
    samples = [probe_seconds(_START_PROBE) for _ in range(STARTS)]
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
    """Measure and check both figures; show what loading the plugin costs."""
    loads = [probe_seconds(_LOAD_PROBE) for _ in range(STARTS)]
    print(f"  (for information) loading the plugin: {statistics.median(loads) * 1000:.1f} ms, median of {STARTS}")
    record("plugin", "session server start", start_seconds(), MAX_START_S, at_least=False, unit=" s")
    record("plugin", "per-test reset", reset_milliseconds(), MAX_RESET_MS, at_least=False, unit=" ms")
