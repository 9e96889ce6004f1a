"""What one run of the suite knows and records: its target, plan, client, and how each test of each rule ended."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from .client import Client, Flake, SubmissionsSpent
from .guesses import Guesses
from .ledger import Ledger
from .meter import Meter
from .plan import Plan, TestCost, examples_per_test
from .report import Outcome, State, Verdict, judge
from .rules import RULES_BY_ID, rules_of_versions
from .submissions import missing_bodies
from .target import TASK_IDS_ENV, Target


@dataclass(slots=True)
class Run:
    """What one run of the suite knows: its target (None until the bundled mock starts), seed and findings."""

    target: Target | None
    seed: str
    profile: str
    report_path: Path | None
    summary_path: Path | None
    ledger: Ledger = field(default_factory=Ledger)
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    requests: int = 0
    spent: str = ""
    """Why the run stopped sending before every test had its requests, or empty when it did not."""
    submissions: int = 0
    flakes: list[Flake] = field(default_factory=list)
    """The 5xx answers that did not repeat on retry: reported apart, not drift."""
    examples: dict[str, int] = field(default_factory=dict)
    """How many explicit examples (sent on every run, whatever the seed) the collected tests hold, by rule."""
    plan: Plan | None = None
    client: Client | None = None
    selected: set[str] = field(default_factory=set)
    """The rules some selected test checks; the others were left out (-k) and are *not selected*."""
    sent_by_rule: dict[str, int] = field(default_factory=dict)
    """Requests each rule's tests sent, retries included."""
    stopped: str = ""
    """Why the run stopped before any rule (a plan that cannot fit, no ground), or empty."""
    guesses: Guesses = field(default_factory=Guesses)
    strict: bool = False
    """Whether a guess production does otherwise counts as drift."""
    calibrate: Path | None = None
    """Where to write what production did on every guess, if asked."""
    versions: frozenset[str] = frozenset({"v1"})
    """The API versions whose rules the run checks (``--api``)."""
    v2_target: Target | None = None
    """Where v2 is served, with its key; None until the bundled mock starts, or when v2 is not checked."""
    v2_client: Client | None = None
    meter: Meter | None = None
    """The run's budget, pace and submissions, shared by its clients; None until the first is made."""

    def all_flakes(self) -> list[Flake]:
        """Return the flakes of every client of the run."""
        return [*self.flakes, *(self.v2_client.flakes if self.v2_client is not None else ())]

    def shared_meter(self, target: Target) -> Meter:
        """Return the run's meter, made from `target`'s limits the first time."""
        if self.meter is None:
            self.meter = Meter.of(target)
        return self.meter


def per_rule(rule_ids: Iterable[str]) -> list[Any]:
    """Return each rule id as a test parameter marked with its rule, so that each gets its own verdict."""
    return [pytest.param(rule_id, marks=pytest.mark.rule(rule_id)) for rule_id in rule_ids]


def rules_of(item: pytest.Item) -> list[str]:
    """Return the ids of the rules `item` is marked with, on itself or through its parameters."""
    return [marker.args[0] for marker in item.iter_markers("rule") if marker.args]


def versions_of(item: pytest.Item) -> set[str]:
    """Return the API versions `item` checks: its rules', or the version of the rule it gives a verdict on."""
    params = getattr(item, "callspec", None)
    judged = params.params.get("rule_id") if params is not None else None
    ids = [*rules_of(item), *([judged] if isinstance(judged, str) else [])]
    return {RULES_BY_ID[rule_id].version for rule_id in ids if rule_id in RULES_BY_ID}


def explicit_examples(item: pytest.Item) -> int:
    """Return how many explicit examples `item` sends on every run: its Hypothesis examples, else itself once."""
    function = getattr(item, "function", None)
    if not getattr(function, "is_hypothesis_test", False):
        return 1
    return len(getattr(function, "hypothesis_explicit_examples", ()))


def test_cost(item: pytest.Item) -> TestCost:
    """Return what `item` will send: one request per example unless its ``sends`` marker says otherwise."""
    function = getattr(item, "function", None)
    generated = examples_per_test() if getattr(function, "is_hypothesis_test", False) else 0
    if item.get_closest_marker("after_all") is not None:
        return TestCost(tuple(rules_of(item)), 0)
    marker = item.get_closest_marker("sends")
    kind = str(marker.args[0]) if marker is not None and marker.args else None
    params = getattr(item, "callspec", None)
    endpoint = params.params.get("submit_endpoint") if params is not None else None
    missing = len(list(missing_bodies(endpoint))) if endpoint is not None else 0
    rules = tuple(rules_of(item))
    return TestCost(
        rules,
        explicit_examples(item) + generated,
        kind,
        missing,
        needs_known=any(RULES_BY_ID[rule].needs_known_ids for rule in rules if rule in RULES_BY_ID),
        submits=any(module in item.nodeid for module in SUBMITTING),
    )


SUBMITTING = ("test_submit_tasks.py", "test_v2_submit_jobs.py")
"""The modules whose tests send valid submissions, which cost credits: a run allowing none leaves them out."""

Found = TypeVar("Found", bound=BaseException)


def first_of(error: BaseException, kind: type[Found]) -> Found | None:
    """Return the `kind` of error that `error` is or holds (Hypothesis groups a flaky server's failures), or None."""
    if isinstance(error, kind):
        return error
    if isinstance(error, BaseExceptionGroup):
        return next(filter(None, (first_of(inner, kind) for inner in error.exceptions)), None)
    return None


def chosen_out(error: BaseException, target: Target | None) -> bool:
    """Say whether `error` skipped a test the user chose not to run: valid submissions, with none allowed."""
    return isinstance(error, SubmissionsSpent) and target is not None and target.allow_submissions == 0


RUN = pytest.StashKey[Run]()
"""Where the run is kept on pytest's config."""


class Recorder:
    """Records how each test of each rule ended, into the run."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Record the outcome of a test's call, or of a setup that skipped or failed it."""
        if report.when != "call" and report.outcome == "passed":
            return
        properties = dict(report.user_properties)
        reason = ""
        if report.skipped and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        elif report.failed:
            reason = report.longreprtext.strip().splitlines()[-1][:300] if report.longreprtext else "failed"
        drift = cast("dict[str, Any] | None", properties.get("drift"))
        guess = cast("dict[str, Any] | None", properties.get("guess"))
        outcome = Outcome(report.nodeid, report.outcome, reason, drift, bool(properties.get("chosen_out")), guess)
        for rule_id in cast("list[str]", properties.get("rules", [])):
            self.run.outcomes.setdefault(rule_id, []).append(outcome)


def verdicts_of(run: Run) -> list[Verdict]:
    """Return the run's verdict per rule."""
    selected = run.selected if run.plan is not None else None
    return judge(run.outcomes, run.ledger, run.examples, selected, rules_of_versions(run.versions))


def incomplete_reason(run: Run, verdicts: list[Verdict]) -> str:
    """Say why rules that should have run have no verdict, and what would give them one; empty when none lack one."""
    if run.spent:
        return f"{run.spent}; the rules not checked have no verdict"
    unchecked = [verdict.rule.id for verdict in verdicts if verdict.state is State.NOT_CHECKED]
    if not unchecked:
        return ""
    hint = f"give --task-ids or set ${TASK_IDS_ENV}" if run.target is not None and not run.target.known_ids else ""
    return f"{', '.join(unchecked)} got no verdict" + (f": {hint}" if hint else " (see each rule's note)")
