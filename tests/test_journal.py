"""The journal: every request, recorded by the time its answer arrives, the key redacted."""

from __future__ import annotations

import httpx

from mockserver import DEFAULT_API_KEY, Journal, MockState, ServerThread, create_app
from mockserver.journal import redact_authorization


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
