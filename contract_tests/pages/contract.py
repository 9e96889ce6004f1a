"""The page of a contract run: the verdict per rule, then each drift with its request, answer and evidence."""

from __future__ import annotations

from typing import Any

from ..rules import RULES_BY_ID
from .markup import Html, document, element, join, pretty, prose, rule_id, source_badge

_CLASSES = {"held": "held", "drifted": "drifted", "not checked": "not-checked"}


def contract_page(report: dict[str, Any]) -> str:
    """Return the page of a contract run from its report (the document `--drift-report` writes)."""
    rules: list[dict[str, Any]] = report["rules"]
    counts = {state: sum(rule["state"] == state for rule in rules) for state in _CLASSES}
    summary = ", ".join(f"{count} {state}" for state, count in counts.items())
    verdict = "drift found" if report["drift"] else "no drift"
    heading = join(
        [
            element("h1", f"apiframe-mock contract: {verdict}"),
            element("p", f"{len(rules)} rules: {summary}"),
        ]
    )
    drifted = [rule for rule in rules if rule["state"] == "drifted"]
    # What drifted comes before the table of every rule: it is what a reader of a red CI run looks for.
    body = join([_facts(report), *(_drift(rule) for rule in drifted), _verdicts(rules), _replay(report)])
    return document(f"contract: {verdict}", heading, body)


def _facts(report: dict[str, Any]) -> Html:
    rows = [
        ("target", report.get("target") or "(the bundled mock)"),
        ("seed", report.get("seed")),
        ("profile", report.get("profile")),
        ("requests", report.get("requests")),
        ("valid submissions", report.get("submissions")),
    ]
    cells = [element("tr", element("th", name), element("td", value)) for name, value in rows if value is not None]
    return element("section", element("h2", "The run"), element("table", join(cells)), id="run")


def _verdicts(rules: list[dict[str, Any]]) -> Html:
    head = element("tr", *(element("th", name) for name in ("verdict", "api", "rule", "source", "rule says", "note")))
    rows = [
        element(
            "tr",
            element("td", rule["state"], class_=f"verdict {_CLASSES[rule['state']]}"),
            element("td", rule.get("version", "v1")),
            element("td", rule_id(rule["id"])),
            element("td", source_badge(rule["source"])),
            element("td", prose(rule["title"])),
            element("td", prose(rule.get("note", ""))),
            class_=_CLASSES[rule["state"]],
            id=f"rule-{rule['id']}",
        )
        for rule in rules
    ]
    table = element("table", element("thead", head), element("tbody", join(rows)))
    return element("section", element("h2", "Verdict per rule"), table, id="verdicts")


def _drift(rule: dict[str, Any]) -> Html:
    known = RULES_BY_ID.get(rule["id"])
    parts = [
        element(
            "h2", element("span", "drifted ", class_="verdict drifted"), rule_id(rule["id"]), " ", prose(rule["title"])
        ),
        element("p", source_badge(rule["source"]), " evidence:"),
        element("blockquote", prose(known.evidence) if known is not None else "(no evidence recorded)"),
    ]
    for number, drift in enumerate(rule["drifts"], start=1):
        parts.append(element("h3", f"{number}. in {drift['test']}"))
        parts.append(element("p", drift.get("reason", "")))
        if "request" in drift:
            parts.append(element("div", "request, as curl:", class_="label"))
            parts.append(element("pre", drift["request"]["curl"], class_="curl"))
        if "answer" in drift:
            parts.append(element("div", "the answer:", class_="label"))
            parts.append(element("pre", pretty(drift["answer"]), class_="answer"))
    return element("section", join(parts), class_="drift", id=f"drift-{rule['id']}")


def _replay(report: dict[str, Any]) -> Html:
    command = report.get("replay") or f"--hypothesis-seed={report.get('seed')}"
    parts = [
        element("h2", "Replay"),
        element("p", f"Seed {report.get('seed')} draws the same cases again; with the key and ids as before, run"),
        element("pre", command, class_="replay"),
        element("p", "The key is never written here: each curl reads it from $APIFRAME_API_KEY."),
    ]
    return element("section", join(parts), id="replay")
