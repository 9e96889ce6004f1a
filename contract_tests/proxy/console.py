"""The proxy's own routes under the mock's control prefix, never forwarded: the dashboard's page and the journal.

The page is the mock's dashboard; it finds no tasks, faults or webhooks here and shows the journal
alone, each exchange with its findings. The journal needs the control token, checked by the mock's own
key check (`mockserver.http.keys`) before anything else; the page and its files hold no data and are served without it.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from mockserver.answers import handle_http_error
from mockserver.auth import AuthScheme, KeyCheck
from mockserver.dashboard import PAGE_PATHS, UI_PATH, page_file
from mockserver.errors import BadRequest, HTTPError, NotFound
from mockserver.http.keys import authorization_required
from mockserver.http.replies import json_response
from mockserver.numbers import whole_number
from mockserver.prefixes import CONTROL_PREFIX

from .journal import ExchangeJournal

JOURNAL_PATH = f"{CONTROL_PREFIX}/journal"
"""Where the proxy lists its journal (with the control token)."""
_PAGE = UI_PATH.removeprefix(CONTROL_PREFIX)


def build_console(journal: ExchangeJournal, token: str) -> Starlette:
    """Return the app of the proxy's own routes over `journal`, refusing callers without `token` but on the page."""

    async def page(request: Request) -> Response:
        return page_file(request.url.path.removeprefix(UI_PATH))

    async def show_journal(request: Request) -> Response:
        """List the newest exchanges (`last` of them, if given), oldest first, each with its findings."""
        raw = request.query_params.get("last")
        last = whole_number(raw) if raw is not None else None
        if raw is not None and last is None:
            raise BadRequest(f"last is {raw[:40]!r}: give a whole number of the newest entries to list.")
        listed = journal.listed(last)
        return json_response(listed)

    routes = [Route(_PAGE + path, page, methods=["GET", "HEAD"]) for path in PAGE_PATHS]
    routes.append(Route(JOURNAL_PATH.removeprefix(CONTROL_PREFIX), show_journal, methods=["GET", "HEAD"]))
    keys = KeyCheck(token, AuthScheme.BEARER_TOO)
    auth = authorization_required(lambda: keys, public=[UI_PATH + p for p in PAGE_PATHS])
    return Starlette(
        routes=[Mount(CONTROL_PREFIX, routes=routes, middleware=auth)],
        exception_handlers={HTTPError: handle_http_error, HTTPException: _no_route},
    )


async def _no_route(request: Request, exc: Exception) -> Response:
    served = ", ".join([f"GET {JOURNAL_PATH}", f"GET {UI_PATH}"])
    error = NotFound(
        f"the proxy serves no {request.method} {request.url.path}; under {CONTROL_PREFIX} it serves {served}"
    )
    return await handle_http_error(request, error)
