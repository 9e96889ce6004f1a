"""The page of a diff run: the verdict per rule, then each drift with both answers and the rule's evidence."""

from __future__ import annotations

from typing import Any

from ..diff import WITHIN_CONTRACT
from ..rules import RULES_BY_ID, rules_of_versions
from .markup import Html, document, element, join, pretty, prose, rule_id, source_badge


def diff_page(report: dict[str, Any]) -> str:
    """Return the page of a diff run from its report (the document `--report` writes)."""
    differences: list[dict[str, Any]] = report["differences"]
    drift = [item for item in differences if item["moved"] != WITHIN_CONTRACT]
    within = [item for item in differences if item["moved"] == WITHIN_CONTRACT]
    if drift:
        verdict = f"{len(drift)} difference{'s' if len(drift) != 1 else ''} that drift"
    else:
        verdict = "no drift" if report.get("complete", True) else "incomplete, no drift so far"
    heading = join(
        [
            element("h1", f"apiframe-mock diff: {verdict}"),
            element("p", f"{report['target']} against a local mock holding its {report['tasks_loaded']} tasks"),
        ]
    )
    body = join(
        [
            _facts(report),
            # What drifted comes before the table of every rule: it is what a reader of a red CI run looks for.
            *(_difference(number, item) for number, item in enumerate(drift, start=1)),
            _verdicts(differences, str(report.get("api", "v1"))),
            *(_difference(number, item) for number, item in enumerate(within, start=len(drift) + 1)),
            _replay(report),
        ]
    )
    return document(f"diff: {verdict}", heading, body)


def _facts(report: dict[str, Any]) -> Html:
    rows = [
        ("target", report["target"]),
        ("seed", report["seed"]),
        ("cases sent", report["cases_run"]),
        ("live requests", report["live_requests"]),
        ("seconds", report["seconds"]),
        ("tasks loaded", report["tasks_loaded"]),
        ("ids not found live", ", ".join(report["ids_missing"]) or None),
        ("stopped early", report["stopped"] or None),
        ("cases not sent", len(report["cases_left"]) or None),
    ]
    cells = [element("tr", element("th", name), element("td", value)) for name, value in rows if value is not None]
    return element("section", element("h2", "The run"), element("table", join(cells)), id="run")


def _state(found: list[dict[str, Any]]) -> tuple[str, str]:
    moved = sorted({item["moved"] for item in found})
    if not found:
        return "same", "same"
    if moved == [WITHIN_CONTRACT]:
        return "within the contract", "within"
    return f"drift ({', '.join(side for side in moved if side != WITHIN_CONTRACT)} moved)", "drift"


def _verdicts(differences: list[dict[str, Any]], api: str) -> Html:
    head = element("tr", *(element("th", name) for name in ("verdict", "rule", "source", "rule says", "differences")))
    rows = []
    for rule in rules_of_versions({api}):
        found = [item for item in differences if item["rule"] == rule.id]
        label, kind = _state(found)
        rows.append(
            element(
                "tr",
                element("td", label, class_=f"verdict {kind}"),
                element("td", rule_id(rule.id)),
                element("td", source_badge(rule.source.value)),
                element("td", prose(rule.title)),
                element("td", len(found) or ""),
                class_=kind,
                id=f"rule-{rule.id}",
            )
        )
    table = element("table", element("thead", head), element("tbody", join(rows)))
    note = element("p", "A rule without a difference answered the same on both sides, in every case sent of it.")
    return element("section", element("h2", "Verdict per rule"), note, table, id="verdicts")


def _difference(number: int, item: dict[str, Any]) -> Html:
    example: dict[str, Any] = item["example"]
    kind = "within" if item["moved"] == WITHIN_CONTRACT else "drift"
    known = RULES_BY_ID.get(item["rule"])
    evidence = prose(known.evidence) if known is not None else "(no evidence recorded)"
    parts = [
        element("h2", f"{number}. ", rule_id(item["rule"]), " ", prose(item["title"])),
        element("p", element("span", item["meaning"], class_=f"verdict {kind}")),
        element("p", source_badge(item["source"]), " evidence:"),
        element("blockquote", evidence),
        element(
            "table",
            element("tr", element("th", "where"), element("td", item["where"])),
            element("tr", element("th", "live"), element("td", item["live"])),
            element("tr", element("th", "mock"), element("td", item["mock"])),
            element("tr", element("th", "first seen in"), element("td", example.get("case", ""))),
            element("tr", element("th", "cases"), element("td", len(item["cases"]))),
        ),
    ]
    for side in ("live", "mock"):
        breach = example.get(f"{side}_breach")
        if breach:
            parts.append(element("p", f"{side} breaks the rule: {breach}"))
    live = example.get("live_exchange")
    if live is not None:
        parts.append(element("div", "request, as curl:", class_="label"))
        parts.append(element("pre", live["request"]["curl"], class_="curl"))
        parts.append(element("div", "the live answer:", class_="label"))
        parts.append(element("pre", pretty(live["answer"]), class_="answer"))
    mock = example.get("mock_exchange")
    if mock is not None:
        parts.append(element("div", "the mock's answer:", class_="label"))
        parts.append(element("pre", pretty(mock["answer"]), class_="answer"))
    if "task" in example:
        parts.append(element("div", "the live task, as loaded:", class_="label"))
        parts.append(element("pre", pretty(example["task"]), class_="answer"))
    return element("section", join(parts), class_=kind, id=f"difference-{number}")


def _replay(report: dict[str, Any]) -> Html:
    v1 = report.get("api", "v1") == "v1"
    command = f"apiframe-mock diff --base-url {report['target']}{'' if v1 else ' --api v2'} --seed {report['seed']}"
    parts = [
        element("h2", "Replay"),
        element(
            "p", f"Seed {report['seed']} draws the same generated cases again; with the key and ids as before, run"
        ),
        element("pre", command, class_="replay"),
    ]
    if v1:  # v2's differences are job fields: no request to replay
        parts.append(
            element(
                "p",
                "--replay PATH writes each difference as a pytest test that fails until the mock answers as the API.",
            )
        )
    parts.append(element("p", "The key is never written here: each curl reads it from $APIFRAME_API_KEY."))
    return element("section", join(parts), id="replay")
