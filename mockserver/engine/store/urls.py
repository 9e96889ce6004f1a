"""Naming a store by its URL without ever showing its password."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

STORE_SCHEMES = ("redis", "rediss")
"""The URL schemes of the stores the mock can share its state on."""


def redacted(url: str) -> str:
    """Return `url` with any password replaced by ``***``, fit to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = f"{parts.username}:" if parts.username else ":"
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port is not None else ""
    return urlunsplit(parts._replace(netloc=f"{user}***@{host}{port}"))
