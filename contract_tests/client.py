"""A plain HTTP client that sends exact bytes, paces itself, keeps to a budget, waits out 429s and retries once.

A live server has bad moments that are not drift: a 429, a dropped connection, an answer slower than
the timeout. Each costs a retry within the budget. A 5xx is sent again once too: if it repeats it is
the answer (and NO-5XX drift), if it does not it is a `Flake`, reported apart.
"""

from __future__ import annotations

import email.utils
import http.client
import time
import unittest
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mockserver.numbers import whole_number

from .exchange import BEARER_KEY, JSON_HEADERS, KEY, Answer, Exchange, Request, json_body
from .meter import Meter
from .submissions import SUBMIT_PATHS
from .target import SUBMISSIONS_FLAG, Target

MAX_RATE_LIMIT_RETRIES = 3
LONGEST_WAIT_S = 60.0
TIMEOUT_S = 30.0
# A server on this machine that takes longer than this is stuck, and a run must not wait on each case.
LOOPBACK_TIMEOUT_S = 5.0
RETRY_PAUSE_S = 0.5
"""The wait before sending again after a 5xx or no answer: a moment for a restarting server, little of the budget."""
KEY_HEADERS = {"v1": "Authorization", "v2": "X-API-Key"}
"""Where each API version takes the key."""
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class BudgetSpent(unittest.SkipTest):
    """The run has sent `--max-requests` requests; what is left is not checked."""


class SubmissionsSpent(unittest.SkipTest):
    """The run has sent the valid submissions `--allow-submissions` allows; what needs more is not checked."""


class RateLimitedOut(unittest.SkipTest):
    """The server kept answering 429 after the suite waited as it asked."""


@dataclass(frozen=True, slots=True)
class Flake:
    """A 5xx (`first`) that did not repeat when the same request was sent again (`retry`): not drift."""

    first: Exchange
    retry: Exchange

    @property
    def reason(self) -> str:
        """Say what happened, in one line."""
        assert self.first.answer is not None
        again = self.retry.answer.status if self.retry.answer is not None else f"no answer ({self.retry.problem})"
        return f"answered {self.first.answer.status}, then {again} when sent again"

    def describe(self) -> dict[str, Any]:
        """Return the flake as JSON-ready data: why, and the first exchange (request with its curl, and answer)."""
        return {"reason": self.reason, **self.first.describe()}


class Client:
    """Sends requests to one target; every exchange is shown to `observe` (the ledger)."""

    def __init__(
        self,
        target: Target,
        observe: Callable[[Exchange], None],
        timeout_s: float | None = None,
        meter: Meter | None = None,
        api: str = "v1",
    ) -> None:
        self.target = target
        self.key_header = KEY_HEADERS[api]
        """The header the key goes in: v1's `Authorization`, v2's `X-API-Key`."""
        self.observe = observe
        self.timeout_s = timeout_s or (LOOPBACK_TIMEOUT_S if target.loopback else TIMEOUT_S)
        self.meter = meter if meter is not None else Meter.of(target)
        """The run's budget, pace and submissions: another client of the run (v2's beside v1's) shares it."""
        self.flakes: list[Flake] = []
        """Every 5xx that did not repeat when sent again, oldest first."""
        self._connection: http.client.HTTPConnection | None = None
        self._reused = False
        # A base URL with a path (a proxy, a gateway) keeps it in front of every route.
        self._prefix = urlsplit(target.base_url).path.rstrip("/")

    @property
    def sent(self) -> int:
        """Requests the run has sent, through this client and any sharing its meter."""
        return self.meter.sent

    @property
    def spent(self) -> str:
        """Why the budget stopped the run, once it has; empty until then."""
        return self.meter.spent

    @property
    def submitted(self) -> int:
        """Valid submissions the run has sent (and requests a submit endpoint took although it must refuse them)."""
        return self.meter.submitted

    def post(self, path: str, payload: object, auth: str | None = KEY) -> Exchange:
        """POST `payload` as JSON with the key (or the `auth` header value given; None sends none)."""
        return self.send(Request("POST", path, self._with_auth(JSON_HEADERS, auth), json_body(payload)))

    def post_raw(self, path: str, body: bytes, auth: str | None = KEY, content_type: bool = True) -> Exchange:
        """POST the exact bytes `body`, labelled JSON unless `content_type` is false."""
        return self.send(Request("POST", path, self._with_auth(JSON_HEADERS if content_type else (), auth), body))

    def submit(self, path: str, payload: object, headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
        """POST the valid submission `payload` with the key (and `headers`), if `--allow-submissions` leaves one."""
        request = Request("POST", path, self._with_auth((*JSON_HEADERS, *headers), KEY), json_body(payload))
        return self.send(request, submission=True)

    def get(self, path: str, auth: str | None = KEY) -> Exchange:
        """GET `path` with the key (or the `auth` header value given)."""
        return self.send(Request("GET", path, self._with_auth((), auth)))

    def send(self, request: Request, submission: bool = False) -> Exchange:
        """Send `request` (a valid submission if `submission`), waiting out 429s and retrying a failure once."""
        # Only the run's own key can spend the account's credits; a request without it never costs any.
        costly = _costs(request) and _carries_key(request)
        self._check_submissions(submission, costly)
        exchange = self._send_paced(request)
        if _failed(exchange) and self._may_retry(submission):
            first = exchange
            time.sleep(min(RETRY_PAUSE_S, max(self._time_left(), 0.0)))
            exchange = self._send_paced(request)
            self.meter.submitted += int(submission)  # the first attempt may have started a task too
            if first.answer is not None and not _failed(exchange):
                self.flakes.append(Flake(first, exchange))
        taken = exchange.answer is not None and 200 <= exchange.answer.status < 300
        if submission or (costly and taken):
            self.meter.submitted += 1
        self.observe(exchange)
        return exchange

    def _send_paced(self, request: Request) -> Exchange:
        """Send `request`, waiting out 429s as Retry-After says; raise RateLimitedOut if they never end."""
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            exchange = self._send_once(request)
            if exchange.answer is None or exchange.answer.status != 429:
                return exchange
            if attempt < MAX_RATE_LIMIT_RETRIES:
                asked = retry_after(exchange.answer)
                wait = min(2.0**attempt if asked is None else asked, LONGEST_WAIT_S)
                if wait > self._time_left():
                    break
                time.sleep(wait)
        raise RateLimitedOut("the server kept answering 429 after the waits it asked for; try a lower --rate")

    def _may_retry(self, submission: bool) -> bool:
        """Say whether a failed request may be sent again: a valid submission only if another one is allowed."""
        allowed = self.meter.allow_submissions
        return not submission or allowed is None or self.submitted + 1 < allowed

    def ensure_submission_left(self) -> None:
        """Raise SubmissionsSpent, naming the flag, unless one more valid submission may be sent."""
        self._check_submissions(submission=True, costly=True)

    def _check_submissions(self, submission: bool, costly: bool) -> None:
        allowed = self.meter.allow_submissions
        if allowed is None:
            return
        if submission and self.submitted >= allowed:
            if allowed == 0:
                raise SubmissionsSpent(
                    f"valid submissions cost credits and this run may send none: give {SUBMISSIONS_FLAG} N to check it"
                )
            raise SubmissionsSpent(
                f"the {allowed} valid submissions {SUBMISSIONS_FLAG} {allowed} allows are spent; raise it to check this"
            )
        # A server that took a request it must refuse may have charged for it: send its submit endpoints no more.
        if costly and not submission and self.submitted > allowed:
            raise SubmissionsSpent(
                "a submit endpoint accepted a request it must refuse, which may have cost credits: "
                "the run sends the submit endpoints nothing more"
            )

    def _with_auth(self, headers: tuple[tuple[str, str], ...], auth: str | None) -> tuple[tuple[str, str], ...]:
        return headers if auth is None else ((self.key_header, auth), *headers)

    def close(self) -> None:
        """Close the kept-alive connection, if any."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _send_once(self, request: Request) -> Exchange:
        for _ in range(2):
            self._spend()
            connection = self._connect()
            try:
                connection.request(
                    request.method, self._prefix + request.path, request.body, headers=self._headers(request)
                )
                response = connection.getresponse()
                raw = response.read()
            except _STALE as exc:
                self.close()
                if self._reused:
                    continue  # the server closed a kept-alive connection between requests: send again
                return Exchange(self.target.base_url, request, None, f"connection closed: {type(exc).__name__}")
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                return Exchange(self.target.base_url, request, None, f"{type(exc).__name__}: {exc}")
            self._reused = True
            if response.will_close:
                self.close()
            headers = tuple((name, self._redact(value)) for name, value in response.getheaders())
            return Exchange(self.target.base_url, request, Answer(response.status, headers, self._redact_bytes(raw)))
        return Exchange(self.target.base_url, request, None, "connection closed twice")

    def _time_left(self) -> float:
        return self.meter.time_left()

    def _spend(self) -> None:
        refused = self.meter.spend()
        if refused:
            raise BudgetSpent(refused)

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            parts = urlsplit(self.target.base_url)
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            self._connection = kind(parts.hostname or "", parts.port, timeout=self.timeout_s)
            self._reused = False
        return self._connection

    def _headers(self, request: Request) -> dict[str, str]:
        return {name: value.replace(KEY, self.target.api_key) for name, value in request.headers}

    def _redact(self, text: str) -> str:
        return text.replace(self.target.api_key, KEY)

    def _redact_bytes(self, raw: bytes) -> bytes:
        return raw.replace(self.target.api_key.encode(), KEY.encode())


def retry_after(answer: Answer) -> float | None:
    """Return the seconds a 429's Retry-After asks for (delta seconds or an HTTP date), or None."""
    value = next((value for name, value in answer.headers if name.lower() == "retry-after"), "").strip()
    seconds = whole_number(value)
    if seconds is not None:
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _failed(exchange: Exchange) -> bool:
    """Say whether the exchange is worth sending again: no answer (dropped, timed out), or a 5xx."""
    return exchange.answer is None or exchange.answer.status >= 500


def _costs(request: Request) -> bool:
    """Say whether `request`, with the key, may start a job that costs credits: a submission of v1, a POST of v2."""
    return request.path in SUBMIT_PATHS or (request.method == "POST" and request.path.startswith("/v2/"))


def _carries_key(request: Request) -> bool:
    return any(name.lower() in _KEYED and value in (KEY, BEARER_KEY) for name, value in request.headers)


_KEYED = frozenset(header.lower() for header in KEY_HEADERS.values())
