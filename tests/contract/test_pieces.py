"""The suite's parts on their own: curl reproductions, Retry-After, how the target is resolved, the report."""

from __future__ import annotations

import email.utils
import re
import time

import pytest

from contract_tests.client import retry_after
from contract_tests.exchange import BEARER_KEY, KEY, Answer, Exchange, Request
from contract_tests.guesses import GuessDiffers, Guesses, drift_as_guess
from contract_tests.ledger import Ledger
from contract_tests.oracle import Drift
from contract_tests.report import State, judge
from contract_tests.rules import RULES
from contract_tests.served import chosen_routes, is_unseen, unseen_because
from contract_tests.submissions import ENDPOINTS, guessed_because
from contract_tests.target import (
    REMOTE_MAX_REQUESTS,
    REMOTE_MAX_SECONDS,
    REMOTE_RATE,
    TargetError,
    is_loopback,
    resolve_target,
)


def test_curl_fills_in_the_key_from_the_environment_and_nothing_else() -> None:
    request = Request("POST", "/fetch-many", (("Authorization", BEARER_KEY), ("X-Note", "$HOME")), b'{"a": 1}')
    assert request.curl("https://api.example.invalid") == (
        "curl -sS -i -X POST https://api.example.invalid/fetch-many "
        "-H \"Authorization: Bearer ${APIFRAME_API_KEY}\" -H 'X-Note: $HOME' -H Content-Type: "
        "--data-binary '{\"a\": 1}'"
    )


def test_curl_sends_an_empty_header_and_any_bytes() -> None:
    request = Request("POST", "/fetch", (("Authorization", ""),), b"\xff'{")
    assert (
        request.curl("http://h")
        == "curl -sS -i -X POST http://h/fetch -H 'Authorization;' -H Content-Type: --data-binary $'\\xff\\x27{'"
    )


def test_curl_keeps_text_around_the_key() -> None:
    request = Request("GET", "/account", (("Authorization", KEY + "x"),))
    assert '-H "Authorization: ${APIFRAME_API_KEY}x"' in request.curl("http://h")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("3", 3.0), ("0", 0.0), ("soon", None), ("", None), ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0)],
)
def test_retry_after_reads_seconds_and_dates(value: str, seconds: float | None) -> None:
    assert retry_after(Answer(429, (("Retry-After", value),), b"{}")) == seconds


def test_retry_after_reads_a_date_to_come() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    waited = retry_after(Answer(429, (("retry-after", later),), b"{}"))
    assert waited is not None
    assert 25 < waited <= 30


def test_retry_after_that_is_no_number_is_no_wait_asked() -> None:
    """Given Retry-After of byte 0xB2 (read as "²", a digit to Unicode), then it asks no wait: the usual ones hold."""
    assert retry_after(Answer(429, (("retry-after", "\u00b2"),), b"{}")) is None


def test_a_remote_target_is_budgeted_and_paced_by_default() -> None:
    target = resolve_target("https://api.example.invalid/", "secret-key", " a, b ,a,, c", None, None)
    assert target is not None
    assert (target.base_url, target.known_ids) == ("https://api.example.invalid", ("a", "b", "c"))
    assert (target.max_requests, target.rate, target.max_seconds) == (
        REMOTE_MAX_REQUESTS,
        REMOTE_RATE,
        REMOTE_MAX_SECONDS,
    )
    assert "secret-key" not in repr(target)


def test_a_loopback_target_runs_unthrottled_unless_told() -> None:
    target = resolve_target("http://127.0.0.1:8000", "k", None, None, None)
    assert target is not None
    assert (target.max_requests, target.rate) == (None, None)
    told = resolve_target("http://localhost:8000", "k", None, 10, 1.5)
    assert told is not None
    assert (told.max_requests, told.rate) == (10, 1.5)


def test_without_a_base_url_the_bundled_mock_is_tested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIFRAME_BASE_URL", raising=False)
    assert resolve_target(None, None, None, None, None) is None


@pytest.mark.parametrize(
    ("url", "key", "limit", "rate", "said"),
    [
        ("ftp://x", "k", None, None, "not an http:// or https:// URL"),
        ("https://me:s3cret@x", "k", None, None, "the base URL names a user or password"),
        ("https://x:99999", "k", None, None, "has no valid port"),
        ("https://x", "", None, None, "no API key"),
        ("https://x", "k", 0, None, "--max-requests 0"),
        ("https://x", "k", None, 0.0, "--rate 0"),
    ],
)
def test_bad_settings_say_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, url: str, key: str, limit: int | None, rate: float | None, said: str
) -> None:
    monkeypatch.delenv("APIFRAME_API_KEY", raising=False)
    with pytest.raises(TargetError, match=re.escape(said)):
        resolve_target(url, key, None, limit, rate)


@pytest.mark.parametrize(
    ("url", "loopback"), [("http://[::1]:80", True), ("http://10.0.0.1", False), ("https://api.apiframe.pro", False)]
)
def test_loopback_is_this_machine_only(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_a_breach_seen_by_the_ledger_is_drift_even_if_no_test_failed() -> None:
    ledger = Ledger()
    ledger.observe(
        Exchange("http://h", Request("GET", "/account"), Answer(502, (("Content-Type", "text/html"),), b"<h1>"))
    )
    verdicts = {verdict.rule.id: verdict for verdict in judge({}, ledger)}
    assert verdicts["NO-5XX"].state is State.DRIFTED
    assert verdicts["CONTENT-TYPE"].state is State.DRIFTED
    assert verdicts["NO-5XX"].drifts[0]["answer"]["status"] == 502
    assert {verdicts[rule.id].state for rule in RULES} - {State.DRIFTED} == {State.NOT_CHECKED}


def test_a_guess_no_calibration_holds_stays_a_guess_under_calibrated() -> None:
    """Given a calibration, when production differs on a guess no setting changes, then it is a guess, not drift."""
    guesses = Guesses({"fetch.unknown_id_status": 404}, "2026-01-02")
    exchange = Exchange("http://h", Request("POST", "/kling-tryon"), Answer(404, (), b"{}"))
    with pytest.raises(GuessDiffers) as raised:
        guesses.settle("ROUTE-UNSEEN", 404, exchange)
    assert raised.value.reason == (
        "the mock guessed 401; production does 404: no setting changes it, "
        "as the mock serves every route an official client calls"
    )
    with pytest.raises(Drift) as drifted:
        guesses.settle("FETCH-UNKNOWN", 400, exchange)
    assert drifted.value.reason == "fetch.unknown_id_status was 404 when calibrated on 2026-01-02, is now 400"


def test_a_404_is_left_free_but_a_400_must_be_json() -> None:
    """Given HTML answers, then a 404 (no page shows one) is no CONTENT-TYPE breach and a 400 is."""
    ledger = Ledger()
    html = (("Content-Type", "text/html"),)
    ledger.observe(Exchange("http://h", Request("POST", "/kling-tryon"), Answer(404, html, b"Cannot POST")))
    assert ledger.minimal("CONTENT-TYPE") is None
    ledger.observe(Exchange("http://h", Request("POST", "/fetch"), Answer(400, html, b"<h1>")))
    assert ledger.breaches["CONTENT-TYPE"][0].reason == "Content-Type is 'text/html', not application/json"


def test_what_no_vendor_page_shows_is_a_guess_and_the_rest_is_not() -> None:
    """Given the routes and endpoints, then only those no page shows on the API's host are the mock's guesses."""
    assert unseen_because("POST /kling-tryon") == "no vendor page shows its path (it comes from the official SDKs)"
    assert unseen_because("POST /pro/seed") == "the vendor serves it on another host (api.apiframe.ai)"
    assert (unseen_because("POST /nano-banana-pro"), unseen_because("GET /account")) == ("", "")
    assert guessed_because(ENDPOINTS["ideogram-remix"]) == (
        "no vendor page shows its body (its fields and answer come from the SDKs and other callers)"
    )
    assert guessed_because(ENDPOINTS["pro/zoom"]) == "the vendor serves it on another host (api.apiframe.ai)"
    assert guessed_because(ENDPOINTS["imagine"]) == ""


def test_a_live_sample_of_routes_holds_one_no_page_shows() -> None:
    """Given any seed, then a budgeted run asks six routes, exactly one of them one no page shows."""
    for seed in ("1", "2", "3"):
        chosen = chosen_routes(False, seed)
        assert (len(chosen), sum(map(is_unseen, chosen))) == (6, 1)


def test_a_drift_where_the_mock_guessed_is_listed_as_a_guess() -> None:
    """Given a drift on an endpoint whose behaviour the mock guessed, then it is a guess; elsewhere it stays drift."""
    exchange = Exchange("http://h", Request("POST", "/ideogram-remix"), Answer(200, (), b'{"task_id": "t"}'))
    with pytest.raises(GuessDiffers) as raised, drift_as_guess("/ideogram-remix", "no page shows it"):
        raise Drift("expected the finished task", exchange)
    assert raised.value.reason == (
        "/ideogram-remix: no page shows it, so the mock's answer is a guess; production: expected the finished task"
    )
    with pytest.raises(Drift), drift_as_guess("/imagine", ""):
        raise Drift("expected 400, got 200", exchange)


def test_an_unknown_parent_refused_with_another_client_error_is_a_guess_accepted_is_drift() -> None:
    """Given an upscale of no task, then a 404 is a guess missed and a 200 drift."""
    request = Request("POST", "/upscale-1x")
    with pytest.raises(GuessDiffers) as raised:
        Guesses().settle_status("SUBMIT-PARENT", Exchange("http://h", request, Answer(404, (), b"{}")))
    assert raised.value.reason == (
        "the mock guessed 400; production does 404: no setting changes it, "
        "as the mock refuses a submission with 400 whatever is wrong with it"
    )
    with pytest.raises(Drift) as drifted:
        Guesses().settle_status("SUBMIT-PARENT", Exchange("http://h", request, Answer(200, (), b"{}")))
    assert drifted.value.reason == "expected a client error saying no task has the id, got 200"


def test_a_bad_key_with_a_bad_body_refused_for_the_body_is_a_guess_missed_a_200_drift() -> None:
    """Given a wrong key and a bad body, then 401 holds, a 400 is AUTH-FIRST missed, and a 200 or a 500 drift."""
    request = Request("POST", "/fetch-many")

    def settle(status: int) -> None:
        Guesses().settle_key_first(Exchange("http://h", request, Answer(status, (), b"{}")))

    settle(401)
    settle(403)
    with pytest.raises(GuessDiffers) as raised:
        settle(400)
    assert raised.value.reason == (
        "the mock guessed the key first; production does the body first (400): no setting changes it, "
        "as the mock judges the key before it reads the body"
    )
    for status in (200, 429, 500):
        with pytest.raises(Drift) as drifted:
            settle(status)
        assert drifted.value.reason == (
            f"expected the key refused (401 or 403), or the body (another client error but 429), got {status}"
        )


def test_a_body_answered_otherwise_than_guessed_is_a_guess_missed_a_5xx_or_a_refused_key_drift() -> None:
    """Given a body that is no object, then 400 holds, 422 or 200 is a guess missed, 500 or 401 drift."""
    request = Request("POST", "/fetch-many")

    def settle(status: int) -> None:
        Guesses().settle_body_status("BODY-NOT-OBJECT", Exchange("http://h", request, Answer(status, (), b"{}")))

    settle(400)
    for status in (422, 200):
        with pytest.raises(GuessDiffers) as raised:
            settle(status)
        assert raised.value.reason == (
            f"the mock guessed 400; production does {status}: no setting changes it, "
            "as the mock refuses a bad request with 400 whatever is wrong with it"
        )
    for status in (500, 401):
        with pytest.raises(Drift) as drifted:
            settle(status)
        assert drifted.value.reason == f"expected an answer to the body (no 5xx, 401, 403 or 429), got {status}"
