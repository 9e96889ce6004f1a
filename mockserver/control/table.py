"""The control API's one route table: it builds the Mount that serves the routes, and feeds their OpenAPI."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from ..auth import AuthScheme, KeyCheck
from ..dashboard import PAGE_ROUTES, VIEW_ROUTES
from ..http.deadlines import Deadlines
from ..http.keys import authorization_required
from ..http.operations import Context, OwnRoute
from ..prefixes import CONTROL_PREFIX
from ..state import MockState
from .settings import SETTING_ROUTES
from .tasks import TASK_ROUTES

_CATCH_ALL = ":path}"


def _matched_last(route: OwnRoute) -> bool:
    # A path ending in {task_id:path} would take /advance or /status too: such a route is tried after the others.
    return route.path.endswith(_CATCH_ALL)


CONTROL_ROUTES: tuple[OwnRoute, ...] = tuple(
    sorted((*PAGE_ROUTES, *VIEW_ROUTES, *TASK_ROUTES, *SETTING_ROUTES), key=_matched_last)
)
"""Every route of the control API and the dashboard, under `CONTROL_PREFIX`, in the order they are tried."""


def _route(route: OwnRoute, context: Context) -> Route:
    operations = dict(route.operations)
    if "GET" in operations:
        operations.setdefault("HEAD", operations["GET"])

    async def endpoint(request: Request) -> Response:
        return await operations[request.method].handler(request, context)

    return Route(route.path, endpoint, methods=list(route.operations))


def build_control(state: MockState, token: str, deadlines: Deadlines) -> Mount:
    """Return the control API over `state` under `CONTROL_PREFIX`, refusing callers without `token`."""
    context = Context(state, deadlines)
    keys = KeyCheck(token, AuthScheme.BEARER_TOO)
    public = [CONTROL_PREFIX + route.path for route in CONTROL_ROUTES if route.public]
    return Mount(
        CONTROL_PREFIX,
        routes=[_route(route, context) for route in CONTROL_ROUTES],
        middleware=authorization_required(lambda: keys, public),
    )
