"""v1's error bodies: the express-validator envelope the docs show, or the empty object of a 401 and a 500."""

from __future__ import annotations

from ...errors import HTTPError
from ...wire import encode_json


def render(error: HTTPError) -> bytes:
    """Return the v1 body of `error`: ``{"errors": [{"msg": ...}]}``, or ``{}`` where the API does not say why."""
    return encode_json({"errors": [{"msg": error.message}]}) if error.has_message else b"{}"
