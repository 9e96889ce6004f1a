"""CONTRACT.md lists every rule with its source and the tests that check it, exactly as the suite has them."""

from __future__ import annotations

import re
import subprocess
import sys

import contract_tests
from contract_tests.exits import EXIT_MEANINGS
from contract_tests.rules import RULES, Source
from contract_tests.ruletable import BEGIN, CONTRACT_MD, END, rule_checkers, table, with_table


def test_the_table_of_rules_is_generated_from_rules_py_titles_and_all() -> None:
    """Given rules.py and the suite's tests, then CONTRACT.md's table is exactly what ruletable generates."""
    text = CONTRACT_MD.read_text(encoding="utf-8")

    assert text == with_table(text), (
        "CONTRACT.md's table of rules is stale: run python -m contract_tests.ruletable --write"
    )
    rows = text[text.index(BEGIN) : text.index(END)].splitlines()[3:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [rule.id for rule in RULES]


def test_every_rule_is_checked_by_a_test_and_every_marker_names_a_rule() -> None:
    marked = rule_checkers()

    assert set(marked) == {rule.id for rule in RULES}
    assert all(marked[rule.id] for rule in RULES)


def test_the_table_is_rewritten_by_one_command_without_make() -> None:
    """Given `python -m contract_tests.ruletable`, then it prints the table CONTRACT.md holds."""
    done = subprocess.run(
        [sys.executable, "-m", "contract_tests.ruletable"], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout == table() + "\n"
    assert table() in CONTRACT_MD.read_text(encoding="utf-8")


def test_documented_rules_quote_the_docs_and_assumed_ones_give_reasons() -> None:
    counts = {source: sum(rule.source is source for rule in RULES) for source in Source}
    assert counts[Source.DOCUMENTED] >= 10
    # Five conventions nothing relies on became guesses (AUTH-FIRST, BODY-NOT-OBJECT, BODY-EXTRA-KEYS,
    # IDS-COUNT, SUBMIT-TYPES): what is assumed is what a client relies on.
    assert counts[Source.ASSUMED] >= 5
    assert counts[Source.GUESS] >= 10
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
