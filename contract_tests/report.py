"""The verdict per rule (held, drifted, not checked), printed one line each and written as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from mockserver.wording import counted

from .client import Flake
from .ledger import Ledger
from .rules import RULES, Rule

INCOMPLETE_EXIT = 6
"""The exit status of `contract` or `diff` when its budget ran out before everything was checked (pytest uses 0-5)."""
FLAKY_EXIT = 7
"""The exit status of `contract` or `diff` without drift, complete, but with a 5xx that did not repeat on retry."""


EXIT_MEANINGS: dict[str, dict[int, str]] = {
    "contract": {
        0: "every rule checked held",
        1: "drift: a rule drifted",
        2: "the server cannot be reached",
        4: "a bad option, or no key for a remote server",
        INCOMPLETE_EXIT: "incomplete: no drift found, but the budget ran out with rules not checked",
        FLAKY_EXIT: "flaky: no drift, but a 5xx that did not repeat when sent again",
    },
    "diff": {
        0: "no drift",
        1: "drift (with --strict, any difference), or the live tasks could not be loaded",
        2: "a bad flag, or no server",
        INCOMPLETE_EXIT: "incomplete: no drift found, but the budget ran out with cases not sent",
        FLAKY_EXIT: "flaky: no drift, but a 5xx that did not repeat when sent again",
    },
}
"""What each exit status of `contract` and `diff` means, as README.md and CONTRACT.md table them."""


def exit_status(drift: bool, incomplete: bool, flaky: bool) -> int:
    """Return the exit status of a run that ran: drift first, then a run cut short, then a flaky server, else 0."""
    return 1 if drift else INCOMPLETE_EXIT if incomplete else FLAKY_EXIT if flaky else 0


class State(StrEnum):
    """What the run found about one rule."""

    HELD = "held"
    DRIFTED = "drifted"
    NOT_CHECKED = "not checked"


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one test of a rule ended; `drift` holds the reason and the exchange when it found drift."""

    test: str
    outcome: str
    reason: str = ""
    drift: dict[str, Any] | None = None


@dataclass(slots=True)
class Verdict:
    """One rule, its state, the tests that checked it and, when drifted, each minimal reproduction."""

    rule: Rule
    state: State
    tests: list[str] = field(default_factory=list)
    drifts: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    examples: int = 0
    """The explicit examples of the rule's tests: requests sent on every run, whatever the seed."""

    def as_json(self) -> dict[str, Any]:
        """Return the verdict as JSON-ready data."""
        return {
            "id": self.rule.id,
            "title": self.rule.title,
            "source": self.rule.source.value,
            "state": self.state.value,
            "note": self.note,
            "explicit_examples": self.examples,
            "tests": self.tests,
            "drifts": self.drifts,
        }


def judge(outcomes: dict[str, list[Outcome]], ledger: Ledger, examples: dict[str, int] | None = None) -> list[Verdict]:
    """Return one verdict per rule, in the order of `RULES`, each with its count of explicit `examples`."""
    verdicts = []
    for rule in RULES:
        count = (examples or {}).get(rule.id, 0)
        ran = outcomes.get(rule.id, [])
        drifts = [{"test": o.test, **(o.drift or {"reason": o.reason})} for o in ran if o.outcome == "failed"]
        breach = ledger.minimal(rule.id)
        if breach is not None and not drifts:
            drifts.append({"test": "(every answer of the run)", "reason": breach.reason, **breach.exchange.describe()})
        tests = sorted({o.test for o in ran})
        if drifts:
            verdicts.append(Verdict(rule, State.DRIFTED, tests, drifts, examples=count))
        elif any(o.outcome == "passed" for o in ran):
            verdicts.append(Verdict(rule, State.HELD, tests, examples=count))
        else:
            note = "; ".join(sorted({o.reason for o in ran if o.reason})) or "no test of it ran"
            verdicts.append(Verdict(rule, State.NOT_CHECKED, tests, note=note, examples=count))
    return verdicts


def render(verdicts: list[Verdict], heading: str, footer: str) -> list[str]:
    """Return the terminal lines: a heading, one line per rule, each drift's reproduction, a summary."""
    lines = [heading]
    width = max(len(verdict.rule.id) for verdict in verdicts)
    for verdict in verdicts:
        label = verdict.state.value.upper() if verdict.state is State.DRIFTED else verdict.state.value
        line = f"{label:<12} {verdict.rule.id:<{width}}  {verdict.rule.title}"
        lines.append(line + (f" ({verdict.note})" if verdict.note else ""))
        for drift in verdict.drifts:
            lines.append(f"{'':12} {'':{width}}  in {drift['test']}: {drift['reason']}")
            if "request" in drift:
                lines.append(f"{'':12} {'':{width}}    request: {drift['request']['curl']}")
                lines.append(
                    f"{'':12} {'':{width}}    answer:  {json.dumps(drift['answer'], ensure_ascii=False)[:400]}"
                )
    counts = {state: sum(verdict.state is state for verdict in verdicts) for state in State}
    summary = ", ".join(f"{counts[state]} {state.value}" for state in State)
    lines.append(f"{counted(len(verdicts), 'rule')}: {summary}. {footer}")
    return lines


def render_flakes(flakes: Sequence[Flake]) -> list[str]:
    """Return the lines that list each 5xx that did not repeat on retry, apart from the verdicts: not drift."""
    if not flakes:
        return []
    lines = [f"flaky, not drift: {counted(len(flakes), 'answer')} that did not repeat when sent again"]
    for flake in flakes:
        lines += [f"  {flake.reason}", f"    request: {flake.first.curl()}"]
    return lines


def report_document(verdicts: list[Verdict], run: dict[str, Any]) -> dict[str, Any]:
    """Return the verdicts and facts about the run (target, seed, requests) as JSON-ready data."""
    drifted = [verdict.rule.id for verdict in verdicts if verdict.state is State.DRIFTED]
    return {**run, "drift": bool(drifted), "drifted": drifted, "rules": [v.as_json() for v in verdicts]}


def write_report(path: Path, verdicts: list[Verdict], run: dict[str, Any]) -> None:
    """Write the verdicts and facts about the run as JSON to `path`."""
    write_json(path, report_document(verdicts, run))


def write_json(path: Path, document: object) -> None:
    """Write `document` to `path` as indented UTF-8 JSON, making its folder if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
