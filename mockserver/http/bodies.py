"""Reading request bodies within their limits, and decoding them as the vendor's JSON parser does."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from starlette.requests import Request
from starlette.types import Receive

from ..errors import BadRequest, ClientGone, PayloadTooLarge, RequestTimeout
from ..limits import BODY_TIMEOUT_S, MAX_BODY_BYTES
from ..numbers import whole_number
from ..wire import DECODER, FINITE_DECODER
from .deadlines import Deadlines


def json_type(value: object) -> str:
    """Name the JSON type of a decoded value, as a user would say it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


async def receive_body(
    receive: Receive,
    declared_length: bytes | str | None,
    timeout_s: float,
    deadlines: Deadlines,
    limit: int = MAX_BODY_BYTES,
) -> bytes:
    """Receive the whole body, refusing with 413 past `limit` bytes and with 408 after `timeout_s` seconds."""
    declared = whole_number(declared_length) if declared_length else None
    if declared is not None and declared > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    task = deadlines.begin(timeout_s)
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except asyncio.CancelledError:
        if deadlines.expired(task):
            raise RequestTimeout(
                f"The request body did not arrive within {timeout_s:g} seconds ({size} bytes came): "
                "send the whole body at once, with a Content-Length that matches it."
            ) from None
        raise
    finally:
        deadlines.end(task)


async def drain_body(receive: Receive, timeout_s: float = BODY_TIMEOUT_S) -> None:
    """Receive what is left of a body no endpoint read, up to `MAX_BODY_BYTES`, for at most `timeout_s` seconds."""
    received = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            while received <= MAX_BODY_BYTES:
                message = await receive()
                received += len(message.get("body", b""))
                if message["type"] == "http.disconnect" or not message.get("more_body", False):
                    return


async def read_body(request: Request, timeout_s: float, deadlines: Deadlines, limit: int = MAX_BODY_BYTES) -> bytes:
    """Receive the whole body of a Starlette `request`, with the limits of `receive_body`."""
    return await receive_body(request.receive, request.headers.get("content-length"), timeout_s, deadlines, limit)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {limit} bytes, the most the mock accepts.")


def parse_object(body: bytes, rule: str, finite: bool = False) -> dict[str, Any]:
    """Decode `body` as a JSON object, or raise BadRequest saying what it is instead and `rule`.

    With `finite`, a number past the largest float (1e999) is refused too: for bodies the mock stores and answers with.
    """
    if not body.strip():
        raise BadRequest(f"The request body is empty: send a JSON object; {rule}.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"The request body is not valid UTF-8 (byte {exc.start})"
        raise BadRequest(f"{problem}: send a JSON object; {rule}.") from None
    try:
        value = (FINITE_DECODER if finite else DECODER).decode(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"The request body is not valid JSON ({exc.msg}: line {exc.lineno}, column {exc.colno}): "
            f"send a JSON object; {rule}."
        ) from None
    except (ValueError, RecursionError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise BadRequest(f"The request body is not usable JSON ({detail}): send a JSON object; {rule}.") from None
    if not isinstance(value, dict):
        raise BadRequest(f"The request body is {json_type(value)}: it must be a JSON object; {rule}.")
    return value
