"""Live safety: the key never shows, the budget and the pace hold, and 429s are waited out, not reported."""

from __future__ import annotations

import importlib
import pkgutil
import time
from pathlib import Path
from typing import Any

import pytest

import contract_tests
from contract_tests.client import BudgetSpent, Client, RateLimitedOut
from contract_tests.exchange import KEY
from contract_tests.target import REMOTE_MAX_REQUESTS, Target
from mockserver import MockState, ServerThread, create_app

from .suite import KNOWN_IDS, run_suite
from .wrapper import Reply, Seen, Wrapped

CANARY = "canary-key-6f1d0c"


def echo_the_key(seen: Seen, reply: Reply) -> Reply:
    """Drift on /account and echo the Authorization header in the answer, as a careless server might."""
    if seen.path != "/account" or reply.status != 200:
        return reply
    return reply.with_json({"echo": seen.headers.get("authorization", "")})


def test_the_key_is_never_printed_or_written(tmp_path: Path) -> None:
    app = Wrapped(create_app(MockState.from_fixtures(api_key=CANARY)), after=echo_the_key)
    with ServerThread(app) as server:
        run = run_suite(server.url, tmp_path, key=CANARY)
    written = (tmp_path / "drift.json").read_text(encoding="utf-8")
    assert run.status == 1
    assert run.drifted() == {"ACCOUNT"}
    assert CANARY not in run.output
    assert CANARY not in written
    assert KEY in written  # the echoed key, replaced by its variable
    assert "Authorization: ${APIFRAME_API_KEY}" in written  # the curl reproduction reads it from the environment


def test_a_run_that_cannot_fit_its_budget_is_refused_and_a_client_stops_at_it(tmp_path: Path) -> None:
    """Given --max-requests 12, then the plan refuses the run up front; a client past its budget sends no more."""
    with ServerThread(create_app()) as server:
        run = run_suite(server.url, tmp_path, "--max-requests", "12")
        client = Client(Target(server.url, "apiframe-mock-key", max_requests=2), lambda exchange: None)
        client.get("/account")
        client.get("/account")
        with pytest.raises(BudgetSpent, match=r"^the request budget \(2\) is spent; raise --max-requests"):
            client.get("/account")
        client.close()

    assert run.status == 4, run.output
    assert "and --max-requests is 12: raise --max-requests to " in run.output
    assert (client.sent, run.report) == (2, {})


def test_the_client_keeps_to_its_rate() -> None:
    with ServerThread(create_app()) as server:
        client = Client(Target(server.url, "apiframe-mock-key", rate=20.0), lambda exchange: None)
        started = time.monotonic()
        for _ in range(6):
            client.get("/account")
        elapsed = time.monotonic() - started
        client.close()
    assert elapsed >= 5 / 20.0


def sometimes_429(every: int, retry_after: str) -> Wrapped:
    """The mock, answering every `every`-th request 429 with the given Retry-After."""
    count = 0

    def before(seen: Seen) -> Seen | Reply:
        nonlocal count
        count += 1
        if count % every:
            return seen
        return Reply(
            429, b'{"errors":[{"msg":"slow down"}]}', {"content-type": "application/json", "retry-after": retry_after}
        )

    return Wrapped(create_app(), before)


def test_429_is_waited_out_and_never_drift(tmp_path: Path) -> None:
    with ServerThread(sometimes_429(5, "0")) as server:
        run = run_suite(server.url, tmp_path)
    assert run.status == 0, run.output
    assert set(run.states().values()) == {"held"}


def test_429_that_never_ends_stops_the_run_at_its_ground(tmp_path: Path) -> None:
    past = "Thu, 01 Jan 1970 00:00:00 GMT"
    with ServerThread(sometimes_429(1, past)) as server:
        run = run_suite(server.url, tmp_path, "-k", "account")
    assert run.status == 8, run.output
    assert "answered only 429 to GET /account: the server kept answering 429" in run.output
    assert run.report == {}


def test_known_ids_are_used_when_given() -> None:
    assert len(KNOWN_IDS.split(",")) >= 40


def test_a_long_retry_after_never_outlasts_the_time_limit() -> None:
    with ServerThread(sometimes_429(1, "30")) as server:
        client = Client(Target(server.url, "apiframe-mock-key", max_seconds=0.5), lambda exchange: None)
        started = time.monotonic()
        with pytest.raises(RateLimitedOut):
            client.get("/account")
        assert time.monotonic() - started < 5
        time.sleep(0.5)
        with pytest.raises(BudgetSpent, match=r"time limit \(0.5 s\)"):
            client.get("/account")
        client.close()


def hypothesis_tests() -> dict[str, Any]:
    """Return every Hypothesis test of the suite, by ``module::name``."""
    found = {}
    for info in pkgutil.iter_modules(contract_tests.__path__):
        if info.name.startswith("test_"):
            module = importlib.import_module(f"contract_tests.{info.name}")
            for name, function in vars(module).items():
                if name.startswith("test_") and getattr(function, "is_hypothesis_test", False):
                    found[f"{info.name}::{name}"] = function
    return found


def test_every_generated_test_has_explicit_examples_for_the_live_profile_to_send() -> None:
    """Given the live profile sends only explicit examples, then no Hypothesis test is left without one."""
    tests = hypothesis_tests()

    assert len(tests) > 20
    assert [name for name, test in tests.items() if not getattr(test, "hypothesis_explicit_examples", ())] == []


def test_a_live_run_sends_every_edge_within_its_budget_with_room_for_retries(tmp_path: Path) -> None:
    """Given the live profile, the remote budget and 5 known ids, then every rule that may run holds, with room."""
    five = ",".join(KNOWN_IDS.split(",")[:5])
    with ServerThread(create_app()) as server:
        budget = ["--max-requests", str(REMOTE_MAX_REQUESTS), "--allow-submissions", "0"]
        run = run_suite(server.url, tmp_path, "--hypothesis-profile", "live", *budget, known=five)

    assert run.status == 0, run.output
    assert run.report["requests"] <= REMOTE_MAX_REQUESTS - 5
    not_selected = {rule["id"] for rule in run.report["rules"] if rule["state"] == "not selected"}
    assert not_selected == {"SUBMIT-OK", "SUBMIT-FETCHABLE"}
    assert all(rule["explicit_examples"] >= 1 for rule in run.report["rules"])
    examples = {rule["id"]: rule["explicit_examples"] for rule in run.report["rules"]}
    assert examples["IDS-UNKNOWN"] >= 10
    assert examples["FETCH-UNKNOWN"] >= 5
    assert examples["FETCH-BODY"] >= 12
