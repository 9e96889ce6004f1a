"""The load time and memory of a store of 100,000 tasks, against the targets of 3 s and 300 MB."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from mockserver.engine.fixtures import load_fixtures

from .report import record

TASKS = 100_000
FILES = 10
MAX_LOAD_S = 3.0
MAX_MEMORY_MB = 300.0
_ROOT = Path(__file__).resolve().parent.parent
_IDS = uuid.UUID("5e1f0c1e-0000-4000-8000-000000000000")


def write_fixtures(folder: Path, count: int = TASKS, files: int = FILES) -> None:
    """Write `count` valid tasks into `files` JSONL files under `folder`: the bundled tasks, under new ids."""
    # Reusing the bundled fixtures covers every task type and status at their real sizes.
    models = [task for task in load_fixtures().tasks]
    per_file = -(-count // files)
    for number in range(files):
        first = number * per_file
        lines = []
        for index in range(first, min(first + per_file, count)):
            task = dict(models[index % len(models)])
            task["task_id"] = str(uuid.UUID(int=_IDS.int + index))
            lines.append(json.dumps(task, ensure_ascii=False))
        (folder / f"tasks-{number:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run() -> None:
    """Generate 100,000 tasks, load them in a fresh process and check its time and memory."""
    with tempfile.TemporaryDirectory(prefix="apiframe-mock-bench-") as tmp:
        folder = Path(tmp)
        write_fixtures(folder)
        size_mb = sum(path.stat().st_size for path in folder.iterdir()) / 2**20
        print(f"  {TASKS} tasks in {FILES} JSONL files, {size_mb:.1f} MB")
        probe = subprocess.run(
            [sys.executable, "-m", f"{__package__}.store_probe", str(folder)],
            cwd=_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(probe.stdout)
    if figures["tasks"] != TASKS:
        raise RuntimeError(f"the store holds {figures['tasks']} tasks, not {TASKS}")
    print(
        f"  load_fixtures {figures['load_s']:.2f} s + MockState.from_fixtures {figures['build_s']:.2f} s; "
        f"RSS grew {figures['rss_growth_mb']:.0f} MB (peak {figures['peak_growth_mb']:.0f} MB)"
    )
    memory_mb = max(figures["rss_growth_mb"], figures["peak_growth_mb"])
    record("store", "load time of 100k tasks", figures["total_s"], MAX_LOAD_S, at_least=False, unit=" s")
    record("store", "memory growth of 100k tasks", memory_mb, MAX_MEMORY_MB, at_least=False, unit=" MB")
