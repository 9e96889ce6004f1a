"""The request limits, read from the request schema so that the schema stays the one source."""

from __future__ import annotations

from .schemas import bundled_schemas

_TASK_IDS = bundled_schemas().documents["fetch-many-request.json"]["properties"]["task_ids"]

MIN_TASK_IDS: int = _TASK_IDS["minItems"]
MAX_TASK_IDS: int = _TASK_IDS["maxItems"]

# Express's JSON parser refuses bodies over 100 kB; the mock is more generous, since no client
# needs more than 20 ids, yet it still refuses to buffer an unbounded body.
MAX_BODY_BYTES = 1024 * 1024

# Long enough for any real client on a slow link; short enough that a stalled one is let go.
BODY_TIMEOUT_S = 10.0

# A client that opens a connection, or starts a request, and never finishes its request line and
# headers would hold the connection forever (uvicorn sets no limit): it is let go after this long.
HEAD_TIMEOUT_S = 10.0
