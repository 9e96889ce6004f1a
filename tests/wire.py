"""Talking to a server on a raw socket, for the tests that send what no HTTP client would."""

from __future__ import annotations

import socket


def connect(url: str, timeout_s: float = 5.0) -> socket.socket:
    """Open a TCP connection to the host and port of `url` (``http://HOST:PORT``)."""
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=timeout_s)
