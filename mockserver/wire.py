"""How JSON goes on the wire: the media type and the one encoder every response uses."""

from __future__ import annotations

import json
from typing import Any

JSON_MEDIA_TYPE = "application/json"

JSONObject = dict[str, Any]
"""A decoded JSON object: a task, an account or a request body."""


def encode_json(value: object) -> bytes:
    """Encode `value` compactly, as the mock sends it on the wire."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # A lone surrogate (decoded from a JSON \uD800 escape) has no UTF-8 form; escaped, it is still valid JSON.
        return json.dumps(value, separators=(",", ":")).encode()
