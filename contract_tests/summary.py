"""What a run of `contract` or `diff` found, per rule, as one piece of data, and its Markdown summary for CI.

`Results` is what every report renders: the verdict per rule (held, drifted, not checked) with each
drift's reproduction, the flakes apart, and the exit status. `contract_results` and `diff_results`
build it; `markdown` renders it for a CI job's page (``$GITHUB_STEP_SUMMARY``), and another renderer
(HTML) can take the same data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .client import Flake
from .diff import WITHIN_CONTRACT, Difference, DiffResult
from .exchange import Exchange
from .exits import EXIT_MEANINGS
from .report import State, Verdict
from .rules import rules_of_versions

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
"""Where GitHub Actions shows a step's Markdown summary; `--summary` defaults to it when it is set."""
EVERY_CASE = frozenset({"CONTENT-TYPE", "NO-5XX", "ERROR-SHAPE", "OK-SHAPE"})
"""Rules a differential run holds every compared answer to, whatever rule its case was sent for."""
TASK_RULES = frozenset({"TASK-SCHEMA", "TASK-STATUS", "TASK-PERCENTAGE", "TASK-FORWARD"})
"""Rules a differential run holds every loaded task to, and every task an answer shows."""


class Flaky(Protocol):
    """A bad moment that was not drift (a `Flake` of a run, a note of the proxy): why, and the exchange."""

    @property
    def reason(self) -> str: ...

    @property
    def first(self) -> Exchange: ...


@dataclass(frozen=True, slots=True)
class Results:
    """One run: the command, its target and facts, the verdict per rule, the flakes, and the exit status."""

    command: str
    target: str
    facts: dict[str, Any]
    verdicts: list[Verdict]
    flakes: Sequence[Flaky] = ()
    incomplete: str = ""
    exit_status: int = 0

    @property
    def drifted(self) -> list[Verdict]:
        """Return the verdicts of the rules that drifted."""
        return [verdict for verdict in self.verdicts if verdict.state is State.DRIFTED]


def contract_results(
    target: str, facts: dict[str, Any], verdicts: list[Verdict], flakes: Sequence[Flake], incomplete: str, status: int
) -> Results:
    """Return the results of a contract run, from the verdicts the suite judged."""
    return Results("contract", target, facts, verdicts, list(flakes), incomplete, status)


def diff_results(result: DiffResult, status: int) -> Results:
    """Return the results of a diff: a rule drifted where a side broke it, else held if a case checked it."""
    v1 = result.api == "v1"
    checked = set(result.rules_sent) | (EVERY_CASE if result.cases_run and v1 else set())
    checked |= TASK_RULES if result.tasks_loaded and v1 else set()
    verdicts = []
    for rule in rules_of_versions({result.api}):
        differences = [difference for difference in result.differences if difference.rule is rule]
        drifts = [_drift(difference) for difference in differences if difference.moved != WITHIN_CONTRACT]
        within = len(differences) - len(drifts)
        note = f"{within} difference(s) within the contract: see the report" if within else ""
        if drifts:
            verdicts.append(Verdict(rule, State.DRIFTED, drifts=drifts, note=note))
        elif rule.id in checked:
            verdicts.append(Verdict(rule, State.HELD, note=note))
        else:
            verdicts.append(Verdict(rule, State.NOT_CHECKED, note="no case of it was sent"))
    facts: dict[str, Any] = {"seed": result.seed, "cases": result.cases_run, "requests": result.live_requests}
    facts["seconds"] = round(result.seconds, 1)
    return Results("diff", result.target, facts, verdicts, result.flakes, result.stopped, status)


def _drift(difference: Difference) -> dict[str, Any]:
    example = difference.example
    drift = {"test": example.get("case", ""), "reason": f"{difference.meaning}: live {difference.live}"}
    drift["reason"] += f", mock {difference.mock} at {difference.where}"
    if "live_exchange" in example:
        drift["request"] = example["live_exchange"]["request"]
    return drift


def markdown(results: Results) -> str:
    """Return the results as Markdown: a verdict line, the table of rules, each drift with its curl, the flakes."""
    verdict = EXIT_MEANINGS.get(results.exit_status, f"exit status {results.exit_status}")
    facts = " · ".join(f"{name} {value}" for name, value in results.facts.items())
    lines = [
        f"## apiframe-mock {results.command}: {verdict}",
        "",
        f"`{results.target}` · {facts} · exit status {results.exit_status}",
        "",
        "| Rule | Source | Verdict | Explicit examples | Note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in results.verdicts:
        label = f"**{item.state.value.upper()}**" if item.state is State.DRIFTED else item.state.value
        examples = str(item.examples) if results.command == "contract" else "—"
        lines.append(f"| {item.rule.id} | {item.rule.source.value} | {label} | {examples} | {_cell(item.note)} |")
    for item in results.drifted:
        lines += ["", f"### {item.rule.id}: {item.rule.title}"]
        for drift in item.drifts:
            lines += ["", f"{drift['reason']} (in {drift['test']})"]
            if "request" in drift:
                lines += ["", "```sh", drift["request"]["curl"], "```"]
    missed = [item for item in results.verdicts if item.state is State.GUESS_MISSED]
    if missed:
        lines += ["", "### Guesses production does otherwise, not drift (`--strict` counts them)", ""]
        lines += [f"- {item.rule.id}: {item.note}" for item in missed]
    if results.flakes:
        lines += ["", "### Flaky, not drift: a 5xx that did not repeat when sent again"]
        for flake in results.flakes:
            lines += ["", flake.reason, "", "```sh", flake.first.curl(), "```"]
    if results.incomplete:
        lines += ["", f"Incomplete: {results.incomplete}."]
    return "\n".join(lines) + "\n"


def write_summary(given: Path | None, results: Results) -> Path | None:
    """Write the Markdown summary to `given`, else append it to ``$GITHUB_STEP_SUMMARY`` if set; return where."""
    if given is not None:
        given.parent.mkdir(parents=True, exist_ok=True)
        given.write_text(markdown(results), encoding="utf-8")
        return given
    step = os.environ.get(SUMMARY_ENV)
    if not step:
        return None
    # The job's summary file is shared by its steps: each appends its own part.
    with Path(step).open("a", encoding="utf-8") as summary:
        summary.write(markdown(results))
    return Path(step)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
