"""The proxy's own HTTP/1.1 front, as an app's client meets it on the wire: framing, pipelining, refusals, timeouts."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import select
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, BinaryIO

import pytest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from contract_tests.exchange import Exchange
from contract_tests.proxy import Proxy, RelayServer, Timeouts, Watch
from contract_tests.proxy.limits import MAX_HEAD, REQUEST_KEPT
from contract_tests.proxy.watch import Findings
from mockserver import ServerThread
from mockserver.server import bind_socket

from .wire import connect

TIMEOUT_S = 0.3
"""The timeouts of the proxy under test: short, so that each waits a fraction of a second."""
BODY_TIMEOUT_S = 0.3
"""How long the second proxy under test reads a short body whole before it hands it on as it comes (the first
keeps the default, outlasting its keep-alive)."""
STALL_S = 0.6
"""How long the second proxy under test waits for a piece of a body the upstream has not answered."""


SEEN: list[str] = []
"""The path of every request the echoing upstream was sent, in order."""
BROTLI = b"\x1b\x05\x00 br bytes, passed on as they are"
"""A body in an encoding the proxy does not undo (br): it passes on unjudged, streamed as it comes."""


async def echo(request: Request) -> JSONResponse:
    """Say what arrived: method, path as sent, query, and the body's length and digest."""
    SEEN.append(request.url.path)
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "path": request.scope["raw_path"].decode(),
            "query": request.scope["query_string"].decode(),
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
    )


async def hop(request: Request) -> JSONResponse:
    """Say which headers arrived, and answer with one that its Connection header keeps to this connection."""
    headers = {"connection": "x-answer-hop", "x-answer-hop": "1", "x-answer-end": "1"}
    return JSONResponse(sorted(request.headers.keys()), headers=headers)


async def brotli(_: Request) -> Response:
    """Answer in br, in chunks of unknown length (no Content-Length)."""

    async def pieces() -> AsyncIterator[bytes]:
        yield BROTLI

    return StreamingResponse(pieces(), headers={"content-encoding": "br"})


async def late_reader(request: Request) -> JSONResponse:
    """Take the body only after longer than the proxy waits for one: the proxy, not the app, is kept waiting."""
    await asyncio.sleep(STALL_S * 1.5)
    return await echo(request)


async def impatient(request: Request) -> JSONResponse:
    """Answer 408 without waiting for the body, as an upstream out of patience with a stalled app would."""
    SEEN.append(request.url.path)
    return JSONResponse({"error": "the upstream's own 408"}, status_code=408)


@pytest.fixture(scope="module")
def body_url() -> Iterator[str]:
    """A proxy with short body timeouts in front of the echoing upstream."""
    routes = [Route("/late", late_reader, methods=["POST"]), Route("/impatient", impatient, methods=["POST"])]
    upstream = Starlette(routes=[*routes, Route("/{rest:path}", echo, methods=["POST"])])
    timeouts = Timeouts(body_s=BODY_TIMEOUT_S, stall_s=STALL_S)
    with ServerThread(upstream) as server, ServerThread(RelayServer(Proxy(server.url, Watch()), timeouts)) as front:
        yield front.url


@pytest.fixture(scope="module")
def proxy_url() -> Iterator[str]:
    """A proxy with short timeouts in front of an upstream that echoes what it was sent."""
    methods = ["GET", "POST", "PUT", "DELETE"]
    routes = [Route("/br", brotli), Route("/hop", hop), Route("/{rest:path}", echo, methods=methods)]
    upstream = Starlette(routes=routes)
    with ServerThread(upstream) as server:
        relay = RelayServer(Proxy(server.url, Watch()), Timeouts(head_s=TIMEOUT_S, keep_alive_s=TIMEOUT_S))
        with ServerThread(relay) as front:
            yield front.url


def read_answer(reader: BinaryIO, head_only: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Read one answer off the wire: status, headers (names in lower case) and body (by its Content-Length)."""
    status = int(reader.readline().split(b" ")[1])
    headers: dict[str, str] = {}
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, b"" if head_only else reader.read(int(headers.get("content-length", "0")))


def refused(url: str, *sent: bytes) -> tuple[int, str, Any]:
    """Send `sent` on a new connection; return status, Connection header and JSON body of its one answer."""
    with connect(url) as sock, sock.makefile("rb") as reader:
        for data in sent:
            sock.sendall(data)
        status, headers, body = read_answer(reader)
        assert reader.read() == b""
    return status, headers["connection"], json.loads(body)


def echoed(body: bytes) -> Any:
    return json.loads(body)


def test_pipelined_requests_are_answered_in_the_order_they_were_sent(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"".join(b"GET /%d HTTP/1.1\r\nHost: app\r\n\r\n" % number for number in range(5)))
        paths = [echoed(read_answer(reader)[2])["path"] for _ in range(5)]
    assert paths == ["/0", "/1", "/2", "/3", "/4"]


def test_a_body_longer_than_the_proxy_keeps_is_streamed_on_whole(proxy_url: str) -> None:
    body = bytes(range(256)) * (3 * REQUEST_KEPT // 256)
    head = b"POST /upload?x=1 HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % len(body)
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(head + body)
        status, _, answer = read_answer(reader)
    assert (status, echoed(answer)) == (
        200,
        {
            "method": "POST",
            "path": "/upload",
            "query": "x=1",
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        },
    )


def test_an_absolute_url_is_forwarded_as_its_path_and_query(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET http://api.example/fetch?id=7 HTTP/1.1\r\nHost: api.example\r\n\r\n")
        _, _, answer = read_answer(reader)
    assert (echoed(answer)["path"], echoed(answer)["query"]) == ("/fetch", "id=7")


def test_expect_100_continue_is_answered_before_the_body_is_sent(proxy_url: str) -> None:
    head = b"POST /late HTTP/1.1\r\nHost: app\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(head)
        assert reader.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert reader.readline() == b"\r\n"
        sock.sendall(b"ping")
        status, _, answer = read_answer(reader)
    assert (status, echoed(answer)["length"]) == (200, 4)


def test_connection_close_is_honoured_after_the_answer(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /once HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n")
        status, headers, _ = read_answer(reader)
        assert reader.read() == b""
    assert (status, headers["connection"]) == (200, "close")


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 a TLS hello\r\n\r\n",
            "Invalid method encountered: the bytes sent are not a valid HTTP/1.1 request.",
        ),
        (
            b"GET /socket HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "the proxy relays no protocol upgrade (WebSocket): send plain HTTP/1.1.",
        ),
    ],
    ids=["not HTTP", "an upgrade"],
)
def test_what_the_proxy_cannot_relay_gets_a_400_in_the_mocks_shape_and_the_connection_closes(
    proxy_url: str, sent: bytes, message: str
) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(sent)
        status, headers, body = read_answer(reader)
        assert reader.read() == b""
    assert (status, headers["connection"], json.loads(body)) == (400, "close", {"errors": [{"msg": message}]})


def test_a_head_that_does_not_arrive_in_time_gets_a_408_in_the_mocks_shape(proxy_url: str) -> None:
    answer = refused(proxy_url, b"GET /slow HTTP/1.1\r\nHost: app\r\n")
    message = f"The request line and headers did not arrive within {TIMEOUT_S:g} seconds: " + (
        "send the whole request head at once."
    )
    assert answer == (408, "close", {"errors": [{"msg": message}]})


def test_a_connection_left_idle_is_closed_without_an_answer(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /first HTTP/1.1\r\nHost: app\r\n\r\n")
        assert read_answer(reader)[0] == 200
        assert reader.read() == b""


def test_a_head_over_its_limit_gets_a_431_in_the_mocks_shape_and_the_connection_closes(proxy_url: str) -> None:
    headers = b"".join(b"X-Filler-%d: %b\r\n" % (number, b"f" * 1000) for number in range(MAX_HEAD // 1000 + 2))
    answer = refused(proxy_url, b"GET /big HTTP/1.1\r\nHost: app\r\n" + headers + b"\r\n")
    message = f"the request line and headers are over {MAX_HEAD >> 10} KiB: send at most that much."
    assert answer == (431, "close", {"errors": [{"msg": message}]})


def test_a_head_answer_passed_on_as_it_comes_has_no_body_and_the_next_answer_follows_it(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"HEAD /br HTTP/1.1\r\nHost: app\r\n\r\n")
        status, headers, _ = read_answer(reader, head_only=True)
        sock.sendall(b"GET /after HTTP/1.1\r\nHost: app\r\n\r\n")
        after, _, answer = read_answer(reader)
    assert (status, headers["content-encoding"], "transfer-encoding" in headers) == (200, "br", False)
    assert (after, echoed(answer)["path"]) == (200, "/after")


def test_an_http_10_app_gets_an_answer_of_unknown_length_unchunked_ending_with_the_connection(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /br HTTP/1.0\r\nHost: app\r\nConnection: keep-alive\r\n\r\n")
        status, headers, _ = read_answer(reader, head_only=True)
        body = reader.read()
    assert (status, headers.get("transfer-encoding"), headers["connection"], body) == (200, None, "close", BROTLI)


def test_bytes_that_are_not_http_behind_a_request_are_refused_after_its_answer(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /before HTTP/1.1\r\nHost: app\r\n\r\n\x16\x03\x01 a TLS hello\r\n\r\n")
        first, headers, answer = read_answer(reader)
        refused, _, _ = read_answer(reader)
        assert reader.read() == b""
    assert (first, echoed(answer)["path"], headers["connection"], refused) == (200, "/before", "close", 400)


def test_bytes_that_are_not_http_in_a_chunked_body_under_way_are_refused_and_the_connection_closes(
    proxy_url: str,
) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /chunks HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        sock.sendall(b"not a chunk size\r\n\r\n")
        status, headers, body = read_answer(reader)
        assert reader.read() == b""
    message = "Invalid character in chunk size: the bytes sent are not a valid HTTP/1.1 request."
    assert (status, headers["connection"], json.loads(body)) == (400, "close", {"errors": [{"msg": message}]})


def test_a_refused_upgrade_never_reaches_the_upstream(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /upgraded HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        assert read_answer(reader)[0] == 400
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"GET /after-upgrade HTTP/1.1\r\nHost: app\r\n\r\n")
        assert read_answer(reader)[0] == 200
    assert ("/upgraded" in SEEN, "/after-upgrade" in SEEN) == (False, True)


def test_a_connection_taking_a_body_in_is_not_closed_as_idle(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /slow-body HTTP/1.1\r\nHost: app\r\nContent-Length: 4\r\n\r\npi")
        # Three times the keep-alive: a connection taken for idle would be closed by now, and readable at its end.
        assert select.select([sock], [], [], 3 * TIMEOUT_S)[0] == []
        sock.sendall(b"ng")
        status, _, answer = read_answer(reader)
    assert (status, echoed(answer)["length"]) == (200, 4)


@pytest.mark.parametrize("length", [4, REQUEST_KEPT + 4], ids=["short body", "long body"])
def test_a_connection_that_took_a_slow_body_in_is_closed_once_idle_for_its_keep_alive(
    proxy_url: str, length: int
) -> None:
    body = b"b" * length
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /slow-body HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n%b" % (length, body[:2]))
        # Past a look of the front's timer while the body is awaited (10 s for a short one, 120 s for a long one).
        assert select.select([sock], [], [], 2 * TIMEOUT_S)[0] == []
        sock.sendall(body[2:])
        assert read_answer(reader)[0] == 200
        # Idle, it is closed after its keep-alive, not at the deadline of a body that came long ago.
        assert select.select([sock], [], [], 5 * TIMEOUT_S)[0] == [sock]
        assert reader.read() == b""


def test_a_long_body_no_upstream_took_is_read_to_its_end_and_the_connection_kept() -> None:
    dead = bind_socket()
    port = dead.getsockname()[1]
    dead.close()  # nothing listens there: each request is answered 502 without its body being read
    body = b"x" * (32 << 20)  # more than the sockets on both sides hold: the app finishes sending only if it is read
    head = b"POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % len(body)
    relay = RelayServer(Proxy(f"http://127.0.0.1:{port}", Watch()))
    with ServerThread(relay) as front, connect(front.url) as sock, sock.makefile("rb") as reader:
        sock.sendall(head + body)
        first = read_answer(reader)[0]
        sock.sendall(b"GET /next HTTP/1.1\r\nHost: app\r\n\r\n")
        assert (first, read_answer(reader)[0]) == (502, 502)


def test_bytes_that_are_not_http_in_a_body_whose_request_was_answered_close_the_connection_unanswered() -> None:
    dead = bind_socket()
    port = dead.getsockname()[1]
    dead.close()  # nothing listens there: the request is answered 502 while its body still comes
    relay = RelayServer(Proxy(f"http://127.0.0.1:{port}", Watch()))
    with ServerThread(relay) as front, connect(front.url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /chunks HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        first = read_answer(reader)[0]
        sock.sendall(b"not a chunk size\r\n\r\n")
        # One answer to one request: the 400 such bytes get would be a second one.
        assert (first, reader.read()) == (502, b"")


def test_requests_queued_behind_the_one_under_way_are_not_sent_on_once_the_app_has_left() -> None:
    seen: list[str] = []
    arrived, release, told = threading.Event(), threading.Event(), threading.Event()

    async def held(request: Request) -> Response:
        seen.append(request.url.path)
        arrived.set()
        await run_in_threadpool(release.wait, 10)
        return Response(b"late")

    def tell(exchange: Exchange, _: Findings) -> None:
        told.set()

    upstream = Starlette(routes=[Route("/{rest:path}", held, methods=["GET", "POST"])])
    with (
        ServerThread(upstream) as server,
        ServerThread(RelayServer(Proxy(server.url, Watch(), observer=tell))) as front,
    ):
        with connect(front.url) as sock:
            submit = b"POST /submit HTTP/1.1\r\nHost: app\r\nContent-Length: 2\r\n\r\n{}"
            sock.sendall(b"GET /held HTTP/1.1\r\nHost: app\r\n\r\n" + submit * 3)
            assert arrived.wait(10)
        release.set()
        # Told of the first exchange, the proxy has gone on to what it queued; stopping ends the rest.
        assert told.wait(10)
    assert seen == ["/held"]


def test_an_upgrade_to_another_protocol_is_answered_in_http_11_and_the_connection_closed(proxy_url: str) -> None:
    head = b"GET /h2c HTTP/1.1\r\nHost: app\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(head + b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
        status, headers, answer = read_answer(reader)
        assert reader.read() == b""
    assert (status, headers["connection"], echoed(answer)["path"]) == (200, "close", "/h2c")


@contextlib.contextmanager
def answering_early(answer: bytes) -> Iterator[str]:
    """An upstream that sends `answer` once a request's head is in, stops sending, and reads what comes until the
    proxy closes; yields its URL."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_early() -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(OSError):
            taken = b""
            while b"\r\n\r\n" not in taken:
                taken += connection.recv(1 << 16)
            connection.sendall(answer)
            connection.shutdown(socket.SHUT_WR)
            while connection.recv(1 << 20):
                pass

    upstream = threading.Thread(target=answer_early, daemon=True)
    upstream.start()
    with listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        upstream.join(10)


def test_an_answer_the_upstream_gives_before_taking_the_whole_body_reaches_the_app() -> None:
    body = b"x" * (32 << 20)
    head = b"POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % len(body)
    with (
        answering_early(b"HTTP/1.1 413 Content Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n") as url,
        ServerThread(RelayServer(Proxy(url, Watch()))) as front,
        connect(front.url) as sock,
        sock.makefile("rb") as reader,
    ):
        sock.sendall(head + body)
        assert read_answer(reader)[0] == 413


def test_a_long_answer_the_upstream_gives_before_the_body_is_whole_reaches_the_app_though_the_body_pauses() -> None:
    refusal = b"r" * (512 << 10)  # more than the proxy reads ahead of the app
    early = b"HTTP/1.1 413 Content Too Large\r\ncontent-length: %d\r\n\r\n" % len(refusal) + refusal
    with (
        answering_early(early) as url,
        ServerThread(RelayServer(Proxy(url, Watch()), Timeouts(stall_s=STALL_S))) as front,
        connect(front.url) as sock,
        sock.makefile("rb") as reader,
    ):
        # Half the body, then the app waits for the answer: the upstream has given one, not the proxy's 408.
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % (4 * REQUEST_KEPT))
        sock.sendall(b"x" * (2 * REQUEST_KEPT))
        status, _, answer = read_answer(reader)
    assert (status, answer == refusal) == (413, True)


def test_a_long_answer_the_upstream_gives_early_reaches_an_app_that_sends_its_whole_body_before_reading() -> None:
    refusal = b"r" * (4 << 20)  # more than the sockets on the way hold: the proxy waits for the app to read it
    early = b"HTTP/1.1 413 Content Too Large\r\ncontent-length: %d\r\n\r\n" % len(refusal) + refusal
    body = b"x" * (32 << 20)
    with (
        answering_early(early) as url,
        ServerThread(RelayServer(Proxy(url, Watch()))) as front,
        connect(front.url) as sock,
        sock.makefile("rb") as reader,
    ):
        # The app reads nothing until it has sent it all: the proxy must read the body on, as it is not held for anyone.
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        status, _, answer = read_answer(reader)
    assert (status, answer == refusal) == (413, True)


def test_a_short_body_not_all_there_in_time_goes_on_as_it_comes_and_the_app_gets_the_upstreams_answer(
    body_url: str,
) -> None:
    with connect(body_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /impatient HTTP/1.1\r\nHost: app\r\nContent-Length: 10\r\n\r\nabc")
        status, _, body = read_answer(reader)
        # The rest of the body never comes: once the proxy stops waiting for it, the connection closes.
        assert reader.read() == b""
    assert (status, json.loads(body), "/impatient" in SEEN) == (408, {"error": "the upstream's own 408"}, True)


def test_a_body_that_stalls_with_the_upstream_silent_gets_a_408_in_the_mocks_shape(body_url: str) -> None:
    answer = refused(body_url, b"POST /stalled HTTP/1.1\r\nHost: app\r\nContent-Length: 10\r\n\r\nabc")
    message = (
        f"The request body stalled: none of it came for {STALL_S:g} seconds (3 bytes came), "
        "and the upstream had not answered: send the body without pausing."
    )
    assert (answer, "/stalled" in SEEN) == ((408, "close", {"errors": [{"msg": message}]}), True)


def test_a_long_body_that_stalls_with_the_upstream_silent_gets_a_408_in_the_mocks_shape(body_url: str) -> None:
    sent = REQUEST_KEPT + 1000
    head = b"POST /stalls HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % (3 * REQUEST_KEPT)
    answer = refused(body_url, head, b"x" * sent)
    message = (
        f"The request body stalled: none of it came for {STALL_S:g} seconds ({sent} bytes came), "
        "and the upstream had not answered: send the body without pausing."
    )
    assert answer == (408, "close", {"errors": [{"msg": message}]})


def test_a_body_to_the_proxys_own_routes_that_stalls_gets_a_408_in_the_mocks_shape(
    body_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = refused(body_url, b"POST /__mock__/journal HTTP/1.1\r\nHost: app\r\nContent-Length: 10\r\n\r\nabc")
    message = (
        f"The request body stalled: none of it came for {STALL_S:g} seconds (3 bytes came), "
        "and the upstream had not answered: send the body without pausing."
    )
    assert (answer, capsys.readouterr().err) == ((408, "close", {"errors": [{"msg": message}]}), "")


def test_a_long_body_whose_pieces_each_come_in_time_arrives_whole_however_long_it_takes(body_url: str) -> None:
    piece = b"y" * REQUEST_KEPT
    pieces = 4  # a third of the stall timeout apart: together longer than it
    with connect(body_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /paced HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % (pieces * len(piece)))
        for _ in range(pieces):
            sock.sendall(piece)
            time.sleep(STALL_S / 3)
        status, _, answer = read_answer(reader)
    assert (status, echoed(answer)["length"]) == (200, pieces * len(piece))


def test_a_long_body_the_upstream_is_slow_to_take_is_not_counted_against_the_app(body_url: str) -> None:
    body = b"z" * (32 << 20)  # more than the sockets on both sides hold: the proxy stops reading until it is taken
    with connect(body_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /late HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        status, _, answer = read_answer(reader)
    assert (status, echoed(answer)["length"]) == (200, len(body))


def test_headers_a_connection_header_names_are_not_passed_on_either_way(proxy_url: str) -> None:
    with connect(proxy_url) as sock, sock.makefile("rb") as reader:
        sock.sendall(
            b"GET /hop HTTP/1.1\r\nHost: app\r\nConnection: X-Request-Hop\r\nX-Request-Hop: 1\r\nX-End: 1\r\n\r\n"
        )
        _, headers, body = read_answer(reader)
    assert ("x-request-hop" in json.loads(body), "x-end" in json.loads(body)) == (False, True)
    assert ("x-answer-hop" in headers, headers["x-answer-end"]) == (False, "1")


@pytest.mark.parametrize("name", ["head_s", "body_s", "stall_s", "keep_alive_s"])
def test_a_timeout_of_no_time_is_refused_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match=f"^Timeouts.{name} is 0: give a number of seconds above 0$"):
        Timeouts(**{name: 0})


@pytest.mark.parametrize("sent_mib", [2, 3, 4])
def test_a_body_that_stalls_while_the_upstream_takes_none_of_it_gets_one_answer(sent_mib: int) -> None:
    """Whichever comes first, the stall's 408 or the upstream's late answer, the app gets that one alone.

    How much of the body the sockets between proxy and upstream hold decides which: near 3 MiB on loopback here,
    the proxy is left waiting to write while it still reads from the app, the case that answered twice.
    """
    stall_s = 0.2
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer_late() -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(OSError):
            while b"\r\n\r\n" not in connection.recv(1024):
                pass
            time.sleep(3 * stall_s)  # taking none of the body, past the stall
            connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")

    upstream = threading.Thread(target=answer_late, daemon=True)
    upstream.start()
    relay = RelayServer(Proxy(f"http://127.0.0.1:{listener.getsockname()[1]}", Watch()), Timeouts(stall_s=stall_s))
    with listener, ServerThread(relay) as front, connect(front.url) as sock, sock.makefile("rb") as reader:
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: %d\r\n\r\n" % (8 << 20))
        sock.sendall(b"x" * (sent_mib << 20))
        status, _, _ = read_answer(reader)
        assert (status, reader.read()) in ((200, b""), (408, b""))
    upstream.join(10)
