"""The dashboard's page, script and style sheet, served from the package with a strict Content-Security-Policy."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response

from ..http.operations import Context, Handler, Operation, OwnRoute
from ..prefixes import CONTROL_PREFIX

UI_PATH = f"{CONTROL_PREFIX}/ui"
"""Where the dashboard is served."""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""No inline script or style, no other origin: hostile data past the page's text-only rendering still cannot run."""
_ASSETS = {
    "": ("index.html", "text/html; charset=utf-8", "The dashboard's page; it holds no data, and asks for the token."),
    "/dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8", "The dashboard's script."),
    "/dashboard.css": ("dashboard.css", "text/css; charset=utf-8", "The dashboard's style sheet."),
    # Named in the page, so the browser does not ask the mock for /favicon.ico and fill the journal with 404s.
    "/favicon.svg": ("favicon.svg", "image/svg+xml", "The dashboard's icon."),
}
"""The page and its files under `UI_PATH`: the file, its media type, and what it is."""
PAGE_PATHS = tuple(_ASSETS)
"""The paths of the page ("") and its files under `UI_PATH`."""
_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@cache
def _asset(name: str) -> bytes:
    return files(__package__).joinpath("static", name).read_bytes()


def page_file(path: str) -> Response:
    """Return the page ("") or one of its files by its path under `UI_PATH`; KeyError for any other path."""
    name, media_type, _ = _ASSETS[path]
    return Response(_asset(name), headers=_HEADERS, media_type=media_type)


def _serve(path: str) -> Handler:
    async def asset(request: Request, context: Context) -> Response:
        return page_file(path)

    return asset


PAGE_ROUTES = tuple(
    OwnRoute(
        UI_PATH.removeprefix(CONTROL_PREFIX) + path,
        {"GET": Operation(_serve(path), summary, media_type=media_type.partition(";")[0])},
        public=True,
    )
    for path, (name, media_type, summary) in _ASSETS.items()
)
"""The GET routes of the page and its files, under the control prefix; they need no token, as they hold no data."""
