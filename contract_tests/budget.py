"""Before a run sends anything: its plan (refused when it cannot fit), then the ground check; after: the spending.

Both stop the run at once with one line and their own exit status, and no rule is judged: a run that
cannot fit its budget is a usage error, a server that is down or refuses the key has no ground.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from mockserver import load_fixtures

from .client import BudgetSpent, Client
from .exits import GROUND_EXIT, USAGE_EXIT
from .ground import GroundError, check_ground
from .plan import PlanError, plan_run
from .rules import RULES_BY_ID
from .run import Run, rules_of, test_cost
from .target import Target

BUNDLED = "(the bundled mock)"


def plan_and_ground(run: Run, items: Sequence[pytest.Item]) -> None:
    """Plan the selected `items` within the budget, then check the ground; stop the run at once if either fails."""
    run.selected = {rule_id for item in items for rule_id in rules_of(item)}
    target = run.target or Target(BUNDLED, "", tuple(task["task_id"] for task in load_fixtures().tasks))
    versions = {RULES_BY_ID[rule_id].version for rule_id in run.selected if rule_id in RULES_BY_ID}
    try:
        run.plan = plan_run(target, run.seed, [test_cost(item) for item in items], grounds=len(versions))
    except PlanError as exc:
        _stop(run, str(exc), USAGE_EXIT)
    if run.target is None:
        return  # the bundled mock starts when a test first needs it, and its ground is this package
    meter = run.shared_meter(run.target)
    if "v1" in versions:
        run.client = Client(run.target, run.ledger.observe, meter=meter)
        _ground(run, run.client, "v1")
    if "v2" in versions and run.v2_target is not None:
        run.v2_client = Client(run.v2_target, run.ledger.observe, meter=meter, api="v2")
        _ground(run, run.v2_client, "v2")


def _ground(run: Run, client: Client, api: str) -> None:
    try:
        check_ground(client, api)
    except (GroundError, BudgetSpent) as exc:
        client.close()
        _stop(run, str(exc), GROUND_EXIT)


def _stop(run: Run, message: str, status: int) -> None:
    run.stopped = message
    pytest.exit(message, returncode=status)


def budget_lines(run: Run) -> list[str]:
    """Return the lines saying how the budget was spent per rule, and which known ids were sampled."""
    plan = run.plan
    if plan is None:
        return []
    limit = f" of --max-requests {plan.budget} ({plan.room} kept for retries)" if plan.budget is not None else ""
    lines = [f"budget: {run.requests} requests sent{limit}, {plan.total} planned; by rule (sent/planned):"]
    spent = [
        f"{rule_id} {run.sent_by_rule.get(rule_id, 0)}/{plan.planned.get(rule_id, 0)}"
        for rule_id in dict.fromkeys([*plan.planned, *run.sent_by_rule])
    ]
    lines += [f"  {', '.join(spent[start : start + 8])}" for start in range(0, len(spent), 8)]
    if plan.budget is not None and plan.sampled:
        lines.append(f"ids sampled for the per-id rules (seed {run.seed}): {', '.join(plan.sampled)}")
        lines.append(f"  of them fetched one by one with /fetch: {', '.join(plan.fetched)}")
    return lines
