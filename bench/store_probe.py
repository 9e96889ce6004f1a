"""Measure, in a fresh process, the time and memory of loading a fixtures folder into a mock's state.

Run as ``python -m bench.store_probe FOLDER``; prints one JSON object of figures.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

from mockserver.engine.fixtures import load_fixtures
from mockserver.schemas import bundled_schemas
from mockserver.state import MockState


def rss_bytes() -> int:
    """Return this process's resident set size now, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def peak_rss_bytes() -> int:
    """Return this process's peak resident set size so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(folder: Path) -> dict[str, float]:
    """Load `folder` into a MockState and return the seconds taken and the memory it grew by."""
    # The schemas are loaded once per process whatever the store's size, so they are not the store's cost.
    bundled_schemas()
    gc.collect()
    rss_before, peak_before = rss_bytes(), peak_rss_bytes()
    started = time.perf_counter()
    fixtures = load_fixtures(folder)
    loaded = time.perf_counter()
    state = MockState.from_fixtures(fixtures)
    built = time.perf_counter()
    gc.collect()
    return {
        "tasks": len(state.store.tasks),
        "load_s": loaded - started,
        "build_s": built - loaded,
        "total_s": built - started,
        "rss_growth_mb": (rss_bytes() - rss_before) / 2**20,
        "peak_growth_mb": (peak_rss_bytes() - peak_before) / 2**20,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
