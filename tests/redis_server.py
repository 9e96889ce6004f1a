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


def require(command: str, missing: str) -> str:
    """Return `command`'s path, or skip the test saying how to install it (fail under CI, which must have it)."""
    found = shutil.which(command)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return found


def require_redis() -> str:
    """Return redis-server's path, or skip (fail under CI) saying how to install it."""
    return require("redis-server", MISSING)


@contextmanager
def redis_server(
    folder: Path, port: int | None = None, password: str | None = None, tls: bool = False
) -> Iterator[str]:
    """Run redis-server on 127.0.0.1 (with nothing saved to disk) and yield its URL; stop it after.

    With `tls`, it speaks only TLS, with a certificate made for the occasion that the URL names as its CA.
    """
    port = port or free_port()
    listen = ["--port", str(port)]
    query = ""
    if tls:
        certificate = self_signed(folder)
        listen = ["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(certificate),
                  "--tls-key-file", str(folder / "key.pem"), "--tls-ca-cert-file", str(certificate),
                  "--tls-auth-clients", "no"]  # fmt: skip
        query = f"?ssl_ca_certs={certificate}"
    secret = ["--requirepass", password] if password else []
    process = subprocess.Popen(
        [require_redis(), *listen, *secret, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        who = f":{password}@" if password else ""
        yield f"{'rediss' if tls else 'redis'}://{who}127.0.0.1:{port}/0{query}"
    finally:
        process.terminate()
        process.wait(10)


def self_signed(folder: Path) -> Path:
    """Make a certificate for 127.0.0.1 in `folder` with openssl, and return its path."""
    openssl = require(
        "openssl", "openssl is not installed: `make parts` installs it; it makes the TLS test's certificate"
    )
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
         "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem"


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
