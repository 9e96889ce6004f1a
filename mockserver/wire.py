"""How JSON goes on the wire: the media type, the one encoder every response uses, and the strict decoders."""

from __future__ import annotations

import json
import math
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


def _reject_constant(name: str) -> Any:
    # JavaScript's JSON.parse refuses NaN and Infinity; Python's would accept them.
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    # JSON.parse reads 1e999 as Infinity, a number, and so do the Apiframe routes; but a body the mock
    # keeps and sends back must stay JSON, which has no Infinity.
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is past the largest number JSON can carry")
    return value


# Built once: json.loads with an option builds a new decoder (and scanner) per call, per request.
DECODER = json.JSONDecoder(parse_constant=_reject_constant)
FINITE_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)


def strict_json(text: str) -> Any:
    """Decode `text` as JSON that any client can read back: no NaN, Infinity or number past 1e308."""
    return FINITE_DECODER.decode(text)
