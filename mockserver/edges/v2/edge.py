"""The v2 edge as the app sees it: its routes under /v2, its error bodies, and the routes faults can strike."""

from __future__ import annotations

from starlette.routing import Mount, Route

from ...engine.faults import SUBMIT_ROUTE
from ...http.deadlines import Deadlines
from ...state import MockState
from ..edge import Edge, Served
from .account import build_account_routes
from .assets import build_asset_routes
from .auth import keyed
from .create import build_create_routes
from .errors import render
from .jobs import build_job_routes
from .loras import build_lora_routes
from .models import job_routes
from .uploads import build_upload_routes

PREFIX = "/v2"


def serve(state: MockState, deadlines: Deadlines) -> Served:
    """Return v2's routes over `state`: one Mount at /v2, behind its key check, passed by a v1 request in one test."""
    routes = [
        *build_job_routes(state),
        *build_create_routes(state, deadlines),
        *build_account_routes(state),
        *build_upload_routes(state, deadlines),
        *build_lora_routes(state, deadlines),
        *build_asset_routes(state, deadlines),
    ]
    mounted = [
        Route(route.path.removeprefix(PREFIX), route.endpoint, methods=route.methods)
        for route in routes
        if route.path.startswith(PREFIX + "/")
    ]
    others = [route for route in routes if not route.path.startswith(PREFIX + "/")]
    return Served([Mount(PREFIX, routes=mounted, middleware=keyed(state)), *others])


V2 = Edge(
    name="v2",
    prefix=PREFIX + "/",
    serve=serve,
    render=render,
    fault_routes={
        **{path: SUBMIT_ROUTE for path in job_routes()},
        "/v2/jobs": "v2:jobs",
        "/v2/jobs/": "v2:jobs",
        "/v2/me": "v2:me",
    },
    listed=["POST /v2/images/generate", "GET /v2/jobs/{id}", "GET /v2/jobs", "GET /v2/me", "GET /v2/models"],
    more="v2's other job routes under /v2/images, /v2/videos and /v2/music, /v2/uploads, /v2/loras and /v2/assets",
)
"""Apiframe's v2 API, served under /v2."""
