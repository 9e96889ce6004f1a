"""One server for the HTTP bench, run in its own process: ``python -m bench.serve KIND TASK_ID...``.

KIND is ``mock`` (the mock's app, as ``serve`` runs it), ``mock-journalled`` (with a journal, as the
pytest plugin runs it), ``mock-submitted`` (the mock holding `SUBMITTED` submitted tasks besides the
fixtures, half of them finished, half on their way), ``mock-v2`` (the fixtures and one
finished v2 job, `STEADY_JOB`), ``bare`` (one Starlette route answering the
mock's bytes for those ids, pre-encoded) or ``mock-h11`` (the mock on uvicorn's pure-Python h11
protocol, for comparison).
It prints its port on the first line of stdout, then serves until terminated.
"""

from __future__ import annotations

import asyncio
import os
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver import Journal, create_app
from mockserver.edges.v1 import load_endpoints, submit
from mockserver.edges.v1.convert import encoded_all
from mockserver.edges.v1.routes import envelope
from mockserver.edges.v2 import build_job
from mockserver.engine.store import advance_task
from mockserver.server import bind_socket, make_server
from mockserver.state import MockState
from mockserver.wire import JSON_MEDIA_TYPE

SERVER_CPU = 1
"""The core the server is pinned to on a machine with two or more, leaving the other to wrk."""
SUBMITTED = 10_000
"""How many submitted tasks the ``mock-submitted`` server holds."""
STEADY_JOB = "5e1f0c2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
"""The id of the finished v2 job the ``mock-v2`` server holds: the one its readers poll, and v1's /fetch too."""


def v2_state() -> MockState:
    """Return the bundled fixtures plus one finished v2 job with the id `STEADY_JOB`."""
    state = MockState.from_fixtures()
    state.store.tasks.put(build_job("flux-1.1-pro", "COMPLETED").with_fields({"task_id": STEADY_JOB}))
    return state


def submitted_state() -> MockState:
    """Return the bundled fixtures plus `SUBMITTED` tasks submitted to /imagine, every other one finished."""
    state = MockState.from_fixtures()
    imagine = load_endpoints()["imagine"]

    async def fill() -> None:
        for number in range(SUBMITTED):
            task_id = (await submit(state, imagine, {"prompt": f"a lighthouse, take {number}"}))["task_id"]
            if number % 2:
                advance_task(state.store.tasks, task_id, to_end=True)

    asyncio.run(fill())
    return state


def bare_app(body: bytes) -> Starlette:
    """Return a Starlette app whose only route, POST /fetch-many, answers `body` as JSON."""

    async def fetch_many(request: Request) -> Response:
        return Response(body, media_type=JSON_MEDIA_TYPE)

    return Starlette(routes=[Route("/fetch-many", fetch_many, methods=["POST"])])


def build_server(kind: str, task_ids: list[str]) -> uvicorn.Server:
    """Return the uvicorn server for `kind`, not yet started."""
    if kind == "bare":
        # The very bytes the mock answers for these ids, encoded before the first request.
        tasks = MockState.from_fixtures().store.tasks.poll_many(task_ids)
        return make_server(bare_app(envelope(encoded_all(tasks, {}))))
    if kind == "mock":
        return make_server(create_app())
    if kind == "mock-submitted":
        return make_server(create_app(submitted_state()))
    if kind == "mock-v2":
        return make_server(create_app(v2_state()))
    if kind == "mock-journalled":
        return make_server(create_app(journal=Journal()))
    if kind == "mock-h11":
        config = uvicorn.Config(create_app(), http="h11", lifespan="off", access_log=False, log_level="warning")
        return uvicorn.Server(config)
    raise SystemExit(f"unknown server kind {kind!r}: use mock, mock-journalled, mock-submitted, bare or mock-h11")


def main(argv: list[str]) -> None:
    """Serve the server `argv[0]` names on a free loopback port, printed first."""
    if (os.cpu_count() or 1) > SERVER_CPU:
        os.sched_setaffinity(0, {SERVER_CPU})
    server = build_server(argv[0], argv[1:])
    sock = bind_socket("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
