"""Answering JSON: how every route of the mock builds an answer whose body is a JSON value."""

from __future__ import annotations

from starlette.responses import Response

from ..wire import JSON_MEDIA_TYPE, encode_json


def json_response(value: object, status: int = 200) -> Response:
    """Answer `value` as JSON, encoded as the mock sends it on the wire."""
    return Response(encode_json(value), status, media_type=JSON_MEDIA_TYPE)
