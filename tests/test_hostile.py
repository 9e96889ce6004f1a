"""Hostile input over raw sockets: lying lengths, slow clients, huge headers and bodies are cut off cleanly."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator

import pytest

from mockserver import DEFAULT_API_KEY, MockState, ServerThread

from .clock import started, waited
from .conftest import LANES, Api, lane_app
from .wire import connect

TIMEOUT_S = 0.5
HUGE_INTEGER = (
    "The request body is not usable JSON (Exceeds the limit (4300 digits) for integer string conversion: "
    "value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit): send a JSON object; "
    "task_ids must be an array of 2 to 20 task id strings."
)


@pytest.fixture(scope="module", params=LANES)
def impatient(request: pytest.FixtureRequest) -> Iterator[str]:
    """A mock that waits only `TIMEOUT_S` for a body."""
    state = MockState.from_fixtures()
    state.body_timeout_s = TIMEOUT_S
    with ServerThread(lane_app(state, request.param), head_timeout_s=TIMEOUT_S) as server:
        yield server.url


def read_answer(sock: socket.socket) -> bytes:
    """Read one whole answer, or what comes before the server closes."""
    received = b""
    with contextlib.suppress(OSError):
        while not _complete(received) and (chunk := sock.recv(65536)):
            received += chunk
    return received


def exchange(url: str, raw: bytes, pause_s: float = 0.0, rest: bytes = b"") -> bytes:
    """Send `raw` (then `rest` after `pause_s`) and read the answer; the server may cut the sending short."""
    with connect(url) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(raw)
            if pause_s:
                time.sleep(pause_s)
                sock.sendall(rest)
        return read_answer(sock)


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def parse(received: bytes) -> tuple[int, dict[str, str], object]:
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, json.loads(body)


def request(path: str, body: bytes, length: int | None = None, extra: str = "") -> bytes:
    length = len(body) if length is None else length
    return (
        f"POST {path} HTTP/1.1\r\nHost: mock\r\nAuthorization: {DEFAULT_API_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode() + body


def test_a_declared_length_over_the_limit_is_refused_before_the_body(impatient: str) -> None:
    status, headers, body = parse(exchange(impatient, request("/fetch-many", b"", length=50 * 1024 * 1024)))
    assert (status, headers["content-type"]) == (413, "application/json")
    assert body == {"errors": [{"msg": "The request body is larger than 1048576 bytes, the most the mock accepts."}]}


def test_a_chunked_body_over_the_limit_is_cut_off(impatient: str) -> None:
    head = (
        f"POST /fetch-many HTTP/1.1\r\nHost: mock\r\nAuthorization: {DEFAULT_API_KEY}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    status, _, body = parse(exchange(impatient, head + chunks))
    assert status == 413
    assert body == {"errors": [{"msg": "The request body is larger than 1048576 bytes, the most the mock accepts."}]}


def test_a_length_that_lies_high_gets_408_after_the_timeout(impatient: str) -> None:
    since = started()
    status, headers, body = parse(exchange(impatient, request("/fetch-many", b'{"task_ids": ["a", "b"]}', length=500)))
    assert (status, headers["content-type"]) == (408, "application/json")
    assert body == {
        "errors": [
            {
                "msg": "The request body did not arrive within 0.5 seconds (24 bytes came): "
                "send the whole body at once, with a Content-Length that matches it."
            }
        ]
    }
    assert waited(since, TIMEOUT_S)


def test_a_slow_client_within_the_timeout_is_answered(impatient: str) -> None:
    body = b'{"task_ids": ["a", "b"]}'
    status, _, answer = parse(exchange(impatient, request("/fetch-many", body[:5], length=len(body)), 0.1, body[5:]))
    assert (status, answer) == (200, {"tasks": []})


def test_a_length_that_lies_low_is_refused_in_json(impatient: str) -> None:
    # The server reads the 5 declared bytes; the rest is not HTTP. Which of the two refusals comes
    # first depends on timing; both are JSON 400s.
    status, headers, body = parse(exchange(impatient, request("/fetch-many", b'{"task_ids": ["a", "b"]}', length=5)))
    assert (status, headers["content-type"]) == (400, "application/json")
    assert isinstance(body, dict)
    assert body["errors"][0]["msg"] in (
        "Invalid HTTP request received: the bytes sent are not a valid HTTP/1.1 request.",
        "The request body is not valid JSON (Unterminated string starting at: line 1, column 2): "
        "send a JSON object; task_ids must be an array of 2 to 20 task id strings.",
    )


HEAD_TOO_LATE = {
    "errors": [
        {
            "msg": f"The request line and headers did not arrive within {TIMEOUT_S:g} seconds: "
            "send the whole request head at once."
        }
    ]
}


def test_a_head_that_stops_arriving_gets_408_and_the_connection_closes(impatient: str) -> None:
    since = started()
    head = request("/fetch-many", b'{"task_ids": ["a", "b"]}')
    received = exchange(impatient, head[:40])
    status, headers, body = parse(received)
    assert (status, headers["content-type"], headers["connection"], body) == (
        408,
        "application/json",
        "close",
        HEAD_TOO_LATE,
    )
    assert waited(since, TIMEOUT_S)


def test_a_head_dribbled_a_byte_at_a_time_is_cut_off_at_the_timeout(impatient: str) -> None:
    head = request("/fetch-many", b'{"task_ids": ["a", "b"]}')
    with connect(impatient) as sock:
        with contextlib.suppress(OSError):
            for byte in head[:60]:
                sock.sendall(bytes([byte]))
                time.sleep(0.02)
        status, _, body = parse(read_answer(sock))
    assert (status, body) == (408, HEAD_TOO_LATE)


def test_a_connection_that_never_sends_a_byte_is_closed_without_an_answer(impatient: str) -> None:
    since = started()
    with connect(impatient) as sock:
        assert sock.recv(65536) == b""
    assert waited(since, TIMEOUT_S)


def test_a_slow_head_within_the_timeout_is_answered(impatient: str) -> None:
    head = request("/fetch-many", b'{"task_ids": ["a", "b"]}')
    status, _, answer = parse(exchange(impatient, head[:30], 0.1, head[30:]))
    assert (status, answer) == (200, {"tasks": []})


def test_each_request_on_a_kept_connection_has_its_own_time_for_its_head(impatient: str) -> None:
    with connect(impatient) as sock:
        for _ in range(3):
            sock.sendall(request("/fetch-many", b'{"task_ids": ["a", "b"]}'))
            status, _, answer = parse(read_answer(sock))
            assert (status, answer) == (200, {"tasks": []})
            time.sleep(TIMEOUT_S * 0.6)


def test_a_client_that_leaves_mid_body_does_not_wedge_the_server(impatient: str) -> None:
    exchange(impatient, request("/fetch-many", b'{"task_ids"', length=400))
    client = Api(impatient)
    assert client.post("/fetch-many", {"task_ids": ["a", "b"]}).status == 200
    client.client.close()


def test_huge_headers_are_answered_or_refused_without_a_crash(impatient: str) -> None:
    received = exchange(
        impatient, request("/fetch-many", b'{"task_ids": ["a", "b"]}', extra=f"X-Big: {'a' * 200_000}\r\n")
    )
    if received:
        assert received.split(b" ")[1] in (b"200", b"400", b"431")
    client = Api(impatient)
    assert client.post("/fetch-many", {"task_ids": ["a", "b"]}).status == 200
    client.client.close()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"task_ids": 1, "task_ids": ["a", "b"]}', (200, {"tasks": []})),
        (
            b'{"task_ids": [1e999, "b"]}',
            (
                400,
                {"errors": [{"msg": "task_ids[0] is a number: task_ids must be an array of 2 to 20 task id strings."}]},
            ),
        ),
        (
            b'{"task_ids": [' + b"9" * 5000 + b', "b"]}',
            (400, {"errors": [{"msg": HUGE_INTEGER}]}),
        ),
        (b'{"task_ids": ["\\udc00", "\\ud83d\\ude00"]}', (200, {"tasks": []})),
    ],
    ids=["duplicate-keys-last-wins", "1e999", "huge-integer", "lone-surrogate"],
)
def test_awkward_json_is_answered(api: Api, raw: bytes, expected: tuple[int, object]) -> None:
    answer = api.send("POST", "/fetch-many", raw, {"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.body) == expected
