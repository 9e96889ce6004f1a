"""Reading and checking request bodies, written by hand to answer as the vendor does."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from typing import Any

from starlette.requests import Request
from starlette.types import Receive

from .deadlines import Deadlines
from .errors import BadRequest, ClientGone, PayloadTooLarge, RequestTimeout
from .limits import BODY_TIMEOUT_S, MAX_BODY_BYTES, MAX_TASK_IDS, MIN_TASK_IDS

TASK_IDS_RULE = f"task_ids must be an array of {MIN_TASK_IDS} to {MAX_TASK_IDS} task id strings"
TASK_ID_RULE = "task_id must be a task id string"


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
    receive: Receive, declared_length: bytes | str | None, timeout_s: float, deadlines: Deadlines
) -> bytes:
    """Receive the whole body, refusing with 413 past `MAX_BODY_BYTES` and with 408 after `timeout_s` seconds."""
    if declared_length and declared_length.isdigit() and int(declared_length) > MAX_BODY_BYTES:
        raise _too_large()
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
            if size > MAX_BODY_BYTES:
                raise _too_large()
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


async def read_body(request: Request, timeout_s: float, deadlines: Deadlines) -> bytes:
    """Receive the whole body of a Starlette `request`, with the limits of `receive_body`."""
    return await receive_body(request.receive, request.headers.get("content-length"), timeout_s, deadlines)


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes, the most the mock accepts.")


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
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_FINITE_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)


def strict_json(text: str) -> Any:
    """Decode `text` as JSON that any client can read back: no NaN, Infinity or number past 1e308."""
    return _FINITE_DECODER.decode(text)


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
        value = (_FINITE_DECODER if finite else _DECODER).decode(text)
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


def _member(payload: dict[str, Any], name: str, kind: type, rule: str) -> Any:
    """Return `payload[name]` if it is there and of `kind`, or raise BadRequest saying which it is not."""
    if name not in payload:
        raise BadRequest(f"{name} is missing: {rule}.")
    value = payload[name]
    if not isinstance(value, kind):
        raise BadRequest(f"{name} is {json_type(value)}: {rule}.")
    return value


def parse_task_ids(body: bytes) -> list[str]:
    """Return the `task_ids` of a fetch-many body, or raise BadRequest naming what is wrong."""
    task_ids: list[Any] = _member(parse_object(body, TASK_IDS_RULE), "task_ids", list, TASK_IDS_RULE)
    if not MIN_TASK_IDS <= len(task_ids) <= MAX_TASK_IDS:
        raise BadRequest(f"task_ids has {len(task_ids)} item{'' if len(task_ids) == 1 else 's'}: {TASK_IDS_RULE}.")
    for index, task_id in enumerate(task_ids):
        if not isinstance(task_id, str):
            raise BadRequest(f"task_ids[{index}] is {json_type(task_id)}: {TASK_IDS_RULE}.")
    return task_ids


def parse_task_id(body: bytes) -> str:
    """Return the `task_id` of a fetch body, or raise BadRequest naming what is wrong."""
    task_id: str = _member(parse_object(body, TASK_ID_RULE), "task_id", str, TASK_ID_RULE)
    return task_id
