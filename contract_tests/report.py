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


class State(StrEnum):
    """What the run found about one rule."""

    HELD = "held"
    DRIFTED = "drifted"
    NOT_CHECKED = "not checked"
    """It should have run but has no verdict: it lacked ids or budget."""
    NOT_SELECTED = "not selected"
    """The user left it out: deselected (-k), or valid submissions, which cost credits, not allowed."""
    GUESS_MISSED = "guess missed"
    """A guess of the mock that production does otherwise: listed apart, not drift unless --strict."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one test of a rule ended; `drift` holds the reason and the exchange when it found drift."""

    test: str
    outcome: str
    reason: str = ""
    drift: dict[str, Any] | None = None
    chosen_out: bool = False
    """Skipped because the user chose not to run it (no valid submissions allowed)."""
    guess: dict[str, Any] | None = None
    """What production does otherwise than the mock guessed, when the test found that."""


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
            "version": self.rule.version,
            "state": self.state.value,
            "note": self.note,
            "explicit_examples": self.examples,
            "tests": self.tests,
            "drifts": self.drifts,
        }


def judge(
    outcomes: dict[str, list[Outcome]],
    ledger: Ledger,
    examples: dict[str, int] | None = None,
    selected: set[str] | None = None,
    rules: Sequence[Rule] = RULES,
) -> list[Verdict]:
    """Return one verdict per rule of `rules` (the run's versions'), in order, each with its explicit `examples`.

    A rule outside `selected` (when given) is *not selected*, as is one whose every test was skipped
    because the user chose not to run it.
    """
    verdicts = []
    for rule in rules:
        if selected is not None and rule.id not in selected:
            verdicts.append(Verdict(rule, State.NOT_SELECTED, note="left out by the selection (-k)"))
            continue
        count = (examples or {}).get(rule.id, 0)
        ran = outcomes.get(rule.id, [])
        failed = [o for o in ran if o.outcome == "failed" and o.guess is None]
        drifts = [{"test": o.test, **(o.drift or {"reason": o.reason})} for o in failed]
        missed = [o.guess for o in ran if o.guess is not None]
        breach = ledger.minimal(rule.id)
        if breach is not None and not drifts:
            drifts.append({"test": "(every answer of the run)", "reason": breach.reason, **breach.exchange.describe()})
        tests = sorted({o.test for o in ran})
        if drifts:
            verdicts.append(Verdict(rule, State.DRIFTED, tests, drifts, examples=count))
        elif missed:
            verdicts.append(Verdict(rule, State.GUESS_MISSED, tests, note=missed[0]["reason"], examples=count))
        elif any(o.outcome == "passed" for o in ran):
            verdicts.append(Verdict(rule, State.HELD, tests, examples=count))
        else:
            note = "; ".join(sorted({o.reason for o in ran if o.reason})) or "no test of it ran"
            state = State.NOT_SELECTED if ran and all(o.chosen_out for o in ran) else State.NOT_CHECKED
            verdicts.append(Verdict(rule, state, tests, note=note, examples=count))
    return verdicts


def render(verdicts: list[Verdict], heading: str, footer: str) -> list[str]:
    """Return the terminal lines: a heading, one line per rule, each drift's reproduction, a summary."""
    lines = [heading]
    width = max(len(verdict.rule.id) for verdict in verdicts)
    for verdict in verdicts:
        label = verdict.state.value.upper() if verdict.state is State.DRIFTED else verdict.state.value
        line = f"{label:<12} {verdict.rule.version} {verdict.rule.id:<{width}}  {verdict.rule.title}"
        lines.append(line + (f" ({verdict.note})" if verdict.note else ""))
        for drift in verdict.drifts:
            lines.append(f"{'':15} {'':{width}}  in {drift['test']}: {drift['reason']}")
            if "request" in drift:
                lines.append(f"{'':15} {'':{width}}    request: {drift['request']['curl']}")
                lines.append(
                    f"{'':15} {'':{width}}    answer:  {json.dumps(drift['answer'], ensure_ascii=False)[:400]}"
                )
    counts = {state: sum(verdict.state is state for verdict in verdicts) for state in State}
    summary = ", ".join(f"{counts[state]} {state.value}" for state in State)
    lines.append(f"{counted(len(verdicts), 'rule')}: {summary}. {footer}")
    return lines


def render_guesses(verdicts: list[Verdict]) -> list[str]:
    """Return the lines that list, apart from drift, each guess of the mock that production does otherwise."""
    missed = [verdict for verdict in verdicts if verdict.state is State.GUESS_MISSED]
    if not missed:
        return []
    lines = [f"guesses production does otherwise, not drift (--strict counts them): {len(missed)}"]
    return lines + [f"  {verdict.rule.id}: {verdict.note}" for verdict in missed]


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
