"""What the upstream is sent through the proxy: the request as the app sent it, under the upstream URL's path."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contract_tests.proxy import Proxy, RelayServer, Watch
from mockserver import ServerThread

Seen = tuple[str, str, dict[str, str], bytes]
"""A request as the upstream got it: method, path, headers and body."""
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@pytest.fixture(scope="module")
def seen() -> list[Seen]:
    return []


@pytest.fixture(scope="module")
def proxy(seen: list[Seen]) -> Iterator[str]:
    """The proxy in front of an upstream under /gateway that answers every request {} and keeps what it got."""

    async def keep(request: Request) -> Response:
        seen.append((request.method, request.url.path, dict(request.headers), await request.body()))
        return JSONResponse({})

    upstream = Starlette(routes=[Route("/{path:path}", keep, methods=METHODS)])
    with ServerThread(upstream) as server, ServerThread(RelayServer(Proxy(server.url + "/gateway", Watch()))) as front:
        yield front.url


def test_the_upstream_urls_path_goes_before_every_path(proxy: str, seen: list[Seen]) -> None:
    """Given --upstream with a path, then each request goes under it, as the curl of its findings says."""
    seen.clear()
    assert httpx.get(proxy + "/v2/me?x=1").status_code == 200
    assert [(method, path) for method, path, _, _ in seen] == [("GET", "/gateway/v2/me")]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_request_without_a_body_is_sent_on_without_one(proxy: str, seen: list[Seen], method: str) -> None:
    """Given a request with neither Content-Length nor chunks, then the upstream gets neither: no body added."""
    seen.clear()
    assert httpx.request(method, proxy + "/account").status_code == 200
    [(_, _, headers, body)] = seen
    assert ("transfer-encoding" in headers, "content-length" in headers, body) == (False, False, b"")


def test_a_body_of_unknown_length_is_sent_on_in_chunks(proxy: str, seen: list[Seen]) -> None:
    """Given a body the app sends in chunks, then the upstream gets it whole, in chunks."""
    seen.clear()
    answer = httpx.post(proxy + "/fetch", content=iter([b'{"task_id":', b' "a"}']))
    assert answer.status_code == 200
    [(_, _, headers, body)] = seen
    assert (headers.get("transfer-encoding"), body) == ("chunked", b'{"task_id": "a"}')
