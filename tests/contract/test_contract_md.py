"""CONTRACT.md lists every rule with its source and the tests that check it, exactly as the suite has them."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import contract_tests
from contract_tests.exits import EXIT_MEANINGS
from contract_tests.rules import RULES, Source

ROW = re.compile(
    r"^\| (?P<id>[A-Z0-9-]+) \| (?P<title>.+) \| (?P<source>documented|assumed|guess) "
    r"\| (?P<evidence>.+) \| (?P<tests>.+) \|$"
)


def marked_rules(function: Callable[..., Any]) -> set[str]:
    """Return the rule ids a test function is marked with, directly or through its parameters."""
    found = set()
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "rule":
            found.add(mark.args[0])
        if mark.name == "parametrize":
            found |= {
                inner.args[0] for value in mark.args[1] for inner in getattr(value, "marks", ()) if inner.name == "rule"
            }
    return found


def rule_checkers() -> dict[str, set[str]]:
    """Map each rule id to the ``module.py::test`` names that check it."""
    found: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.iter_modules(contract_tests.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"contract_tests.{module_info.name}")
        for name, function in vars(module).items():
            if name.startswith("test_") and callable(function):
                for rule_id in marked_rules(function):
                    found[rule_id].add(f"{module_info.name}.py::{name}")
    return found


def rows() -> dict[str, dict[str, str]]:
    text = (contract_tests.SUITE_DIR / "CONTRACT.md").read_text(encoding="utf-8")
    return {match["id"]: match.groupdict() for line in text.splitlines() if (match := ROW.match(line))}


def test_every_rule_has_a_row_with_its_source_and_evidence() -> None:
    table = rows()
    assert list(table) == [rule.id for rule in RULES]
    for rule in RULES:
        assert table[rule.id]["source"] == rule.source.value
        assert table[rule.id]["evidence"] == rule.evidence.replace("|", "\\|")


def test_every_rule_is_checked_by_the_tests_its_row_names() -> None:
    table, marked = rows(), rule_checkers()
    for rule in RULES:
        assert set(re.findall(r"`([^`]+)`", table[rule.id]["tests"])) == marked[rule.id], rule.id
    assert set(marked) == {rule.id for rule in RULES}


def test_documented_rules_quote_the_docs_and_assumed_ones_give_reasons() -> None:
    counts = {source: sum(rule.source is source for rule in RULES) for source in Source}
    assert counts[Source.DOCUMENTED] >= 10
    assert counts[Source.ASSUMED] >= 10
    for rule in RULES:
        assert rule.evidence.strip(), rule.id


def exit_rows(text: str) -> dict[int, str]:
    """Return the rows of the exit status table in `text`: code to meaning, backticks dropped."""
    return {
        int(match[1]): match[2].replace("`", "") for match in re.finditer(r"^\| (\d) \| (.+) \|$", text, re.MULTILINE)
    }


def test_readme_and_contract_md_show_the_one_exit_table_of_contract_diff_and_snapshot() -> None:
    readme = (contract_tests.SUITE_DIR.parent / "README.md").read_text(encoding="utf-8")
    contract = (contract_tests.SUITE_DIR / "CONTRACT.md").read_text(encoding="utf-8")

    assert exit_rows(readme) == EXIT_MEANINGS
    assert exit_rows(contract) == EXIT_MEANINGS
