"""Webhooks: which URLs the mock calls, and how it delivers to real receivers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

import mockserver.engine.webhooks
from mockserver.engine.webhooks import ALLOW_ANY, ALLOW_FLAG, DeliveryError, TargetPolicy, WebhookDispatcher
from mockserver.engine.webhooks.client import MAX_HEADER_LINES, MAX_LINE_BYTES, post_json
from mockserver.http.inbox import Inbox, ReceivedWebhook
from mockserver.limits import MAX_BODY_BYTES

from .clock import started, waited
from .webhook_receivers import RECEIVER_PATH, RawReceiver, closed_port_url, hanging, receiving

TASK = {"task_id": "t-1", "task_type": "imagine", "status": "finished", "percentage": 100}
SECRET = "s3cret"
EXAMPLE = "such as http://127.0.0.1:9000/hook"
ABSOLUTE = f"give an absolute http or https URL, {EXAMPLE}"
PORT_RULE = "a port is a number from 1 to 65535"

Dispatchers = Callable[..., WebhookDispatcher]


@pytest.fixture
def dispatchers() -> Iterator[Dispatchers]:
    """Build dispatchers with test-sized timeouts and backoffs; close them all afterwards."""
    made: list[WebhookDispatcher] = []

    def make(**options: Any) -> WebhookDispatcher:
        made.append(WebhookDispatcher(**{"timeout_s": 0.3, "backoff_s": 0.05, **options}))
        return made[-1]

    yield make
    for dispatcher in made:
        dispatcher.close()


def eventually(check: Callable[[], bool], timeout_s: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def statuses(dispatcher: WebhookDispatcher) -> list[tuple[int, int | None, str | None]]:
    return [(record.attempt, record.status, record.error) for record in dispatcher.deliveries()]


# Which URLs


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://127.255.3.4/",
        "http://[::1]:8080/hook?x=1",
        "http://localhost/hook",
        "HTTPS://LocalHost:443/hook",
        "http://user:password@127.0.0.1/hook",
    ],
)
def test_given_no_allowed_hosts_when_a_loopback_url_is_checked_then_it_is_allowed(url: str) -> None:
    assert TargetPolicy().refusal(url) is None


def test_given_no_allowed_hosts_when_example_com_is_checked_then_the_refusal_names_the_host_and_the_flag() -> None:
    assert TargetPolicy().refusal("http://example.com/hook") == (
        'webhook_url "http://example.com/hook" names host example.com, which the mock does not call: '
        "it calls loopback hosts only (127.0.0.0/8, ::1, localhost); "
        "allow it with serve --webhook-allow example.com, or --webhook-allow any"
    )


def test_given_an_allowed_host_when_checked_then_it_and_loopback_pass_and_another_host_is_refused() -> None:
    policy = TargetPolicy(("example.com", "[2001:db8::1]"))
    assert [policy.refusal(url) for url in ("https://EXAMPLE.com/h", "http://[2001:DB8:0::1]/", "http://[::1]/")] == [
        None,
        None,
        None,
    ]
    assert policy.refusal("http://other.example/h") == (
        'webhook_url "http://other.example/h" names host other.example, which the mock does not call: '
        "it calls loopback hosts (127.0.0.0/8, ::1, localhost) and example.com, [2001:db8::1] only; "
        "allow it with serve --webhook-allow other.example, or --webhook-allow any"
    )


def test_given_any_when_a_public_host_is_checked_then_it_is_allowed() -> None:
    assert (ALLOW_FLAG, ALLOW_ANY) == ("--webhook-allow", "any")
    assert TargetPolicy((ALLOW_ANY,)).refusal("https://hooks.example.com:8443/x") is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (42, f"webhook_url is not a string: {ABSOLUTE}"),
        (None, f"webhook_url is not a string: {ABSOLUTE}"),
        ("not a url", f'webhook_url "not a url" is not an http or https URL: give an absolute URL, {EXAMPLE}'),
        ("ftp://h/x", f'webhook_url "ftp://h/x" is not an http or https URL: give an absolute URL, {EXAMPLE}'),
        ("http:///hook", f'webhook_url "http:///hook" names no host: {ABSOLUTE}'),
        ("http://[::1/", f'webhook_url "http://[::1/" is not a URL that can be read: {ABSOLUTE}'),
        (
            "http://a b/",
            f'webhook_url "http://a b/" names no usable host: give a host name or an IP address, {EXAMPLE}',
        ),
        ("http://127.0.0.1:99999/", f'webhook_url "http://127.0.0.1:99999/" has port "99999": {PORT_RULE}'),
        ("http://[::1]:0/", f'webhook_url "http://[::1]:0/" has port "0": {PORT_RULE}'),
        ("http://u:p@localhost:web/", f'webhook_url "http://u:p@localhost:web/" has port "web": {PORT_RULE}'),
    ],
)
def test_given_a_url_that_cannot_be_called_when_checked_then_the_refusal_says_why(url: object, message: str) -> None:
    assert TargetPolicy().refusal(url) == message


def test_given_a_host_longer_than_dns_allows_when_checked_then_it_is_refused_and_the_url_quoted_with_a_cut() -> None:
    url = "http://" + "a" * 254 + "/"
    assert TargetPolicy((ALLOW_ANY,)).refusal(url) == (
        f'webhook_url "{url[:100]}..." names no usable host: give a host name or an IP address, {EXAMPLE}'
    )


def test_given_loopback_written_as_one_number_when_checked_then_it_is_refused_since_names_are_not_resolved() -> None:
    assert TargetPolicy().refusal("http://2130706433/") == (
        'webhook_url "http://2130706433/" names host 2130706433, which the mock does not call: '
        "it calls loopback hosts only (127.0.0.0/8, ::1, localhost); "
        "allow it with serve --webhook-allow 2130706433, or --webhook-allow any"
    )


# Delivering


def test_given_a_receiver_when_a_task_is_sent_then_it_gets_the_json_and_the_secret_and_no_authorization(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers()
    with receiving() as receiver:
        url = receiver.url + RECEIVER_PATH
        dispatcher.send("t-1", url, SECRET, TASK)
        assert dispatcher.wait_idle(5)
        (webhook,) = receiver.inbox.received()
    assert webhook.body == b'{"task_id":"t-1","task_type":"imagine","status":"finished","percentage":100}'
    assert webhook.json == TASK
    host = url.split("/")[2]
    assert webhook.headers == {
        "host": host,
        "user-agent": "apiframe-mock",
        "content-type": "application/json",
        "content-length": str(len(webhook.body)),
        "connection": "close",
        "x-webhook-secret": SECRET,
    }
    (record,) = dispatcher.deliveries()
    assert (record.task_id, record.url, record.body, record.attempt, record.status, record.error, record.ok) == (
        "t-1",
        url,
        TASK,
        1,
        200,
        None,
        True,
    )
    assert record.headers["x-webhook-secret"] == "<redacted>"
    assert record.to_json() == {
        "task_id": "t-1",
        "url": url,
        "headers": {
            "Host": host,
            "User-Agent": "apiframe-mock",
            "Content-Type": "application/json",
            "Content-Length": str(len(webhook.body)),
            "Connection": "close",
            "x-webhook-secret": "<redacted>",
        },
        "body": TASK,
        "attempt": 1,
        "status": 200,
        "error": None,
        "at": record.at,
        "duration_ms": record.duration_ms,
    }
    assert time.time() - 10 < record.at <= time.time()
    assert 0 < record.duration_ms < 5000


def test_given_no_secret_when_sent_then_no_secret_header_goes(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers()
    with receiving() as receiver:
        dispatcher.send("t-1", receiver.url + RECEIVER_PATH, None, TASK)
        assert dispatcher.wait_idle(5)
        (webhook,) = receiver.inbox.received()
    assert "x-webhook-secret" not in webhook.headers
    assert "x-webhook-secret" not in dispatcher.deliveries()[0].headers


def test_given_a_task_changed_after_send_when_delivered_then_the_state_at_send_goes(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers()
    task = dict(TASK, status="processing")
    with receiving() as receiver:
        dispatcher.send("t-1", receiver.url + RECEIVER_PATH, None, task)
        task["status"] = "finished"
        assert dispatcher.wait_idle(5)
        assert [webhook.json["status"] for webhook in receiver.inbox.received()] == ["processing"]


def test_given_a_receiver_answering_500_twice_when_sent_then_the_third_attempt_delivers(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers()
    with receiving(statuses=(500, 500)) as receiver:
        dispatcher.send("t-1", receiver.url + "/flaky", SECRET, TASK)
        assert dispatcher.wait_idle(5)
        assert len(receiver.inbox.received()) == 3
    assert statuses(dispatcher) == [(1, 500, None), (2, 500, None), (3, 200, None)]
    first, second, third = dispatcher.deliveries()
    # Backoff of 0.05 s, then 0.1 s: each attempt starts at least that long after the one before ended.
    assert second.at - first.at >= 0.05
    assert third.at - second.at >= 0.1


def test_given_the_first_payload_is_retried_when_a_second_is_sent_then_the_second_arrives_after_the_first(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers()
    with receiving(statuses=(503,)) as receiver:
        url = receiver.url + "/flaky"
        dispatcher.send("t-1", url, None, dict(TASK, status="processing"))
        dispatcher.send("t-1", url, None, dict(TASK, status="finished"))
        assert dispatcher.wait_idle(5)
        arrived = [webhook.json["status"] for webhook in receiver.inbox.received()]
    assert arrived == ["processing", "processing", "finished"]
    assert statuses(dispatcher) == [(1, 503, None), (2, 200, None), (1, 200, None)]


def test_given_one_task_stuck_on_a_hanging_receiver_when_another_is_sent_then_it_is_delivered_meanwhile(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers(timeout_s=5.0, attempts=1)
    with hanging() as stuck, receiving() as receiver:
        dispatcher.send("slow", stuck, None, TASK)
        dispatcher.send("fast", receiver.url + RECEIVER_PATH, None, TASK)
        assert receiver.inbox.wait_for(1, 3)
        assert eventually(lambda: dispatcher.pending() == 1)
        assert [record.task_id for record in dispatcher.deliveries()] == ["fast"]
        assert dispatcher.wait_idle(0.05) is False


def test_given_a_concurrency_of_one_when_two_tasks_are_sent_then_the_second_attempt_waits_for_the_first(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers(attempts=1, concurrency=1)
    with hanging() as url:
        dispatcher.send("t-1", url, None, TASK)
        dispatcher.send("t-2", url, None, TASK)
        assert dispatcher.wait_idle(5)
    first, second = dispatcher.deliveries()
    assert second.at - first.at >= 0.25


def test_given_a_receiver_that_never_answers_when_sent_then_each_attempt_times_out_and_send_never_blocks(
    dispatchers: Dispatchers, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = dispatchers(attempts=2)
    with hanging() as url, caplog.at_level(logging.WARNING, logger="apiframe_mock.webhooks"):
        started = time.monotonic()
        dispatcher.send("t-1", url, SECRET, TASK)
        assert time.monotonic() - started < 0.5
        assert dispatcher.wait_idle(5)
    assert statuses(dispatcher) == [(1, None, "timed out after 0.3 s"), (2, None, "timed out after 0.3 s")]
    assert all(record.ok is False and 250 <= record.duration_ms < 3000 for record in dispatcher.deliveries())
    assert caplog.messages == [
        f'apiframe-mock: webhook for task "t-1" to "{url}" given up after 2 attempts: timed out after 0.3 s'
    ]


def test_given_a_closed_port_when_sent_then_connection_refused_is_recorded(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers(attempts=1)
    dispatcher.send("t-1", closed_port_url(), None, TASK)
    assert dispatcher.wait_idle(5)
    assert statuses(dispatcher) == [(1, None, "connection refused")]


def test_given_a_receiver_that_keeps_failing_when_given_up_then_one_line_is_logged_with_the_last_status(
    dispatchers: Dispatchers, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = dispatchers(attempts=2)
    with receiving(statuses=(500, 404)) as receiver, caplog.at_level(logging.WARNING):
        url = receiver.url + "/flaky"
        dispatcher.send("t-1", url, None, TASK)
        assert dispatcher.wait_idle(5)
    assert statuses(dispatcher) == [(1, 500, None), (2, 404, None)]
    assert caplog.messages == [
        f'apiframe-mock: webhook for task "t-1" to "{url}" given up after 2 attempts: status 404'
    ]


def test_given_max_pending_reached_when_more_is_sent_then_it_is_dropped_and_counted(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers(max_pending=2, timeout_s=5.0)
    with hanging() as url:
        for number in range(4):
            dispatcher.send(f"t-{number % 2}", url, None, TASK)
        assert (dispatcher.pending(), dispatcher.dropped) == (2, 2)
        dispatcher.clear()
        assert (dispatcher.pending(), dispatcher.dropped, dispatcher.deliveries()) == (2, 0, [])


def test_given_max_records_when_more_attempts_are_made_then_the_newest_are_kept(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers(max_records=2)
    with receiving() as receiver:
        for number in range(3):
            dispatcher.send(f"t-{number}", receiver.url + RECEIVER_PATH, None, dict(TASK, task_id=f"t-{number}"))
            assert dispatcher.wait_idle(5)
    assert [record.task_id for record in dispatcher.deliveries()] == ["t-1", "t-2"]


def test_given_a_dispatcher_when_waited_on_from_a_loop_then_the_loop_is_not_blocked(dispatchers: Dispatchers) -> None:
    dispatcher = dispatchers()

    async def wait() -> bool:
        return await dispatcher.wait_idle_async(5)

    with receiving() as receiver:
        dispatcher.send("t-1", receiver.url + RECEIVER_PATH, None, TASK)
        assert asyncio.run(wait()) is True
        assert dispatcher.pending() == 0


def test_given_a_dispatcher_when_closed_twice_then_later_sends_are_dropped(dispatchers: Dispatchers) -> None:
    unused = dispatchers()
    unused.close()
    dispatcher = dispatchers(timeout_s=5.0)
    with hanging() as url:
        dispatcher.send("t-1", url, None, TASK)
        dispatcher.close()
        dispatcher.close()
        dispatcher.send("t-1", url, None, TASK)
    assert (dispatcher.pending(), dispatcher.dropped, dispatcher.wait_idle(0)) == (0, 1, True)


def test_given_no_attempts_when_a_dispatcher_is_built_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^attempts must be 1 or more, not 0$"):
        WebhookDispatcher(attempts=0)


# The HTTP client, against receivers that answer what a test writes


def post(url: str, headers: dict[str, str] | None = None, timeout_s: float = 2.0) -> int | str:
    """POST ``{}`` to `url`; return the status, or the DeliveryError's reason."""
    try:
        return asyncio.run(post_json(url, b"{}", headers or {}, timeout_s))
    except DeliveryError as exc:
        return str(exc)


def test_given_a_url_with_a_space_and_a_query_when_posted_then_the_request_head_is_exactly_http_1_1() -> None:
    with RawReceiver(b"HTTP/1.1 204 No Content\r\n\r\n") as receiver:
        assert post(f"{receiver.url}/a hook?q=\u00e9&r=1#frag", {"x-webhook-secret": SECRET}) == 204
    host = receiver.url.removeprefix("http://")
    assert receiver.requests == [
        b"POST /a%20hook?q=%C3%A9&r=1 HTTP/1.1\r\nHost: " + host.encode() + b"\r\nUser-Agent: apiframe-mock\r\n"
        b"Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n"
        b"x-webhook-secret: s3cret\r\n\r\n{}"
    ]


@pytest.mark.parametrize(
    ("answer", "result"),
    [
        (b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.0 202\r\n\r\n", 202),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200),
        (b"HTTP/1.1 201 Created\r\n\r\n" + b"x" * 200_000, 201),
        (b"", "connection closed before an answer"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * MAX_HEADER_LINES + b"\r\n", "not an HTTP answer"),
        (b"HTTP/1.1 200 " + b"O" * MAX_LINE_BYTES + b"\r\n\r\n", "not an HTTP answer"),
    ],
)
def test_given_a_raw_answer_when_posted_then_the_status_or_the_reason_is_returned(
    answer: bytes, result: object
) -> None:
    with RawReceiver(answer) as receiver:
        assert post(receiver.url) == result


def test_given_headers_then_a_body_that_never_ends_when_posted_then_the_status_still_counts() -> None:
    with RawReceiver(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", hold_s=2) as receiver:
        since = started()
        assert post(receiver.url, timeout_s=0.3) == 200
        assert waited(since, 0.25)


def test_given_a_receiver_that_resets_when_posted_then_the_reason_is_the_os_words() -> None:
    with RawReceiver(b"", reset=True) as receiver:
        assert post(receiver.url) == "connection reset by peer"


def test_given_an_https_url_on_a_plain_http_port_when_posted_then_tls_fails() -> None:
    with receiving() as receiver:
        assert post(receiver.url.replace("http://", "https://") + RECEIVER_PATH) == "TLS failed: wrong version number"


def test_given_a_host_name_idna_cannot_encode_when_posted_then_the_reason_says_so() -> None:
    assert post("http://" + "a" * 64 + "/") == "encoding with 'idna' codec failed (UnicodeError: label too long)"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http:///x", "/hook", "http://[::1/", "http://127.0.0.1:99999/"])
def test_given_a_url_the_client_cannot_call_when_posted_then_nothing_is_tried(url: str) -> None:
    assert post(url) == "not an absolute http or https URL"


def test_given_an_unreadable_url_when_sent_then_each_attempt_records_why_and_the_queue_moves_on(
    dispatchers: Dispatchers,
) -> None:
    dispatcher = dispatchers(attempts=2)
    with receiving() as receiver:
        dispatcher.send("t-1", "http://[::1/", SECRET, TASK)
        dispatcher.send("t-1", receiver.url + RECEIVER_PATH, SECRET, TASK)
        assert dispatcher.wait_idle(5)
        assert len(receiver.inbox.received()) == 1
    expected = (1, None, "not an absolute http or https URL"), (2, None, "not an absolute http or https URL")
    assert statuses(dispatcher) == [*expected, (1, 200, None)]
    assert dispatcher.deliveries()[0].headers == {"x-webhook-secret": "<redacted>"}


def test_given_a_secret_with_a_line_break_when_posted_then_nothing_is_sent() -> None:
    with RawReceiver(b"HTTP/1.1 200 OK\r\n\r\n") as receiver:
        result = post(receiver.url, {"x-webhook-secret": "a\r\nInjected: yes"})
    assert result == "the x-webhook-secret header holds a line break or NUL, which HTTP cannot carry"
    assert receiver.requests == []


# The receiver inside the mock


def test_given_the_receiver_when_posted_non_json_or_too_much_then_it_keeps_what_fits_and_refuses_the_rest() -> None:
    with receiving() as receiver, httpx.Client(base_url=receiver.url) as client:
        kept = client.post(RECEIVER_PATH, content=b"not json", headers={"X-Test": "1"})
        refused = client.post(RECEIVER_PATH, content=b"x" * (MAX_BODY_BYTES + 1))
        (webhook,) = receiver.inbox.received()
    assert (kept.status_code, kept.headers["content-type"], kept.json()) == (200, "application/json", {})
    assert (refused.status_code, refused.json()) == (
        413,
        {"errors": [{"msg": f"The webhook body is larger than {MAX_BODY_BYTES} bytes, the most the receiver keeps."}]},
    )
    assert (webhook.body, webhook.json, webhook.headers["x-test"]) == (b"not json", None, "1")


def test_given_an_inbox_when_past_its_bound_or_cleared_then_it_keeps_the_newest_or_nothing() -> None:
    inbox = Inbox(max_entries=2)
    for number in range(3):
        inbox.add(ReceivedWebhook({}, str(number).encode(), number))
    assert [webhook.json for webhook in inbox.received()] == [1, 2]
    assert (inbox.wait_for(2, 0), inbox.wait_for(3, 0.01)) == (True, False)
    inbox.clear()
    assert inbox.received() == []


# The interface


def test_the_package_lists_its_public_names_and_each_has_a_docstring() -> None:
    # Its submodules and the __future__ import are attributes too; pytest's assertion rewriting adds "@py_" ones.
    public = {
        name
        for name, value in vars(mockserver.engine.webhooks).items()
        if name.isidentifier() and not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert sorted(mockserver.engine.webhooks.__all__) == sorted(public - {"annotations"})
    assert all(value.__doc__ for value in map(vars(mockserver.engine.webhooks).get, public) if callable(value))
