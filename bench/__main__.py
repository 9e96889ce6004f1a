"""Run every ``bench/*_bench.py`` module in name order and print a summary of its targets."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import cast

from . import report
from .report import Skipped, Verdict

_SUFFIX = "_bench"


def discover() -> list[str]:
    """Return the names of the benchmark modules in this package, in name order."""
    # Found by name so that a new ``*_bench.py`` module runs without an edit here.
    folder = str(Path(__file__).resolve().parent)
    return sorted(info.name for info in pkgutil.iter_modules([folder]) if info.name.endswith(_SUFFIX))


def run_one(name: str) -> str:
    """Import ``bench.<name>`` and call its ``run()``; return ``ok``, ``skipped: why`` or ``error: why``."""
    try:
        module = importlib.import_module(f"{__package__}.{name}")
        cast(Callable[[], None], module.run)()
    except Skipped as exc:
        print(f"  SKIP  {name}: {exc}")
        return f"skipped: {exc}"
    except Exception as exc:
        traceback.print_exc()
        return f"error: {exc!r}"
    return "ok"


def main(argv: list[str]) -> int:
    """Run the benchmarks named in `argv` (all of them if none); return 1 if any failed or broke."""
    names = discover()
    chosen = [name for name in names if not argv or name in argv or name.removesuffix(_SUFFIX) in argv]
    if not chosen:
        print(f"no benchmark matches {' '.join(argv)}; there are: {', '.join(names)}", file=sys.stderr)
        return 2
    outcomes: dict[str, tuple[str, float]] = {}
    for name in chosen:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        outcomes[name] = (run_one(name), time.monotonic() - started)
    print("\n== summary")
    for name, (outcome, seconds) in outcomes.items():
        print(f"  {name:<20} {outcome} ({seconds:.0f} s)")
    for check in report.checks():
        print(f"  {check.verdict:<4}  {check.bench}: {check.name} = {check.figure} (target {check.target})")
    broken = any(outcome.startswith("error") for outcome, _ in outcomes.values())
    failed = any(check.verdict is Verdict.FAIL for check in report.checks())
    print(f"\n{'FAILED' if broken or failed else 'PASSED'}: {len(report.checks())} target(s) checked")
    return 1 if broken or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
