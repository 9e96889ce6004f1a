"""The limits every route shares: how big a body may be and how long it and the head may take to arrive."""

from __future__ import annotations

# Express's JSON parser refuses bodies over 100 kB; the mock is more generous, since no client
# needs more than 20 ids, yet it still refuses to buffer an unbounded body.
MAX_BODY_BYTES = 1024 * 1024

# Long enough for any real client on a slow link; short enough that a stalled one is let go.
BODY_TIMEOUT_S = 10.0

# A client that opens a connection, or starts a request, and never finishes its request line and
# headers would hold the connection forever (uvicorn sets no limit): it is let go after this long.
HEAD_TIMEOUT_S = 10.0
