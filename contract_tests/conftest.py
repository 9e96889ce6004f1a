"""How the suite is pointed, its fixtures, and the hooks that turn test outcomes into a per-rule report."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import settings

from mockserver.errors import UsageError
from mockserver.wording import counted

from . import fixtures
from .budget import budget_lines, plan_and_ground
from .exits import exit_status
from .guesses import GuessDiffers, Guesses
from .oracle import Drift
from .profiles import LIVE, LOCAL, register_profiles
from .report import State, render, render_flakes, render_guesses, report_document, write_report
from .rules import API_CHOICES, DEFAULT_API, MARKERS, RULE_ORDER, RULES_BY_ID
from .run import (
    RUN,
    Recorder,
    Run,
    chosen_out,
    explicit_examples,
    first_of,
    incomplete_reason,
    rules_of,
    verdicts_of,
    versions_of,
)
from .served import chosen_routes, is_unseen
from .submissions import chosen_endpoints
from .summary import contract_results, write_summary
from .target import CONTRACT_BASE_URL_HELP, TargetError, contract_options
from .versions import VERSION_OPTIONS, ids_flag_problem, resolve_targets

register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the options that point the suite and bound a live run."""
    group = parser.getgroup("apiframe-contract", "Apiframe contract suite")
    for name, kwargs in [*contract_options(CONTRACT_BASE_URL_HELP), *VERSION_OPTIONS]:
        # Another plugin (pytest-base-url) may define the option already; its value is read the same way.
        with contextlib.suppress(ValueError):
            group.addoption(name, **kwargs)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, resolve the target, pick the Hypothesis profile and seed."""
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    api = config.getoption("api")
    problem = ids_flag_problem(api, API_CHOICES, config.getoption("task_ids"))
    if problem is not None:
        raise pytest.UsageError(problem)
    try:
        target, v2_target = resolve_targets(
            api,
            config.getoption("v2_base_url"),
            config.getoption("v2_api_key"),
            config.getoption("base_url"),
            config.getoption("api_key"),
            config.getoption("task_ids"),
            config.getoption("max_requests"),
            config.getoption("rate"),
            config.getoption("allow_submissions"),
        )
    except TargetError as exc:
        raise pytest.UsageError(str(exc)) from None
    profile = config.getoption("hypothesis_profile", None)
    if not profile:
        remote = any(reached is not None and not reached.loopback for reached in (target, v2_target))
        profile = LIVE if remote else LOCAL
        settings.load_profile(profile)
    # Hypothesis reads this option after this hook, so a seed chosen here is the one it uses and the one printed.
    if config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(random.randrange(2**32))
    seed = str(config.getoption("hypothesis_seed"))
    run = Run(target, seed, profile, config.getoption("drift_report"), config.getoption("summary"))
    run.strict, run.calibrate = config.getoption("strict"), config.getoption("calibrate")
    run.versions, run.v2_target = API_CHOICES[api], v2_target
    calibrated = config.getoption("calibrated")
    if calibrated is not None:
        try:
            run.guesses = Guesses.calibrated(calibrated)
        except UsageError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.stash[RUN] = run
    config.pluginmanager.register(Recorder(run), "apiframe-contract-recorder")
    config.pluginmanager.register(fixtures, "apiframe-contract-fixtures")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give tests the submit endpoints and served routes the run tries: a sample under the live profile, else all."""
    run = metafunc.config.stash[RUN]
    endpoints = chosen_endpoints(run.profile != LIVE)
    routes = chosen_routes(run.profile != LIVE, run.seed)
    for name, unseen in (("served_route", False), ("unseen_route", True)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, [route for route in routes if is_unseen(route) is unseen])
    with_parent = [endpoint for endpoint in endpoints if endpoint.parent is not None]
    for name, chosen in (("submit_endpoint", endpoints), ("parent_endpoint", with_parent)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, chosen, ids=[endpoint.name for endpoint in chosen])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests in the order of the rules, most basic first, and the after-all judges last; count examples."""
    run = config.stash[RUN]
    chosen = [item for item in items if versions_of(item) <= run.versions]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
        items[:] = chosen
    examples = run.examples
    for item in items:
        for rule_id in rules_of(item):
            examples[rule_id] = examples.get(rule_id, 0) + explicit_examples(item)

    def key(item: pytest.Item) -> tuple[bool, int]:
        marker = item.get_closest_marker("rule")
        last = len(RULE_ORDER)
        rank = RULE_ORDER.get(marker.args[0], last) if marker and marker.args else last
        return item.get_closest_marker("after_all") is not None, rank

    items.sort(key=key)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before anything is sent: plan the selected tests within the budget, then check the ground."""
    if session.items and not session.config.option.collectonly:
        plan_and_ground(session.config.stash[RUN], session.items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, None]:
    """Count the requests the test's fixtures send (v2's job reads) under each of its rules."""
    yield from _count_sent(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    """Count the requests the test sends under each of its rules."""
    yield from _count_sent(item)


def _count_sent(item: pytest.Item) -> Generator[None, Any, None]:
    run = item.config.stash[RUN]
    before = run.meter.sent if run.meter is not None else 0
    yield
    sent = (run.meter.sent if run.meter is not None else 0) - before
    for rule_id in rules_of(item):
        run.sent_by_rule[rule_id] = run.sent_by_rule.get(rule_id, 0) + sent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Attach the test's rule ids and, when it found drift, the reason and the exchange, to its report."""
    # Read before pytest turns a unittest.SkipTest into its own skip, which would hide the reason's kind.
    error = call.excinfo.value if call.excinfo is not None else None
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    rules = rules_of(item)
    for rule_id in rules:
        if rule_id not in RULES_BY_ID:
            raise pytest.UsageError(f"{item.nodeid}: unknown rule {rule_id!r}; rules are listed in rules.py")
    report.user_properties.append(("rules", rules))
    drift = first_of(error, Drift) if error is not None else None
    # A drift beside a guess (Hypothesis groups distinct failures) is the verdict: the guess must not hide it.
    guess = first_of(error, GuessDiffers) if error is not None and drift is None else None
    if guess is not None:
        report.user_properties.append(("guess", guess.describe()))
        if not item.config.stash[RUN].strict:
            # A guess production does otherwise is listed apart, not a failure: pytest shows the test passed.
            report.outcome, report.longrepr = "passed", None
        else:
            report.longrepr = f"{', '.join(rules)}: {guess.reason}\n{guess.exchange.explain()}"
    elif drift is not None:
        report.user_properties.append(("drift", {"reason": drift.reason, **drift.exchange.describe()}))
        # A finding is its rule's verdict, with the request that showed it: never a traceback.
        report.longrepr = f"{', '.join(rules)} drifted: {drift.reason}\n{drift.exchange.explain()}"
    if error is not None and chosen_out(error, item.config.stash[RUN].target):
        report.user_properties.append(("chosen_out", True))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print one line per rule, each drift with its curl reproduction, the budget spent, and the seed to replay with."""
    run = config.stash[RUN]
    if run.stopped or config.option.collectonly:
        return  # the one line pytest.exit printed says it all, or nothing ran
    where = _where(run)
    heading = (
        f"target {where} | profile {run.profile} | seed {run.seed} | {counted(run.requests, 'request')} "
        f"({counted(run.submissions, 'valid submission')})"
    )
    footer = f"Replay with --hypothesis-seed={run.seed}."
    verdicts = verdicts_of(run)
    terminalreporter.section("apiframe contract: one line per rule")
    lines = [*render(verdicts, heading, footer), *render_guesses(verdicts), *render_flakes(run.all_flakes())]
    for line in [*lines, *budget_lines(run)]:
        terminalreporter.write_line(line)
    if run.calibrate is not None:
        terminalreporter.write_line(
            f"calibration written to {run.calibrate}: serve the mock with --config {run.calibrate}"
        )
    missing = incomplete_reason(run, verdicts)
    if missing:
        terminalreporter.write_line(f"incomplete: {missing}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the JSON report and the Markdown summary; set the exit status from the verdicts (the ledger's too)."""
    run = session.config.stash[RUN]
    if run.stopped or session.config.option.collectonly:
        return
    if run.meter is not None:
        run.requests, run.submissions, run.spent = run.meter.sent, run.meter.submitted, run.meter.spent
    flakes = run.all_flakes()
    verdicts = verdicts_of(run)
    incomplete = incomplete_reason(run, verdicts)
    judged = {State.DRIFTED, State.GUESS_MISSED} if run.strict else {State.DRIFTED}
    drift = any(verdict.state in judged for verdict in verdicts)
    # pytest says 1 when a guess's test failed: the verdicts decide whether that is drift.
    if exitstatus in (0, 1):
        session.exitstatus = exit_status(drift, bool(incomplete), bool(flakes))
    if run.calibrate is not None and run.target is not None:
        run.guesses.write(run.calibrate, run.target.base_url)
    where = _where(run)
    facts = {"seed": run.seed, "profile": run.profile, "requests": run.requests, "submissions": run.submissions}
    target = run.target.base_url if run.target is not None else None
    document = {"target": target, **facts, "flakes": [flake.describe() for flake in flakes]}
    document["api"] = sorted(run.versions)
    if run.v2_target is not None:
        document["v2_target"] = run.v2_target.base_url
    document["replay"] = _replay_command(session.config, run.seed)
    if run.plan is not None:
        document["budget"] = {**run.plan.describe(), "sent_by_rule": run.sent_by_rule}
    if run.report_path is not None:
        write_report(run.report_path, verdicts, document)
    page_path = session.config.getoption("html_report")
    if page_path is not None:
        from .pages import write_contract_page

        write_contract_page(page_path, report_document(verdicts, document))
    results = contract_results(where, facts, verdicts, flakes, incomplete, int(session.exitstatus))
    write_summary(run.summary_path, results)


def _where(run: Run) -> str:
    """Name the servers of the run: v1's, and v2's when it is checked on another."""
    if run.target is None:
        return "(not started)"
    v2 = run.v2_target
    if "v1" not in run.versions and v2 is not None:
        return v2.base_url
    return run.target.base_url + (
        f" (v2: {v2.base_url})" if v2 is not None and v2.base_url != run.target.base_url else ""
    )


def _replay_command(config: pytest.Config, seed: str) -> str:
    """Return the command that replays this run: its target (the bundled mock when none was given), API and seed."""
    flags = [
        f"{flag} {value}"
        for flag, value in (
            ("--base-url", config.getoption("base_url")),
            ("--v2-base-url", config.getoption("v2_base_url")),
            ("--api", config.getoption("api") if config.getoption("api") != DEFAULT_API else None),
        )
        if value
    ]
    return " ".join(["apiframe-mock contract", *flags, f"--hypothesis-seed={seed}"])
