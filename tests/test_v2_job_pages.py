"""`snapshot` and `diff --api v2` read GET /v2/jobs page after page, each cursor sent back as the server gave it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contract_tests.client import Client
from contract_tests.jobs_v2 import fetch_jobs
from contract_tests.localmock import ignore
from contract_tests.target import Target
from mockserver import ServerThread

CURSOR = "MjAyNi0xMi0wMw+/x=="
"""A standard base64 cursor: its +, / and = mean something else in a query string."""


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A v2 client of a server whose first page of jobs ends at `CURSOR`, and whose page after it says the cursor."""

    async def jobs(request: Request) -> JSONResponse:
        cursor = request.query_params.get("cursor")
        if cursor is None:
            return JSONResponse({"jobs": [], "nextCursor": CURSOR, "hasMore": True})
        return JSONResponse({"jobs": [{"cursor": cursor}], "nextCursor": None, "hasMore": False})

    with ServerThread(Starlette(routes=[Route("/v2/jobs", jobs)])) as server:
        reader = Client(Target(server.url, "afk_key"), ignore, api="v2")
        yield reader
        reader.close()


def test_the_next_page_is_asked_for_with_the_cursor_as_given(client: Client) -> None:
    """Given a cursor with + / and =, then the server gets it back unchanged."""
    assert fetch_jobs(client, (), 2).jobs == [{"cursor": CURSOR}]
