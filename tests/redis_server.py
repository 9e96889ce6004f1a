"""A real redis-server on a free loopback port, started and stopped by the tests; never a fake."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MISSING = "redis-server is not installed: `make parts` installs it (Debian's redis-server; macOS: brew install redis)"


def free_port() -> int:
    """Return a loopback port nothing listens on now."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def require_redis() -> str:
    """Return redis-server's path, or skip the test saying how to install it (fail under CI, which must have it)."""
    found = shutil.which("redis-server")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return found


@contextmanager
def redis_server(folder: Path, port: int | None = None) -> Iterator[str]:
    """Run redis-server on 127.0.0.1 (with nothing saved to disk) and yield its URL; stop it after."""
    port = port or free_port()
    process = subprocess.Popen(
        [require_redis(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    """Return once something accepts connections on `port` of 127.0.0.1."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
