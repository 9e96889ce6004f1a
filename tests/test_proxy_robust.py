"""The proxy in front of an upstream that answers garbage or breaks off, behind an app that leaves: no crash."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from contract_tests.proxy import Proxy, Watch
from mockserver import DEFAULT_API_KEY, ServerThread


def answer_garbage(listener: socket.socket) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            asked = connection.recv(65536)
            cut = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"tasks"'
            connection.sendall(cut if b"x-cut: yes" in asked.lower() else b"garbage\r\n\r\nnot HTTP at all")


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[Proxy, str]]:
    """The proxy in front of a TCP server that answers bytes that are not HTTP, or half an answer when asked."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        threading.Thread(target=answer_garbage, args=(listener,), daemon=True).start()
        proxy = Proxy(f"http://127.0.0.1:{listener.getsockname()[1]}", Watch())
        with ServerThread(proxy, date_header=False) as server:
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
