"""The journal: every request, recorded by the time its answer arrives, the key redacted."""

from __future__ import annotations

import contextlib

import httpx
import pytest
from starlette.datastructures import Headers

from mockserver import DEFAULT_API_KEY, Journal, MockState, RecordedRequest, ServerThread, create_app
from mockserver.engine.faults import FaultPlan
from mockserver.engine.journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES, redact_authorization


def entry(number: int, size: int = 0) -> RecordedRequest:
    return RecordedRequest("POST", f"/fetch-many?{number}", Headers(), b"x" * size)


def paths(journal: Journal) -> list[str]:
    return [kept.path for kept in journal.entries()]


def test_an_entry_exists_as_soon_as_its_answer_arrives() -> None:
    journal = Journal()
    with ServerThread(create_app(MockState.from_fixtures(), journal=journal)) as server, httpx.Client() as client:
        for count in range(1, 301):
            client.post(f"{server.url}/fetch-many", content=b"{}", headers={"Authorization": DEFAULT_API_KEY})
            assert len(journal.entries()) == count


def test_requests_answered_without_reading_the_body_are_recorded_too() -> None:
    journal = Journal()
    with ServerThread(create_app(MockState.from_fixtures(), journal=journal)) as server:
        httpx.post(f"{server.url}/nowhere", content=b"abc")
        httpx.post(f"{server.url}/fetch-many", json={"task_ids": ["a", "b"]}, headers={"Authorization": "wrong"})
    first, second = journal.entries()
    assert (first.method, first.path, first.json) == ("POST", "/nowhere", None)
    assert (second.path, second.headers["authorization"]) == ("/fetch-many", "<redacted>")


def test_redaction_keeps_only_the_bearer_word() -> None:
    assert redact_authorization("Bearer secret") == "Bearer <redacted>"
    assert redact_authorization("secret") == "<redacted>"
    assert redact_authorization("Basic dXNlcg==") == "<redacted>"


def test_past_its_entry_bound_the_journal_drops_the_oldest_and_counts_them() -> None:
    journal = Journal(max_entries=3)
    for number in range(5):
        journal.record(entry(number))
    assert paths(journal) == ["/fetch-many?2", "/fetch-many?3", "/fetch-many?4"]
    assert journal.dropped == 2


def test_past_its_byte_bound_the_journal_drops_the_oldest_but_keeps_the_newest_whatever_its_size() -> None:
    journal = Journal(max_bytes=10)
    for number in range(3):
        journal.record(entry(number, 4))
    assert (paths(journal), journal.dropped) == (["/fetch-many?1", "/fetch-many?2"], 1)
    journal.record(entry(3, 30))
    assert (paths(journal), journal.dropped) == (["/fetch-many?3"], 3)


def test_clearing_forgets_the_entries_and_the_count_of_dropped_ones() -> None:
    journal = Journal(max_entries=1)
    journal.record(entry(1, 5))
    journal.record(entry(2, 5))
    journal.clear()
    journal.record(entry(3, 5))
    assert (paths(journal), journal.dropped) == (["/fetch-many?3"], 0)


def test_the_default_bounds_hold_ten_thousand_requests_and_64_bodies_of_the_largest_size() -> None:
    assert (JOURNAL_MAX_ENTRIES, JOURNAL_MAX_BYTES) == (10_000, 64 * 2**20)


def journal_after(*faults: dict[str, object], key: str = DEFAULT_API_KEY) -> RecordedRequest:
    """Send one fetch-many with `key` to a journalled mock under `faults`; return its entry."""
    journal = Journal()
    state = MockState.from_fixtures()
    state.store.faults = FaultPlan.from_json({"faults": list(faults)})
    with ServerThread(create_app(state, journal=journal)) as server, contextlib.suppress(httpx.TransportError):
        httpx.post(f"{server.url}/fetch-many", content=BODY, headers={"Authorization": key})
    (only,) = journal.entries()
    return only


BODY = b'{"task_ids": ["a", "b"]}'


def test_a_request_refused_with_401_is_recorded_with_the_body_it_sent() -> None:
    entry = journal_after(key="wrong")
    assert (entry.body, entry.json) == (BODY, {"task_ids": ["a", "b"]})


@pytest.mark.parametrize("kind", ["error", "rate_limit", "drop"])
def test_a_request_a_fault_answers_is_recorded_with_the_body_it_sent(kind: str) -> None:
    entry = journal_after({"kind": kind})
    assert (entry.path, entry.body) == ("/fetch-many", BODY)


def test_the_mocks_own_openapi_document_is_left_out_of_the_journal() -> None:
    journal = Journal()
    with ServerThread(create_app(MockState.from_fixtures(), journal=journal)) as server:
        assert httpx.get(f"{server.url}/openapi.json").status_code == 200
        httpx.get(f"{server.url}/account", headers={"Authorization": DEFAULT_API_KEY})
    assert paths(journal) == ["/account"]
