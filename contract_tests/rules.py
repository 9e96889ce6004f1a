"""The rules of the contract, v1's then v2's: one id each, whether the docs state it or the project assumes it, and why.

Each version's rules live in their own modules (`rules_v1`, `rules_v1_tasks`, `rules_v2`); this one joins
them and says which a run of ``--api v1|v2|both`` checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from .rule import Rule, Source
from .rules_v1 import V1_RULES
from .rules_v2 import V2_RULES

__all__ = [
    "API_CHOICES",
    "DEFAULT_API",
    "MARKERS",
    "RULES",
    "RULES_BY_ID",
    "RULE_ORDER",
    "Rule",
    "Source",
    "rules_of_versions",
]

RULES: tuple[Rule, ...] = (*V1_RULES, *V2_RULES)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.id: index for index, rule in enumerate(RULES)}
"""Each rule's place in CONTRACT.md, most basic first: the order tests run and differences are listed in."""
API_CHOICES: dict[str, frozenset[str]] = {
    "v1": frozenset({"v1"}),
    "v2": frozenset({"v2"}),
    "both": frozenset({"v1", "v2"}),
}
"""What ``--api`` takes, and the versions each checks."""
DEFAULT_API = "v1"
"""A run that names no version checks v1, as every run did before v2 was served."""
MARKERS = (
    "rule(id): the CONTRACT.md rule this test checks",
    "after_all: runs after every other test, to judge what they saw",
    "sends(kind): what the test sends per example beyond one request, for the plan: "
    "'fetched', 'chunks', 'twice per chunk', 'missing', 'polls', 'jobs', 'pages', or a number of requests",
)
"""The markers of the suite's tests, for pytest's --strict-markers."""


def rules_of_versions(versions: Iterable[str]) -> tuple[Rule, ...]:
    """Return the rules of the API `versions` (``v1``, ``v2``), in the order of `RULES`."""
    chosen = set(versions)
    return tuple(rule for rule in RULES if rule.version in chosen)
