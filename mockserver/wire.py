"""How JSON goes on the wire: the media type and the one encoder every response uses."""

from __future__ import annotations

import json
from typing import Any

JSON_MEDIA_TYPE = "application/json"

JSONObject = dict[str, Any]
"""A decoded JSON object: a task, an account or a request body."""


# Built once: json.dumps with options builds a new encoder per call, a cost paid per task at load.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ASCII_ENCODER = json.JSONEncoder(separators=(",", ":"))


def encode_json(value: object) -> bytes:
    """Encode `value` compactly, as the mock sends it on the wire."""
    try:
        return _ENCODER.encode(value).encode()
    except UnicodeEncodeError:
        # A lone surrogate (decoded from a JSON \uD800 escape) has no UTF-8 form; escaped, it is still valid JSON.
        return _ASCII_ENCODER.encode(value).encode()


QUOTED_ID_CHARS = 100
"""How much of an id a message quotes: any string is an id, and one may be a megabyte long."""


def quote_id(task_id: str) -> str:
    """Quote `task_id` for a message as a JSON string of its first `QUOTED_ID_CHARS` characters (``...`` if cut)."""
    cut = len(task_id) > QUOTED_ID_CHARS
    return encode_json(task_id[:QUOTED_ID_CHARS] + ("..." if cut else "")).decode()
