"""v2's error bodies: ``{"error"}``, with `details` for a field-by-field 400 and the credits for a 402."""

from __future__ import annotations

from ...errors import HTTPError, InvalidFields, PaymentRequired
from ...wire import JSONObject, encode_json

NO_KEY = "API key is required"
UNKNOWN_KEY = "Invalid API key"
INACTIVE_KEY = "API key is inactive"
"""The vendor's words for the three key refusals (docs, authentication page)."""
NO_CREDITS = "Insufficient credits"
_WORDS = {401: UNKNOWN_KEY, 402: NO_CREDITS, 500: "Internal server error", 503: "Service unavailable"}
"""What an error that carries no message of its own says, by status."""


def render(error: HTTPError) -> bytes:
    """Return the v2 body of `error`."""
    body: JSONObject = {"error": error.message or _WORDS.get(error.status_code, "Request failed")}
    if isinstance(error, InvalidFields):
        body["details"] = error.details
    if isinstance(error, PaymentRequired):
        body["creditsRequired"] = error.required
        body["creditsAvailable"] = error.available
    return encode_json(body)
