"""A request from an app as the proxy takes it: method, target, headers, and its body whole or as a stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

import httptools

from .body import BodyStream

Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class Incoming:
    """One request from an app: as sent, but for its framing; the body whole, or a stream of it."""

    method: str
    target: str
    """The path and query as sent (an absolute URL reduced to them)."""
    headers: Headers
    """Every header as sent, names in lower case."""
    body: bytes | BodyStream
    keep_alive: bool
    http_11: bool
    """Whether the app speaks HTTP/1.1, and so reads an answer in chunks."""
    path: str = field(init=False)
    """The target's path, percent-decoded."""

    def __post_init__(self) -> None:
        raw = self.target.partition("?")[0]
        self.path = unquote(raw) if "%" in raw else raw

    @property
    def upgrade_relayable(self) -> bool:
        """Whether, asking for another protocol, it can be answered in HTTP/1.1: not a WebSocket, nor a CONNECT.

        uvicorn answered the first kind as plain HTTP (`curl --http2` asks for h2c); the others cannot be relayed.
        """
        upgrade = b",".join(value for name, value in self.headers if name == b"upgrade").lower()
        return self.method != "CONNECT" and b"websocket" not in upgrade


def target_of(url: bytes) -> str:
    """Return the path and query of a request target: an absolute URL (a client set to use a proxy) reduced to them."""
    if url.startswith(b"/") or url == b"*":
        return url.decode("latin-1")
    try:
        parsed = httptools.parse_url(url)
    except httptools.HttpParserInvalidURLError:
        return url.decode("latin-1")
    path = (parsed.path or b"/").decode("latin-1")
    return path + ("?" + parsed.query.decode("latin-1") if parsed.query else "")
