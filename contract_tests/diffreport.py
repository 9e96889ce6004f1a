"""The report of a differential run: a table for the terminal and the same as JSON."""

from __future__ import annotations

from pathlib import Path

from mockserver.wording import counted

from .diff import Difference, DiffResult
from .report import render_flakes, write_json
from .rules import Source
from .target import TASK_IDS_ENV


def render(result: DiffResult) -> list[str]:
    """Return the terminal lines: what ran, one row per difference, its meaning and example, a summary."""
    lines = [
        f"diff {result.target} against a local mock holding its {counted(result.tasks_loaded, 'task')} | "
        f"seed {result.seed} | {counted(result.cases_run, 'case')}, {counted(result.live_requests, 'live request')}, "
        f"{result.seconds:.1f} s"
    ]
    if not result.tasks_loaded:
        lines.append(
            f"no known tasks (give --task-ids or set ${TASK_IDS_ENV}): the cases about known tasks were not sent"
        )
    if result.ids_missing:
        lines.append(f"not found live, left out: {', '.join(result.ids_missing)}")
    drift, within = result.drift, result.within_contract
    if drift:
        lines.extend(_table(drift))
        lines.append("")
    for number, difference in enumerate(drift, start=1):
        example = difference.example
        lines.append(f"{number}. {difference.rule.id}: {difference.meaning}")
        lines.append(f"   rule: {difference.rule.title}")
        lines.append(f"   first seen in: {example.get('case')}")
        if "live_exchange" in example:
            lines.append(f"   request: {example['live_exchange']['request']['curl']}")
        breach = example.get("live_breach") or example.get("mock_breach")
        if breach:
            lines.append(f"   {'live' if example.get('live_breach') else 'mock'}: {breach}")
    if within:
        lines.append(
            f"within the contract, for whoever maintains the mock (not drift; --strict counts them): "
            f"{counted(len(within), 'difference')} where both keep the rule and the API does what the mock does not"
        )
        lines.extend(_table(within))
    lines += render_flakes(result.flakes)
    if result.stopped:
        lines.append(
            f"incomplete: {result.stopped}; {counted(len(result.cases_left), 'case')} not sent, so no verdict on them"
        )
    if drift:
        documented = sum(difference.rule.source is Source.DOCUMENTED for difference in drift)
        found = counted(len(drift), "difference")
        lines.append(f"{found} ({documented} on documented rules, {len(drift) - documented} on assumed ones)")
    elif not result.stopped:
        lines.append("no differences: the mock answered every case as the live server did, within the contract")
    return lines


def _table(differences: list[Difference]) -> list[str]:
    rows = [("RULE", "SOURCE", "MOVED", "WHERE", "LIVE", "MOCK", "CASES")]
    for difference in differences:
        rule, count = difference.rule, str(len(difference.cases))
        where, live, mock = difference.where, difference.live, difference.mock
        rows.append((rule.id, rule.source.value, difference.moved, where, live, mock, count))
    widths = [min(48, max(len(row[column]) for row in rows)) for column in range(len(rows[0]))]
    return ["  ".join(_cell(text, width) for text, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def as_json(result: DiffResult) -> dict[str, object]:
    """Return the whole result as JSON-ready data."""
    return {
        "target": result.target,
        "api": result.api,
        "seed": result.seed,
        "differ": bool(result.drift),
        "complete": not result.stopped,
        "cases_run": result.cases_run,
        "cases_left": result.cases_left,
        "stopped": result.stopped,
        "tasks_loaded": result.tasks_loaded,
        "ids_missing": result.ids_missing,
        "ids_sampled": result.ids_sampled,
        "live_requests": result.live_requests,
        "seconds": round(result.seconds, 3),
        "flakes": [flake.describe() for flake in result.flakes],
        "differences": [difference.as_json() for difference in result.differences],
    }


def write_report(path: Path, result: DiffResult) -> None:
    """Write the result as JSON to `path`."""
    write_json(path, as_json(result))


def _cell(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
