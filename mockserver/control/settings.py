"""The control API's setting routes: faults, submission pace, webhook records and the journal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

from ..edges.v1 import load_endpoints
from ..engine.faults import FaultPlan
from ..engine.journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES, RecordedRequest
from ..engine.lifecycle import Submissions
from ..errors import ApiframeMockError, BadRequest
from ..http.operations import Context, Operation, OwnRoute
from ..http.replies import json_response
from ..numbers import whole_number
from ..openapi import COMPONENTS
from ..wire import JSONObject, quote_id

FAULTS_RULE = 'send {"seed": <integer>, "faults": [<fault>, ...]} as schemas/mock/faults.json describes'
SUBMISSIONS_RULE = (
    'send {"by": "polls" or "seconds", "every": <number>, ...} as schemas/mock/submissions.json describes'
)
Setting = TypeVar("Setting")
_FAULTS = {"$ref": COMPONENTS + "MockFaults"}
_SUBMISSIONS = {"$ref": COMPONENTS + "MockSubmissions"}
_COUNTED = {"type": "integer", "minimum": 0}
_LISTED = {"type": "array", "items": {"type": "object"}}
_DELIVERIES = {
    "type": "object",
    "required": ["deliveries", "dropped", "pending"],
    "properties": {"deliveries": _LISTED, "dropped": _COUNTED, "pending": _COUNTED},
}
_JOURNAL = {
    "type": "object",
    "required": ["requests", "dropped"],
    "properties": {"requests": _LISTED, "dropped": _COUNTED},
}
_LAST = {
    "name": "last",
    "in": "query",
    "required": False,
    "description": "List only this many of the newest.",
    "schema": {"type": "integer", "minimum": 0},
}


async def _setting(request: Request, context: Context, rule: str, build: Callable[[JSONObject], Setting]) -> Setting:
    document = await context.read_object(request, rule)
    try:
        return build(document)
    except ApiframeMockError as exc:
        raise BadRequest(f"{exc}; {rule}.") from None


async def show_faults(request: Request, context: Context) -> Response:
    """Show the faults in force and what is left of them."""
    return json_response(await context.state.store.faults_now())


async def put_faults(request: Request, context: Context) -> Response:
    """Replace the faults in force."""
    await context.state.store.set_faults(await _setting(request, context, FAULTS_RULE, FaultPlan.from_json))
    return await show_faults(request, context)


async def delete_faults(request: Request, context: Context) -> Response:
    """Remove every fault."""
    await context.state.store.set_faults(FaultPlan())
    return await show_faults(request, context)


async def show_submissions(request: Request, context: Context) -> Response:
    """Show how submitted tasks move on."""
    return json_response(context.state.store.submissions.to_json())


async def put_submissions(request: Request, context: Context) -> Response:
    """Set how submitted tasks move on; what the body leaves out keeps its value, endpoints are replaced whole."""
    pace = context.state.store.submissions.pace

    def build(document: JSONObject) -> Submissions:
        return Submissions.from_json(document, load_endpoints(), pace)

    await context.state.store.set_submissions(await _setting(request, context, SUBMISSIONS_RULE, build))
    return await show_submissions(request, context)


async def show_webhooks(request: Request, context: Context) -> Response:
    """List every webhook delivery attempt, oldest first."""
    deliveries, dropped, pending = await context.state.store.deliveries()
    shown = [delivery.to_json() for delivery in deliveries]
    return json_response({"deliveries": shown, "dropped": dropped, "pending": pending})


async def delete_webhooks(request: Request, context: Context) -> Response:
    """Forget the delivery records."""
    await context.state.store.clear_deliveries()
    return await show_webhooks(request, context)


def _last(request: Request) -> int | None:
    raw = request.query_params.get("last")
    if raw is None:
        return None
    last = whole_number(raw)
    if last is None:
        raise BadRequest(f"last is {quote_id(raw[:40])}: give a whole number of the newest entries to list.")
    return last


def _entry(seq: int, request: RecordedRequest) -> JSONObject:
    body = request.json
    return {
        "seq": seq,
        "method": request.method,
        "path": request.path,
        "status": request.status,
        "at": request.at,
        "headers": dict(request.headers.items()),
        "json": body,
        "body": None if body is not None else request.body.decode("utf-8", "replace"),
    }


async def show_journal(request: Request, context: Context) -> Response:
    """List the requests received (the newest `last`, if given), oldest first."""
    page = await context.state.store.requests(_last(request))
    # An entry's seq counts every request recorded since the journal was last emptied, so it stays
    # the same while older ones are dropped and a page polling for the newest can tell them apart.
    listed = [_entry(seq, entry) for seq, entry in enumerate(page.entries, start=page.first)]
    return json_response({"requests": listed, "dropped": page.dropped})


async def delete_journal(request: Request, context: Context) -> Response:
    """Empty the journal."""
    _last(request)
    await context.state.store.clear_requests()
    return await show_journal(request, context)


SETTING_ROUTES = (
    OwnRoute(
        "/faults",
        {
            "GET": Operation(show_faults, "Show the faults in force and what is left of them.", _FAULTS),
            "PUT": Operation(put_faults, "Replace the faults in force.", _FAULTS, "A MockFaults document."),
            "DELETE": Operation(delete_faults, "Remove every fault.", _FAULTS),
        },
    ),
    OwnRoute(
        "/journal",
        {
            "GET": Operation(
                show_journal,
                "List the requests received, oldest first, keys redacted, each with its answer's status (null for "
                "none), its arrival time and its `seq`, counting since the journal was emptied; `dropped` counts "
                f"the oldest ones dropped to keep the newest {JOURNAL_MAX_ENTRIES:,} (and "
                f"{JOURNAL_MAX_BYTES // 2**20} MiB of bodies).",
                _JOURNAL,
                query=(_LAST,),
            ),
            "DELETE": Operation(delete_journal, "Empty the journal.", {"type": "object"}),
        },
    ),
    OwnRoute(
        "/submissions",
        {
            "GET": Operation(show_submissions, "Show how submitted tasks move on.", _SUBMISSIONS),
            "PUT": Operation(
                put_submissions,
                "Set how submitted tasks move on, for every endpoint and per endpoint.",
                _SUBMISSIONS,
                "A MockSubmissions document.",
            ),
        },
    ),
    OwnRoute(
        "/webhooks",
        {
            "GET": Operation(
                show_webhooks, "List every webhook delivery attempt, oldest first, secrets redacted.", _DELIVERIES
            ),
            "DELETE": Operation(delete_webhooks, "Forget the delivery records.", {"type": "object"}),
        },
    ),
)
"""The setting routes, under the control prefix."""
