"""What a proxy session found, as the reports `contract` writes: the verdict per rule, the flakes, and the exit status.

A rule is *held* when the traffic asked it and every answer kept it, *drifted* when one did not, and
*not checked* when the traffic never asked it: a proxy judges only what the app sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from mockserver.wording import counted

from ..exits import exit_status
from ..report import State, Verdict, report_document, write_json
from ..rules import RULES_BY_ID, rules_of_versions
from ..summary import Results, write_summary
from .watch import Note, Watch


def verdicts(watch: Watch) -> list[Verdict]:
    """Return one verdict per rule (v1's, and v2's when the traffic had v2), each drift with its request as curl."""
    judged = {RULES_BY_ID[rule_id].version for rule_id in {*watch.checked, *watch.breaches}}
    found = []
    for rule in rules_of_versions({"v1", *judged}):  # v2's rules only when the traffic had v2 in it
        breaches = watch.breaches.get(rule.id, [])
        if breaches:
            drifts = [{"test": "proxy", "reason": breach.reason, **breach.exchange.describe()} for breach in breaches]
            note = f"{counted(watch.counts[rule.id], 'answer')} broke it"
            found.append(Verdict(rule, State.DRIFTED, ["proxy"], drifts, note=note))
        elif rule.id in watch.checked:
            found.append(Verdict(rule, State.HELD, ["proxy"]))
        else:
            found.append(Verdict(rule, State.NOT_CHECKED, note="the traffic never asked it"))
    return found


def results(watch: Watch, upstream: str) -> Results:
    """Return the session's results: the verdicts, the flakes apart, the facts, and the exit status."""
    judged = verdicts(watch)
    drift = any(verdict.state is State.DRIFTED for verdict in judged)
    status = exit_status(drift, False, bool(watch.flakes))
    return Results("proxy", upstream, facts(watch), judged, list(watch.flakes), "", status)


def facts(watch: Watch) -> dict[str, Any]:
    """Return the counts of the session: exchanges, flakes, the app's own problems, paths not covered."""
    return {
        "exchanges": watch.exchanges,
        "flakes": watch.counts["flake"],
        "app problems": watch.counts["app"],
        "not covered": sum(watch.not_covered.values()),
        "too long to judge": watch.too_long,
        "encoded past reading": watch.unread,
    }


def lines(result: Results, watch: Watch) -> list[str]:
    """Return the terminal lines: each drift with its curl, the flakes and the app's problems apart, the counts."""
    out = []
    for verdict in result.drifted:
        out.append(f"DRIFTED {verdict.rule.id} ({verdict.rule.source.value}): {verdict.rule.title} ({verdict.note})")
        for drift in verdict.drifts[:1]:
            out += [f"  {drift['reason']}", f"  request: {drift['request']['curl']}"]
    for title, notes in (("flaky, not drift", watch.flakes), ("the app's own requests", watch.app_problems)):
        out += [f"{title}: {note.reason}: {note.first.request.method} {note.first.request.path}" for note in notes]
    out += [f"not covered by the contract: {where} x{count}" for where, count in watch.not_covered.most_common()]
    counts = ", ".join(f"{name} {count}" for name, count in result.facts.items())
    out.append(f"{counted(len(result.drifted), 'rule')} drifted; {counts}; exit status {result.exit_status}")
    return out


def write_reports(result: Results, watch: Watch, paths: dict[str, Path | None]) -> list[Path]:
    """Write each report asked for (summary, json, html, junit) and return where they went."""
    document = report_document(result.verdicts, {"target": result.target, **facts(watch), "command": "proxy"})
    written = []
    if (summary := write_summary(paths.get("summary"), result)) is not None:
        written.append(summary)
    if (path := paths.get("json")) is not None:
        apart = {"flakes": _notes(watch.flakes), "app_problems": _notes(watch.app_problems)}
        write_json(path, {**document, **apart, "not_covered": dict(watch.not_covered.most_common())})
        written.append(path)
    if (path := paths.get("html")) is not None:
        from ..pages import write_contract_page

        write_contract_page(path, document)
        written.append(path)
    if (path := paths.get("junit")) is not None:
        write_junit(path, result)
        written.append(path)
    return written


def _notes(notes: list[Note]) -> list[dict[str, str]]:
    return [{"reason": note.reason, "curl": note.first.curl()} for note in notes]


def write_junit(path: Path, result: Results) -> None:
    """Write one JUnit test case per rule: passed if held, failed with each reproduction if drifted, else skipped."""
    suite = ElementTree.Element("testsuite", name="apiframe-mock proxy", tests=str(len(result.verdicts)))
    for verdict in result.verdicts:
        case = ElementTree.SubElement(suite, "testcase", classname="proxy", name=verdict.rule.id)
        if verdict.state is State.DRIFTED:
            text = "\n".join(f"{d['reason']}\n{d['request']['curl']}" for d in verdict.drifts)
            ElementTree.SubElement(case, "failure", message=verdict.note).text = text
        elif verdict.state is not State.HELD:
            ElementTree.SubElement(case, "skipped", message=verdict.note)
    suite.set("failures", str(len(result.drifted)))
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
