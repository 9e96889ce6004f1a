"""`apiframe-mock proxy` in front of the mock: the latency it adds on loopback, and its throughput against the mock's.

Latency is taken one request at a time on one kept-alive connection (so it is the proxy's own cost, not
a queue's): the added median and p99 are the proxy's figures less the mock's alone. Throughput is wrk's,
at 64 connections, in alternating pairs of rounds as the HTTP bench takes them.
"""

from __future__ import annotations

import http.client
import re
import statistics
import sys
import time
from urllib.parse import urlsplit

from mockserver.state import DEFAULT_API_KEY

from .http_bench import check_answer, ensure_wrk, fetch_many_load, medians, run_pairs, running, serving
from .report import record

MAX_ADDED_MEDIAN_MS = 2.0
MIN_THROUGHPUT_RATIO = 0.5
SEQUENTIAL = 2000
"""Requests sent one after another to take each server's latency."""


def latencies(url: str, body: bytes) -> list[float]:
    """Return the time, in ms, of each of `SEQUENTIAL` fetch-many requests sent one at a time on one connection."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    headers = {"Authorization": DEFAULT_API_KEY, "Content-Type": "application/json"}
    taken = []
    for _ in range(SEQUENTIAL):
        started = time.perf_counter()
        connection.request("POST", parts.path, body, headers)
        answer = connection.getresponse()
        answer.read()
        taken.append((time.perf_counter() - started) * 1000)
        if answer.status != 200:
            raise RuntimeError(f"{url} answered {answer.status} during the latency run")
    connection.close()
    return taken


def p99(values: list[float]) -> float:
    """Return the 99th percentile of `values`."""
    return statistics.quantiles(values, n=100)[98]


def run() -> None:
    """Measure the mock alone and through the proxy: added latency (median, p99) and the throughput ratio."""
    wrk = ensure_wrk()
    with fetch_many_load() as (task_ids, body, script), serving("mock", task_ids) as mock_url:
        upstream = mock_url.removesuffix("/fetch-many")
        command = [
            sys.executable,
            "-m",
            "mockserver",
            "proxy",
            "--upstream",
            upstream,
            "--port",
            "0",
            "--quiet-headers",
        ]
        with running(command) as (_, first_line):
            found = re.search(r"http://127\.0\.0\.1:\d+", first_line)
            if found is None:
                raise RuntimeError(f"the proxy did not start: {first_line!r}")
            proxy_url = found.group(0) + "/fetch-many"
            expected = check_answer(mock_url, body, None)
            check_answer(proxy_url, body, expected)
            alone, through = latencies(mock_url, body), latencies(proxy_url, body)
            added = statistics.median(through) - statistics.median(alone)
            print(f"  latency alone: median {statistics.median(alone):.3f} ms, p99 {p99(alone):.3f} ms", flush=True)
            print(f"  through proxy: median {statistics.median(through):.3f} ms, p99 {p99(through):.3f} ms", flush=True)
            record("proxy", "added median latency", added, MAX_ADDED_MEDIAN_MS, at_least=False, unit=" ms")
            print(f"  (for information) added p99 latency: {p99(through) - p99(alone):.3f} ms", flush=True)
            ratio = medians("proxy/mock", run_pairs(wrk, script, ("proxy", proxy_url), ("mock", mock_url)))
            record("proxy", "throughput proxy/mock", ratio.throughput, MIN_THROUGHPUT_RATIO, at_least=True)
