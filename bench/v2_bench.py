"""GET /v2/jobs/{id} of a steady job against v1's POST /fetch of a steady task, on one mock, both driven by wrk."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from mockserver.state import DEFAULT_API_KEY

from .http_bench import PAIRS, ROUND_S, WARM_UP_S, Pair, drive, ensure_wrk, medians, serving_process, show
from .report import record
from .serve import STEADY_JOB

MIN_THROUGHPUT_RATIO = 1.0
"""v2's job read must serve at least what v1's /fetch does."""
_RESULT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %.0f %.0f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""
_V2 = f'wrk.method = "GET"\nwrk.headers["X-API-Key"] = "afk_{DEFAULT_API_KEY}"\n' + _RESULT


def _fetch(task_id: str) -> str:
    body = json.dumps({"task_id": task_id})
    return (
        f'wrk.method = "POST"\nwrk.body = [==[{body}]==]\nwrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "{DEFAULT_API_KEY}"\n' + _RESULT
    )


def run() -> None:
    """Serve a steady job beside the fixtures and compare its v2 read with v1's /fetch of a steady task."""
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="apiframe-mock-bench-") as tmp, serving_process("mock-v2", []) as (url, _):
        base = url.removesuffix("/fetch-many")
        v2_script, v1_script = Path(tmp) / "v2.lua", Path(tmp) / "fetch.lua"
        v2_script.write_text(_V2, encoding="utf-8")
        v1_script.write_text(_fetch(STEADY_JOB), encoding="utf-8")
        targets = {"v2 job": (v2_script, f"{base}/v2/jobs/{STEADY_JOB}"), "v1 fetch": (v1_script, f"{base}/fetch")}
        for script, target in targets.values():
            drive(wrk, script, target, WARM_UP_S)
        pairs = []
        for number in range(1, PAIRS + 1):
            order = list(targets) if number % 2 else list(reversed(targets))
            runs = {name: drive(wrk, *targets[name], ROUND_S) for name in order}
            for name in order:
                show(f"pair {number} {name}", runs[name])
            v2, v1 = runs["v2 job"], runs["v1 fetch"]
            pairs.append(Pair(throughput=v2.rps / v1.rps, p99=v2.p99_ms / v1.p99_ms))
    ratio = medians("GET /v2/jobs/{id} / POST /fetch", pairs).throughput
    record("v2", "throughput GET /v2/jobs/{id} / POST /fetch", ratio, MIN_THROUGHPUT_RATIO, at_least=True)
