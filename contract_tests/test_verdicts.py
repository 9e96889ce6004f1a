"""One test per rule, run last, whose outcome is the rule's verdict: so pytest's --junitxml has a case per rule.

Passed is held, failed is drifted (the message holds each reproduction), skipped is not checked.
"""

from __future__ import annotations

import json

import pytest

from .report import State
from .rules import RULES
from .run import Run, verdicts_of


@pytest.mark.after_all
@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_the_rule(run: Run, rule_id: str) -> None:
    """Given every test of the run, then the rule's verdict: held passes, drifted fails, not checked skips."""
    verdict = next(verdict for verdict in verdicts_of(run) if verdict.rule.id == rule_id)
    if verdict.state in (State.NOT_CHECKED, State.NOT_SELECTED):
        pytest.skip(f"{verdict.state.value}: {verdict.note}")
    if verdict.state is State.GUESS_MISSED and run.strict:
        pytest.fail(f"{rule_id}: {verdict.note}", pytrace=False)
    if verdict.state is State.DRIFTED:
        shown = [
            f"{drift['reason']} (in {drift['test']})\n  {drift['request']['curl'] if 'request' in drift else ''}\n"
            f"  answer: {json.dumps(drift.get('answer'), ensure_ascii=False)[:400]}"
            for drift in verdict.drifts
        ]
        pytest.fail(f"{rule_id} drifted: {verdict.rule.title}\n" + "\n".join(shown), pytrace=False)
