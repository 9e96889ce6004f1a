"""Paths only apiframe-sdk calls: a 404 naming the documented route meant, or, with --sdk-aliases, that route.

PyPI apiframe-sdk 1.0.0 calls `/pro/midjourney/*` and `/ai-photos/*` where the vendor documents `/pro/*`
and `/ai-photo-*`, and keeps three legacy `/midjourney/*` methods no page documents. The API most likely
answers them 404, so the mock does too, saying which route the caller meant; a team whose code must run
offline while the SDK's bug stands serves them as that route instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...errors import NoRoute
from ...state import MockState
from ...wire import JSON_MEDIA_TYPE, quote_id
from .keys import keyed
from .routes import fetch_task

SDK_ALIASES: dict[str, str] = {
    "/midjourney/upscale": "/upscale-1x",
    "/midjourney/vary": "/variations",
    "/midjourney/zoom": "/outpaint",
    **{
        f"/pro/midjourney/{action}": f"/pro/{action}"
        for action in ("imagine", "upscale", "vary", "variations", "pan", "zoom")
    },
    "/pro/midjourney/account": "/account",
    "/ai-photos/upload": "/ai-photo-upload",
    "/ai-photos/train": "/ai-photo-train",
    "/ai-photos/generate": "/ai-photo-generate",
}
"""Each path only the SDK calls, and the documented route it stands for."""
GENERATION_PATH = "/pro/midjourney/generation/{task_id}"
"""apiframe-sdk's ``midjourney_alt.get_generation``: a task by id, which the documented API reads with /fetch."""


def _refusal(method: str, path: str, meant: str) -> NoRoute:
    return NoRoute(
        f"No route for {method} {path}: apiframe-sdk calls this path, which no vendor page documents; the "
        f"documented route is {meant} (apiframe-mock serve --sdk-aliases serves it as that route).",
        status_code=404,
    )


def build_alias_routes(state: MockState, routes: Sequence[BaseRoute], serve: bool) -> list[Route]:
    """Return a route for each SDK-only path: answering as its documented route among `routes` if `serve`, else 404."""
    documented = {route.path: route for route in routes if isinstance(route, Route)}

    def alias(path: str, target: Route) -> Route:
        methods = sorted((target.methods or set()) - {"HEAD"})
        if serve:
            return Route(path, target.endpoint, methods=methods, middleware=keyed(state))
        meant = f"{methods[0]} {target.path}"

        async def refuse(request: Request) -> Response:
            raise _refusal(request.method, request.url.path, meant)

        return Route(path, refuse, methods=methods)

    async def generation(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if not serve:
            raise _refusal(request.method, request.url.path, f'POST /fetch with {{"task_id": {quote_id(task_id)}}}')
        return Response(await fetch_task(state, task_id), media_type=JSON_MEDIA_TYPE)

    return [
        *(alias(path, documented[target]) for path, target in SDK_ALIASES.items()),
        Route(GENERATION_PATH, generation, methods=["GET"], middleware=keyed(state) if serve else None),
    ]
