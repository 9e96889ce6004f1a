"""Starting a command that serves, and reading the URL it prints on its first line, as a person would."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STOP_TIMEOUT_S = 10
"""Ample: a mock stops in well under a second, two Redis-backed workers under load in about one."""
_URL = re.compile(r"http://127\.0\.0\.1:\d+")


@dataclass(slots=True)
class Started:
    """A command that serves: its process, the URL its first line gave, that line, and once stopped what it said."""

    process: subprocess.Popen[str]
    url: str
    line: str
    out: str = ""
    err: str = ""

    def readline(self) -> str:
        """Return the next line the command printed."""
        assert self.process.stdout is not None
        return self.process.stdout.readline()


@contextmanager
def started(
    command: Sequence[str | Path],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stderr: int = subprocess.PIPE,
    kill: bool = False,
) -> Iterator[Started]:
    """Start `command`, read the URL on the first line it prints, and stop it after (`kill`, else terminate)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=cwd)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = _URL.search(line)
        assert match, (line, process.stderr.read() if process.stderr else "")
        run = Started(process, match.group(0), line)
        yield run
    finally:
        if process.poll() is None and kill:
            process.kill()
        elif process.poll() is None:
            process.terminate()
        # The stops that once outlasted this were not slow but hung: redis-py's pubsub swallowed the cancel
        # of a Redis store's listener, which its follower now says again until the listener is done.
        out, err = process.communicate(timeout=STOP_TIMEOUT_S)
    run.out, run.err = out or "", err or ""
