"""The dashboard's page, script and style sheet, served from the package with a strict Content-Security-Policy."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..prefixes import CONTROL_PREFIX

UI_PATH = f"{CONTROL_PREFIX}/ui"
"""Where the dashboard is served."""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""No inline script or style, no other origin: hostile data past the page's text-only rendering still cannot run."""
_ASSETS = {
    UI_PATH: ("index.html", "text/html; charset=utf-8"),
    f"{UI_PATH}/dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8"),
    f"{UI_PATH}/dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
    # Named in the page, so the browser does not ask the mock for /favicon.ico and fill the journal with 404s.
    f"{UI_PATH}/favicon.svg": ("favicon.svg", "image/svg+xml"),
}
_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@cache
def _asset(name: str) -> bytes:
    return files(__package__).joinpath("static", name).read_bytes()


def build_page_routes() -> list[Route]:
    """Return the GET routes of the page and its files; they need no token, as they hold no data."""

    async def asset(request: Request) -> Response:
        name, media_type = _ASSETS[request.url.path]
        return Response(_asset(name), headers=_HEADERS, media_type=media_type)

    return [Route(path, asset, methods=["GET"]) for path in _ASSETS]
