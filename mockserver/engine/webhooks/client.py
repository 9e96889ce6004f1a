"""A minimal HTTP/1.1 client on asyncio streams: one JSON POST, of which only the status code matters."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import ssl
from collections.abc import Mapping
from urllib.parse import SplitResult, quote, urlsplit

from ...errors import DeliveryError
from ...wire import JSON_MEDIA_TYPE

USER_AGENT = "apiframe-mock"
MAX_LINE_BYTES = 16 * 1024
MAX_HEADER_LINES = 100
MAX_DISCARD_BYTES = 64 * 1024
"""Bounds on what a receiver's answer may make the client read: a line, the header lines, the body it drains."""

_STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([1-9][0-9][0-9])(?: [^\r\n]*)?\r?\n")
# RFC 3986's reserved characters and "%" stay as written; anything else (a space, non-ASCII) is escaped.
_TARGET_SAFE = "!$%&'()*+,/:;=?@[]~"
_UNSENDABLE = re.compile(r"[\r\n\x00]")
NOT_HTTP = "not an HTTP answer"
CLOSED = "connection closed before an answer"
BAD_URL = "not an absolute http or https URL"


def request_headers(url: str, body: bytes, headers: Mapping[str, str]) -> dict[str, str]:
    """Return every header that a POST of `body` to `url` sends, `headers` last; raise DeliveryError for a bad URL."""
    return {
        "Host": _target(url)[0].netloc.rpartition("@")[2],
        "User-Agent": USER_AGENT,
        "Content-Type": JSON_MEDIA_TYPE,
        "Content-Length": str(len(body)),
        "Connection": "close",
        **headers,
    }


async def post_json(url: str, body: bytes, headers: Mapping[str, str], timeout_s: float) -> int:
    """POST `body` to `url` and return the status code, or raise DeliveryError with a short reason.

    Connecting, sending and reading the status line and headers take `timeout_s` seconds at most in all.
    """
    target, host, port = _target(url)
    head = _request_head(target, request_headers(url, body, headers))
    deadline = asyncio.get_running_loop().time() + timeout_s
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout_at(deadline):
            tls = _tls_context() if target.scheme == "https" else None
            reader, writer = await asyncio.open_connection(host, port, ssl=tls, limit=MAX_LINE_BYTES)
            writer.write(head + body)
            await writer.drain()
            status, length = await _read_head(reader)
        await _drain(reader, length, deadline)
        return status
    except TimeoutError:
        raise DeliveryError(f"timed out after {timeout_s:g} s") from None
    except (OSError, UnicodeError) as exc:
        raise DeliveryError(_reason(exc)) from None
    finally:
        if writer is not None:
            writer.close()


def _target(url: str) -> tuple[SplitResult, str, int]:
    """Return `url` split, its host and its port, or raise DeliveryError if it is not an absolute http(s) URL."""
    try:
        target = urlsplit(url)
        port = target.port
    except ValueError:
        raise DeliveryError(BAD_URL) from None
    if target.scheme not in ("http", "https") or not target.hostname:
        raise DeliveryError(BAD_URL)
    return target, target.hostname, port or (443 if target.scheme == "https" else 80)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Built once: loading the system's CA certificates costs milliseconds per context.
    return ssl.create_default_context()


def _request_head(target: SplitResult, headers: Mapping[str, str]) -> bytes:
    path = quote(target.path or "/", safe=_TARGET_SAFE)
    query = f"?{quote(target.query, safe=_TARGET_SAFE)}" if target.query else ""
    lines = [f"POST {path}{query} HTTP/1.1"]
    for name, value in headers.items():
        if _UNSENDABLE.search(name + value):
            # A line break in a value would end the header there and start one the sender never meant.
            raise DeliveryError(f"the {name} header holds a line break or NUL, which HTTP cannot carry")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, int | None]:
    """Read the status line and headers of the final answer; return its status and Content-Length."""
    try:
        while True:
            line = await reader.readline()
            if not line:
                raise DeliveryError(CLOSED)
            match = _STATUS_LINE.fullmatch(line)
            if match is None:
                raise DeliveryError(NOT_HTTP)
            length = await _read_headers(reader)
            status = int(match[1])
            # A 1xx is an interim answer (103 Early Hints, say): the final one follows on the same connection.
            if status >= 200:
                return status, length
    except ValueError:
        # StreamReader.readline's way of saying a line ran past MAX_LINE_BYTES.
        raise DeliveryError(NOT_HTTP) from None


async def _read_headers(reader: asyncio.StreamReader) -> int | None:
    length = None
    for _ in range(MAX_HEADER_LINES):
        line = await reader.readline()
        if line in (b"\r\n", b"\n"):
            return length
        name, colon, value = line.partition(b":")
        if not colon:
            raise DeliveryError(NOT_HTTP)
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value)
    raise DeliveryError(NOT_HTTP)


async def _drain(reader: asyncio.StreamReader, length: int | None, deadline: float) -> None:
    """Read and drop up to `MAX_DISCARD_BYTES` of the body, so closing does not reset a receiver still writing."""
    left = MAX_DISCARD_BYTES if length is None else min(length, MAX_DISCARD_BYTES)
    # The status is known by now: a body that is slow, cut short or never ends changes nothing.
    with contextlib.suppress(TimeoutError, OSError):
        async with asyncio.timeout_at(deadline):
            while left > 0 and (chunk := await reader.read(left)):
                left -= len(chunk)


def _reason(exc: OSError | UnicodeError) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {(exc.reason or str(exc)).lower().replace('_', ' ')}"
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return text[:1].lower() + text[1:]
