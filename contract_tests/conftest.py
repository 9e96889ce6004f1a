"""How the suite is pointed, its fixtures, and the hooks that turn test outcomes into a per-rule report."""

from __future__ import annotations

import contextlib
import random
import socket
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

from mockserver import DEFAULT_API_KEY, ServerThread, create_app, load_fixtures
from mockserver.edges.v1 import Endpoint
from mockserver.wording import counted

from .client import Client, Flake
from .ledger import Ledger
from .oracle import Drift
from .pool import IdPool
from .profiles import LIVE, LOCAL, register_profiles
from .report import Outcome, State, exit_status, judge, render, render_flakes, report_document, write_report
from .rules import MARKERS, RULE_ORDER, RULES_BY_ID
from .submissions import chosen_endpoints
from .summary import contract_results, write_summary
from .target import (
    CONTRACT_BASE_URL_HELP,
    TASK_IDS_ENV,
    Target,
    TargetError,
    contract_options,
    resolve_target,
)

register_profiles()


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


RUN = pytest.StashKey[Run]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the options that point the suite and bound a live run."""
    group = parser.getgroup("apiframe-contract", "Apiframe contract suite")
    for name, kwargs in contract_options(CONTRACT_BASE_URL_HELP):
        # Another plugin (pytest-base-url) may define the option already; its value is read the same way.
        with contextlib.suppress(ValueError):
            group.addoption(name, **kwargs)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, resolve the target, pick the Hypothesis profile and seed."""
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    try:
        target = resolve_target(
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
        profile = LIVE if target is not None and not target.loopback else LOCAL
        settings.load_profile(profile)
    # Hypothesis reads this option after this hook, so a seed chosen here is the one it uses and the one printed.
    if config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(random.randrange(2**32))
    seed = str(config.getoption("hypothesis_seed"))
    run = Run(target, seed, profile, config.getoption("drift_report"), config.getoption("summary"))
    config.stash[RUN] = run
    config.pluginmanager.register(Recorder(run), "apiframe-contract-recorder")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give tests the submit endpoints the run tries: the live sample under the live profile, else every one."""
    endpoints = chosen_endpoints(metafunc.config.stash[RUN].profile != LIVE)
    with_parent = [endpoint for endpoint in endpoints if endpoint.parent is not None]
    for name, chosen in (("submit_endpoint", endpoints), ("parent_endpoint", with_parent)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, chosen, ids=[endpoint.name for endpoint in chosen])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests in the order of the rules, most basic first, and the after-all judges last; count examples."""
    examples = config.stash[RUN].examples
    for item in items:
        for rule_id in rules_of(item):
            examples[rule_id] = examples.get(rule_id, 0) + explicit_examples(item)

    def key(item: pytest.Item) -> tuple[bool, int]:
        marker = item.get_closest_marker("rule")
        last = len(RULE_ORDER)
        rank = RULE_ORDER.get(marker.args[0], last) if marker and marker.args else last
        return item.get_closest_marker("after_all") is not None, rank

    items.sort(key=key)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Attach the test's rule ids and, when it found drift, the reason and the exchange, to its report."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    rules = rules_of(item)
    for rule_id in rules:
        if rule_id not in RULES_BY_ID:
            raise pytest.UsageError(f"{item.nodeid}: unknown rule {rule_id!r}; rules are listed in rules.py")
    report.user_properties.append(("rules", rules))
    drift = first_drift(call.excinfo.value) if call.excinfo is not None else None
    if drift is not None:
        report.user_properties.append(("drift", {"reason": drift.reason, **drift.exchange.describe()}))


def rules_of(item: pytest.Item) -> list[str]:
    """Return the ids of the rules `item` is marked with, on itself or through its parameters."""
    return [marker.args[0] for marker in item.iter_markers("rule") if marker.args]


def explicit_examples(item: pytest.Item) -> int:
    """Return how many explicit examples `item` sends on every run: its Hypothesis examples, else itself once."""
    function = getattr(item, "function", None)
    if not getattr(function, "is_hypothesis_test", False):
        return 1
    return len(getattr(function, "hypothesis_explicit_examples", ()))


def first_drift(error: BaseException) -> Drift | None:
    """Return the Drift that `error` is or holds (Hypothesis groups a flaky server's failures), or None."""
    if isinstance(error, Drift):
        return error
    if isinstance(error, BaseExceptionGroup):
        return next(filter(None, (first_drift(inner) for inner in error.exceptions)), None)
    return None


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
        outcome = Outcome(report.nodeid, report.outcome, reason, drift)
        for rule_id in cast("list[str]", properties.get("rules", [])):
            self.run.outcomes.setdefault(rule_id, []).append(outcome)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print one line per rule, each drift with its curl reproduction, and the seed to replay with."""
    run = config.stash[RUN]
    where = run.target.base_url if run.target is not None else "(not started)"
    heading = (
        f"target {where} | profile {run.profile} | seed {run.seed} | {counted(run.requests, 'request')} "
        f"({counted(run.submissions, 'valid submission')})"
    )
    footer = f"Replay with --hypothesis-seed={run.seed}."
    terminalreporter.section("apiframe contract: one line per rule")
    for line in [*render(judge(run.outcomes, run.ledger, run.examples), heading, footer), *render_flakes(run.flakes)]:
        terminalreporter.write_line(line)
    if run.spent:
        terminalreporter.write_line(f"incomplete: {run.spent}; the rules not checked have no verdict")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the JSON report and the Markdown summary; exit 1 on drift (the ledger can find it after the tests)."""
    run = session.config.stash[RUN]
    verdicts = judge(run.outcomes, run.ledger, run.examples)
    if exitstatus == 0:
        drift = any(verdict.state is State.DRIFTED for verdict in verdicts)
        session.exitstatus = exit_status(drift, bool(run.spent), bool(run.flakes))
    where = run.target.base_url if run.target is not None else "(not started)"
    facts = {"seed": run.seed, "profile": run.profile, "requests": run.requests, "submissions": run.submissions}
    target = run.target.base_url if run.target is not None else None
    document = {"target": target, **facts, "flakes": [flake.describe() for flake in run.flakes]}
    document["replay"] = _replay_command(session.config, run.seed)
    if run.report_path is not None:
        write_report(run.report_path, verdicts, document)
    page_path = session.config.getoption("html_report")
    if page_path is not None:
        from .pages import write_contract_page

        write_contract_page(page_path, report_document(verdicts, document))
    results = contract_results(where, facts, verdicts, run.flakes, run.spent, int(session.exitstatus))
    write_summary(run.summary_path, results)


def _replay_command(config: pytest.Config, seed: str) -> str:
    """Return the command that replays this run: its target (the bundled mock when none was given) and seed."""
    base_url = config.getoption("base_url")
    return f"apiframe-mock contract{f' --base-url {base_url}' if base_url else ''} --hypothesis-seed={seed}"


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Run:
    """Return the run's shared state: target, ledger and findings."""
    return pytestconfig.stash[RUN]


@pytest.fixture(scope="session")
def submit_endpoints(run: Run) -> list[Endpoint]:
    """Return the submit endpoints the run tries, in the order the explicit examples pick them by."""
    return chosen_endpoints(run.profile != LIVE)


@pytest.fixture(scope="session")
def target(run: Run) -> Iterator[Target]:
    """Yield the server under test: the one --base-url names, else the bundled mock, started here."""
    if run.target is not None:
        _check_reachable(run.target.base_url)
        yield run.target
        return
    known = tuple(task["task_id"] for task in load_fixtures().tasks)
    with ServerThread(create_app()) as server:
        run.target = Target(server.url, DEFAULT_API_KEY, known)
        yield run.target


@pytest.fixture(scope="session")
def client(target: Target, run: Run) -> Iterator[Client]:
    """Yield the HTTP client every test sends through: paced, budgeted, and watched by the ledger."""
    sender = Client(target, run.ledger.observe)
    yield sender
    run.requests = sender.sent
    run.spent = sender.spent
    run.submissions = sender.submitted
    run.flakes = sender.flakes
    sender.close()


@pytest.fixture(scope="session")
def pool(target: Target) -> IdPool:
    """Return the ids to ask for: the known ones, and unknown ones to fill up with."""
    return IdPool(target.known_ids)


@pytest.fixture(scope="session")
def known_ids(target: Target) -> tuple[str, ...]:
    """Return the ids known to exist on the target; without any, skip the test and say why."""
    if not target.known_ids:
        pytest.skip(f"needs task ids known to exist: give --task-ids or set ${TASK_IDS_ENV}")
    return target.known_ids


def _check_reachable(url: str) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or "", port), timeout=10).close()
    except OSError as exc:
        pytest.exit(f"cannot reach {url}: {exc.strerror or exc}; check --base-url", returncode=2)


@pytest.fixture(scope="session")
def ledger(run: Run) -> Ledger:
    """Return the ledger: the rules every answer keeps, with each breach seen so far."""
    return run.ledger
