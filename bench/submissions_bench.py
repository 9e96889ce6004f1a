"""fetch-many of 20 fixture tasks with 10,000 submitted tasks in the store, against the fixtures alone."""

from __future__ import annotations

import time

from .http_bench import check_answer, drive, ensure_wrk, fetch_many_load, medians, run_pairs, serving
from .report import record
from .serve import SUBMITTED, submitted_state

MIN_THROUGHPUT_RATIO = 0.9
WARM_UP_S = 3


def run() -> None:
    """Serve the fixtures with and without the submitted tasks and compare fetch-many's throughput."""
    wrk = ensure_wrk()
    started = time.perf_counter()
    submitted_state()
    print(f"  (for information) {SUBMITTED:,} submissions stored in {time.perf_counter() - started:.2f} s", flush=True)
    with (
        fetch_many_load() as (task_ids, body, script),
        serving("mock-submitted", task_ids) as url,
        serving("mock", task_ids) as plain_url,
    ):
        expected = check_answer(plain_url, body, None)
        check_answer(url, body, expected)
        for each in (url, plain_url):
            drive(wrk, script, each, WARM_UP_S)
        pairs = run_pairs(wrk, script, ("submitted", url), ("fixtures", plain_url))
    ratio = medians(f"with {SUBMITTED:,} submitted tasks / fixtures alone", pairs).throughput
    record(
        "submissions",
        f"throughput with {SUBMITTED:,} submitted tasks / fixtures alone",
        ratio,
        MIN_THROUGHPUT_RATIO,
        at_least=True,
    )
