"""Valid submissions cost credits: none without --allow-submissions, at most N with it, counted at the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.client import Client, SubmissionsSpent
from contract_tests.submissions import SUBMIT_PATHS
from contract_tests.target import REMOTE_SUBMISSIONS, Target, TargetError, resolve_target
from mockserver import DEFAULT_API_KEY, ServerThread, create_app

from .suite import SuiteRun, run_suite
from .wrapper import Reply, Seen, Wrapped, reply_json


class Counter:
    """Counts the requests a server receives at its submit endpoints, and the ones it took (answered 200)."""

    def __init__(self) -> None:
        self.sent = 0
        self.taken = 0

    def count(self, seen: Seen, reply: Reply) -> Reply:
        """Count `seen` if it went to a submit endpoint; leave the answer as it is."""
        if seen.path in SUBMIT_PATHS:
            self.sent += 1
            self.taken += reply.status == 200
        return reply


def run_counted(tmp_path: Path, *args: str, take_everything: bool = False) -> tuple[SuiteRun, Counter]:
    """Run the suite against the mock (or one taking every keyed submission), counting at its submit endpoints."""
    counter = Counter()

    def take(seen: Seen) -> Seen | Reply:
        keyed = seen.headers.get("authorization") == DEFAULT_API_KEY
        return reply_json(200, {"task_id": "taken"}) if seen.path in SUBMIT_PATHS and keyed else seen

    def counted(seen: Seen) -> Seen | Reply:
        # Count the taking server's answers too: it answers before the mock, so `after` never sees them.
        answer = take(seen) if take_everything else seen
        if isinstance(answer, Reply):
            counter.count(seen, answer)
        return answer

    app = Wrapped(create_app(), before=counted, after=counter.count)
    with ServerThread(app) as server:
        return run_suite(server.url, tmp_path, *args), counter


def note(run: SuiteRun, rule_id: str) -> str:
    """Return the report's note on `rule_id`."""
    return str(next(rule["note"] for rule in run.report["rules"] if rule["id"] == rule_id))


def test_a_remote_target_may_send_no_submission_unless_told_and_loopback_any() -> None:
    targets = [
        resolve_target("https://api.example.invalid", "k", None, None, None),
        resolve_target("https://api.example.invalid", "k", None, None, None, 3),
        resolve_target("http://127.0.0.1:8000", "k", None, None, None),
    ]
    assert REMOTE_SUBMISSIONS == 0
    assert [target.allow_submissions if target else "none" for target in targets] == [0, 3, None]
    with pytest.raises(TargetError, match="--allow-submissions -1 is below 0"):
        resolve_target("https://api.example.invalid", "k", None, None, None, -1)


def test_without_the_flag_only_refusals_reach_the_submit_endpoints(tmp_path: Path) -> None:
    run, counter = run_counted(tmp_path, "--allow-submissions", "0", "--hypothesis-profile", "live")
    assert run.status == 0, run.output
    assert (counter.taken, run.report["submissions"]) == (0, 0)
    assert counter.sent > 10
    states = run.states()
    for rule_id in ("SUBMIT-OK", "SUBMIT-FETCHABLE"):
        assert states[rule_id] == "not selected"  # the user's choice: valid submissions cost credits
        assert note(run, rule_id) == (
            "valid submissions cost credits and this run may send none: give --allow-submissions N to check it"
        )
    assert {states[rule] for rule in ("SUBMIT-AUTH", "SUBMIT-REQUIRED", "SUBMIT-TYPES", "SUBMIT-PARENT")} == {"held"}


def test_allow_submissions_2_sends_two_and_checks_both_rules(tmp_path: Path) -> None:
    run, counter = run_counted(tmp_path, "--allow-submissions", "2")
    assert run.status == 0, run.output
    assert (counter.taken, run.report["submissions"]) == (2, 2)
    assert run.states()["SUBMIT-OK"] == run.states()["SUBMIT-FETCHABLE"] == "held"
    assert "(2 valid submissions)" in run.output


def test_a_server_taking_what_it_must_refuse_is_sent_no_more(tmp_path: Path) -> None:
    run, counter = run_counted(tmp_path, "--allow-submissions", "0", take_everything=True)
    assert run.status == 1
    assert "SUBMIT-REQUIRED" in run.drifted()
    assert counter.taken == 1
    assert "accepted a request it must refuse" in note(run, "SUBMIT-PARENT")


def test_the_client_counts_each_submission_against_the_allowance() -> None:
    with ServerThread(create_app()) as server:
        client = Client(Target(server.url, DEFAULT_API_KEY, allow_submissions=1), lambda exchange: None)
        assert client.submit("/imagine", {"prompt": "a lighthouse"}).answer is not None
        with pytest.raises(SubmissionsSpent, match="the 1 valid submissions --allow-submissions 1 allows are spent"):
            client.submit("/imagine", {"prompt": "a lighthouse"})
        refused = client.post("/imagine", {})
        client.close()
    assert (refused.answer.status if refused.answer else None, client.submitted) == (400, 1)
