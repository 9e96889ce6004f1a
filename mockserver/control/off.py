"""What answers under /__mock__/ when the control API is off: a 404 that says how to turn it on."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..errors import NoRoute
from ..prefixes import CONTROL_PREFIX

CONTROL_OFF = (
    f"The control API and the dashboard under {CONTROL_PREFIX}/ are off: start the mock with "
    '`apiframe-mock serve --control` (or `make run ARGS="--control"`, or `make dashboard`) and send the token it '
    "prints, or the one given with --control-token, as 'Authorization: Bearer <token>'."
)
_EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


async def _control_off(request: Request) -> Response:
    """Answer any path under /__mock__/ with a 404 that says how to turn the control API on."""
    raise NoRoute(f"No route for {request.method} {request.url.path}: {CONTROL_OFF}", status_code=404)


def control_off_routes() -> list[BaseRoute]:
    """Return the routes that answer every path under the control prefix while the control API is off."""
    return [
        Route(path, _control_off, methods=_EVERY_METHOD) for path in (CONTROL_PREFIX, f"{CONTROL_PREFIX}/{{_:path}}")
    ]
