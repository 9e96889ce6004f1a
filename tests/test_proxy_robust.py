"""The proxy in front of an upstream that answers garbage or breaks off, behind an app that leaves: no crash."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from contract_tests.proxy import Proxy, RelayServer, Watch
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
