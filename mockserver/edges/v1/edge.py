"""The v1 edge as the app sees it: its route table and fast lane, its error bodies, and its fault routes."""

from __future__ import annotations

from ...engine.faults import SUBMIT_ROUTE
from ...http.deadlines import Deadlines
from ...state import MockState
from ..edge import Edge, Served
from .aliases import build_alias_routes
from .endpoints import load_endpoints
from .errors import render
from .routes import FETCH_MANY_PATH, ROUTES, FetchMany, build_routes
from .submit import build_submission_routes
from .uploads import build_upload_routes


def serve(state: MockState, deadlines: Deadlines) -> Served:
    """Return v1's routes over `state`; POST /fetch-many may skip Starlette's stack (see `MockApp`)."""
    fetch_many = FetchMany(state, deadlines)
    routes = build_routes(state, deadlines, fetch_many)
    routes += build_submission_routes(state, deadlines, load_endpoints().values())
    routes += build_upload_routes(state, deadlines)
    routes += build_alias_routes(state, routes, state.sdk_aliases)
    return Served(routes, {FETCH_MANY_PATH: fetch_many})


def _example() -> str:
    # The best known of them stands for the rest, which the document lists.
    return f"the submit endpoints such as POST {load_endpoints()['imagine'].path} that /openapi.json lists"


V1 = Edge(
    name="v1",
    prefix="",
    serve=serve,
    render=render,
    fault_routes={
        **{path: name for _, path, name in ROUTES},
        **{endpoint.path: SUBMIT_ROUTE for endpoint in load_endpoints().values()},
    },
    listed=[f"{method} {path}" for method, path, _ in ROUTES],
    more=_example(),
)
"""Apiframe's v1 API, served at the root."""
