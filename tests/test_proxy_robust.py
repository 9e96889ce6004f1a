"""The proxy in front of an upstream that answers garbage or breaks off, behind an app that leaves: no crash."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_tests.proxy import Proxy, RelayServer, Watch
from contract_tests.proxy.upstream import Upstream
from mockserver import DEFAULT_API_KEY, ServerThread

BROTLI_BODY = bytes.fromhex("1b0f00f8a5409ae4b1cd4e71a18a07")
"""Bytes sent as Brotli: the proxy does not undo that encoding, so it must not judge them."""
BROTLI_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: br\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(BROTLI_BODY)
)


def answer_garbage(listener: socket.socket) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            asked = connection.recv(65536).lower()
            cut = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"tasks"'
            if b"x-cut: yes" in asked:
                connection.sendall(cut)
            elif b"accept-encoding: br" in asked:
                connection.sendall(BROTLI_HEAD + BROTLI_BODY)
            else:
                connection.sendall(b"garbage\r\n\r\nnot HTTP at all")


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[Proxy, str]]:
    """The proxy in front of a TCP server that answers bytes that are not HTTP, or half an answer when asked."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        threading.Thread(target=answer_garbage, args=(listener,), daemon=True).start()
        proxy = Proxy(f"http://127.0.0.1:{listener.getsockname()[1]}", Watch())
        with ServerThread(RelayServer(proxy)) as server:
            yield proxy, server.url


def test_garbage_from_the_upstream_is_a_502_in_the_mocks_shape_and_a_flake(proxy: tuple[Proxy, str]) -> None:
    answer = httpx.get(proxy[1] + "/account", headers={"Authorization": DEFAULT_API_KEY})
    assert answer.status_code == 502
    assert answer.json() == {
        "errors": [
            {
                "msg": f"the upstream {proxy[0].upstream} gave no answer (the answer is not HTTP: "
                "Expected HTTP/, RTSP/ or ICE/): is it up, and is --upstream right?"
            }
        ]
    }
    assert [note.first.request.path for note in proxy[0].watch.flakes] == ["/account"]
    assert DEFAULT_API_KEY not in repr(proxy[0].watch)


def test_an_app_that_leaves_mid_request_is_forgotten_and_the_proxy_serves_on(
    proxy: tuple[Proxy, str], caplog: pytest.LogCaptureFixture
) -> None:
    port = int(proxy[1].rsplit(":", 1)[1])
    before = proxy[0].watch.exchanges
    with socket.create_connection(("127.0.0.1", port)) as app:
        app.sendall(b'POST /fetch-many HTTP/1.1\r\nHost: proxy\r\nContent-Length: 1000\r\n\r\n{"task_ids": [')
    assert httpx.get(proxy[1] + "/account").status_code == 502
    assert proxy[0].watch.exchanges == before + 1
    assert [record.message for record in caplog.records if record.levelname == "ERROR"] == []


def test_an_answer_broken_off_before_it_is_whole_is_a_502_and_a_flake(proxy: tuple[Proxy, str]) -> None:
    answer = httpx.post(proxy[1] + "/fetch", headers={"Authorization": DEFAULT_API_KEY, "X-Cut": "yes"}, content=b"{}")
    assert answer.status_code == 502
    assert answer.json() == {
        "errors": [
            {
                "msg": f"the upstream {proxy[0].upstream} broke off its answer "
                "(the upstream closed the connection before its answer was whole)"
            }
        ]
    }
    assert proxy[0].watch.flakes[-1].first.request.path == "/fetch"


def test_an_answer_in_an_encoding_the_proxy_cannot_read_passes_unjudged(proxy: tuple[Proxy, str]) -> None:
    """Given an answer in Brotli, then the app gets it byte for byte, marked with nothing, and it is counted apart."""
    counts = dict(proxy[0].watch.counts)
    with socket.create_connection(("127.0.0.1", int(proxy[1].rsplit(":", 1)[1]))) as app:
        app.sendall(b"GET /account HTTP/1.1\r\nHost: proxy\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := app.recv(65536):
            answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    assert (head.splitlines()[0], body) == (b"HTTP/1.1 200 OK", BROTLI_BODY)
    assert b"x-apiframe-mock-drift" not in head.lower()
    assert (proxy[0].watch.unread, dict(proxy[0].watch.counts)) == (1, counts)


def _one_request(connection: socket.socket, taken: bytearray) -> bytes | None:
    """Read one request (head and Content-Length body) off `connection`; return its request line, or None at its end."""
    while b"\r\n\r\n" not in taken:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        taken += chunk
    head, _, _ = bytes(taken).partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")), 0
    )
    while len(taken) < len(head) + 4 + length:
        taken += connection.recv(65536)
    del taken[: len(head) + 4 + length]
    return head.split(b"\r\n")[0]


@contextlib.contextmanager
def closing_after_one() -> Iterator[tuple[str, list[list[bytes]]]]:
    """An upstream that answers the first request on each connection, kept alive, and closes as the second comes.

    That is the race of a kept-alive connection closed by the upstream just as the proxy sends on it. Yields its
    URL and the request lines each connection brought, in the order the connections came.
    """
    seen: list[list[bytes]] = []

    def serve(connection: socket.socket, lines: list[bytes]) -> None:
        taken = bytearray()
        with connection, contextlib.suppress(OSError):
            while (line := _one_request(connection, taken)) is not None:
                lines.append(line)
                if len(lines) > 1:
                    return
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")

    def accept(listener: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                seen.append([])
                threading.Thread(target=serve, args=(connection, seen[-1]), daemon=True).start()

    with socket.create_server(("127.0.0.1", 0)) as listener:
        threading.Thread(target=accept, args=(listener,), daemon=True).start()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen


def test_a_get_on_a_kept_alive_connection_the_upstream_closed_is_sent_again_on_a_new_one() -> None:
    with closing_after_one() as (url, seen), ServerThread(RelayServer(Proxy(url, Watch()))) as server:
        statuses = [httpx.get(f"{server.url}/fetch?n={n}").status_code for n in (1, 2)]
    assert statuses == [200, 200]
    assert seen == [[b"GET /fetch?n=1 HTTP/1.1", b"GET /fetch?n=2 HTTP/1.1"], [b"GET /fetch?n=2 HTTP/1.1"]]


def test_a_post_on_a_kept_alive_connection_the_upstream_closed_is_never_sent_twice() -> None:
    with closing_after_one() as (url, seen), ServerThread(RelayServer(Proxy(url, Watch()))) as server:
        first = httpx.get(server.url + "/account").status_code
        answer = httpx.post(server.url + "/imagine", content=b"{}")
    assert (first, answer.status_code) == (200, 502)
    problem = "the upstream closed the connection before its answer was whole"
    assert answer.json() == {
        "errors": [{"msg": f"the upstream {url} gave no answer ({problem}): is it up, and is --upstream right?"}]
    }
    assert seen == [[b"GET /account HTTP/1.1", b"POST /imagine HTTP/1.1"]]


def test_a_connection_idle_longer_than_the_proxy_keeps_one_is_not_used_again() -> None:
    with closing_after_one() as (url, seen):
        proxy = Proxy(url, Watch(), client=Upstream(idle_kept_s=0.1))
        with ServerThread(RelayServer(proxy)) as server:
            first = httpx.get(server.url + "/account").status_code
            time.sleep(0.2)  # longer than the proxy keeps an idle connection
            second = httpx.post(server.url + "/imagine", content=b"{}").status_code
    assert (first, second) == (200, 200)
    assert seen == [[b"GET /account HTTP/1.1"], [b"POST /imagine HTTP/1.1"]]


def test_an_upstream_that_stops_taking_a_long_body_is_no_answer_and_the_app_is_let_go() -> None:
    taking = threading.Event()

    def take_the_head_only(listener: socket.socket) -> None:
        connection, _ = listener.accept()
        with connection, contextlib.suppress(OSError):
            connection.recv(1024)
            taking.wait(10)  # the proxy's writes back up behind it until the proxy gives up

    body = b"x" * (32 << 20)  # more than the sockets on the way hold
    with socket.create_server(("127.0.0.1", 0)) as listener:
        threading.Thread(target=take_the_head_only, args=(listener,), daemon=True).start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        proxy = Proxy(url, Watch(), client=Upstream(timeout_s=0.3))
        with ServerThread(RelayServer(proxy)) as server:
            answer = httpx.post(server.url + "/upload", content=body, timeout=10)
        taking.set()
    problem = "the upstream took none of the request body for 0.3 s"
    assert (answer.status_code, answer.json()) == (
        502,
        {"errors": [{"msg": f"the upstream {url} gave no answer ({problem}): is it up, and is --upstream right?"}]},
    )


def test_a_fault_in_the_proxys_own_routes_is_a_500_said_on_stderr_and_the_connection_serves_on(
    proxy: tuple[Proxy, str], capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(_: Request) -> Response:
        raise RuntimeError("a bug of the console's")

    own, proxy[0].console = proxy[0].console, Starlette(routes=[Route("/__mock__/fail", fail)])
    try:
        with httpx.Client(base_url=proxy[1]) as app:
            failed = app.get("/__mock__/fail")
            after = app.get("/account", headers={"Authorization": DEFAULT_API_KEY})
    finally:
        proxy[0].console = own
    assert (failed.status_code, failed.text, after.status_code) == (500, "Internal Server Error", 502)
    assert "proxy: GET /__mock__/fail failed: RuntimeError: a bug of the console's" in capsys.readouterr().err
