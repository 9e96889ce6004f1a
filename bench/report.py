"""The figures and targets that benchmark modules record, gathered for the runner's summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """How a measured figure stands against its target."""

    PASS = "PASS"
    FAIL = "FAIL"


@dataclass(frozen=True, slots=True)
class Check:
    """One figure measured against one target, e.g. a throughput ratio against ``>= 0.9``."""

    bench: str
    name: str
    figure: str
    target: str
    verdict: Verdict


class Skipped(Exception):
    """A benchmark that cannot run here (a missing tool, say); the message says why and what to do."""


_checks: list[Check] = []


def record(bench: str, name: str, value: float, limit: float, *, at_least: bool, unit: str = "") -> Check:
    """Record `value` against `limit` (a floor when `at_least`, else a ceiling), print it and return it."""
    passed = value >= limit if at_least else value <= limit
    check = Check(
        bench=bench,
        name=name,
        figure=f"{value:.3g}{unit}",
        target=f"{'>=' if at_least else '<='} {limit:g}{unit}",
        verdict=Verdict.PASS if passed else Verdict.FAIL,
    )
    _checks.append(check)
    print(f"  {check.verdict:<4}  {name}: {check.figure} (target {check.target})")
    return check


def checks() -> list[Check]:
    """Return every check recorded so far, in order."""
    return list(_checks)
