"""The ground check: a server that is down, a page that is not the API, or a refused key is one line, exit 8.

It is the same for `contract`, `diff` and `snapshot`, and no rule is reported as drift for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.types import Receive, Scope, Send

from contract_tests.exits import GROUND_EXIT
from mockserver import ServerThread
from mockserver.server import bind_socket

from .standin import KEY, serve_stand_in

COMMANDS = ("contract", "diff", "snapshot")


async def html_page(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer every request with a login page, as a proxy in front of the wrong host might."""
    if scope["type"] != "http":
        return
    page = b"<!doctype html><title>Sign in</title>"
    headers = [(b"content-type", b"text/html"), (b"content-length", str(len(page)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": page})


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    """Yield the base URL of each kind of ground that does not hold: down, HTML, and a faithful one."""
    sock = bind_socket()  # bound, never listening: nothing answers on its port
    down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    stand_in, _ = serve_stand_in()
    with ServerThread(html_page) as page, stand_in:
        yield {"down": down, "html": page.url, "faithful": stand_in.url}


def command(name: str, url: str, key: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `apiframe-mock <name>` against `url` with `key`, as a user would."""
    args = [sys.executable, "-m", "mockserver", name, "--base-url", url, "--api-key", key, "--task-ids", "a,b"]
    args += {"contract": ["-q"], "diff": [], "snapshot": ["--out", str(tmp_path / "out")]}[name]
    env = {name: value for name, value in os.environ.items() if not name.startswith(("APIFRAME_", "COVERAGE_"))}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize(
    ("ground", "key", "says"),
    [
        ("down", KEY, "cannot reach http://127.0.0.1:"),
        ("html", KEY, "does not answer as the Apiframe API: GET /account answered 200 (text/html), not JSON"),
        ("faithful", "a-typo", "refused the API key (GET /account answered 401): check --api-key or $APIFRAME_API_KEY"),
    ],
    ids=["unreachable", "html", "wrong key"],
)
def test_no_ground_is_one_line_and_the_same_exit_for_every_command(
    servers: dict[str, str], tmp_path: Path, name: str, ground: str, key: str, says: str
) -> None:
    """Given a server down, an HTML page or a wrong key, then one line naming it, exit 8, and no rule drifted."""
    done = command(name, servers[ground], key, tmp_path)
    output = done.stdout + done.stderr

    assert done.returncode == GROUND_EXIT, output
    assert says in output
    assert "Traceback" not in output
    assert "drift" not in output.lower()
    assert "a-typo" not in output
