"""The README's examples, found by their fences and markers, and run against a real mock.

Every fenced block of README.md is one of these, decided by the HTML comment right before it (a
marker, invisible on GitHub) or else by its fence and first line:

- ``<!-- readme: skip: REASON -->``: not run; the reason says why it cannot be.
- ``<!-- readme: file PATH -->``: a file, written at PATH in the folder every example runs in.
- ``<!-- readme: output -->``: what the script block before it prints.
- a ``python`` block: a test file, run by pytest with the installed plugin; it must pass.
- a block whose first line starts with ``$ ``: a shell session, each command run by bash and its
  output (stdout and stderr, as a terminal shows them) compared with the lines shown under it.
- a ``sh`` block without prompts: a script; it must succeed, and print its ``output`` block if one follows.

A session or script talks to a mock of its own: a command ending in ``&`` runs in the background
(``apiframe-mock serve`` or ``proxy`` there gets ``--port 0``), and the URL it prints replaces
``http://127.0.0.1:8000`` (a proxy's: ``http://127.0.0.1:8001``, its default) in the commands after it;
with no such command, ``apiframe-mock serve`` with its defaults is started first.
Shown and real output are compared after `normalise`.
"""

from __future__ import annotations

import os
import re
import select
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

README = Path(__file__).resolve().parent.parent / "README.md"
SHOWN_URL = "http://127.0.0.1:8000"
SHOWN_PROXY_URL = "http://127.0.0.1:8001"
_FENCE = re.compile(r"^```(\S*)\s*$")
_MARKER = re.compile(r"^<!-- readme: (skip|file|output)\b:? ?(.*?) ?-->$")
_URL = re.compile(r"http://127\.0\.0\.1:\d+")
_VOLATILE = (
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT"), "<date>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<date>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), "<uuid>"),
)
_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class Example:
    """One fenced block: where it starts, its fence language, marker, text, and the prose before it."""

    line: int
    language: str
    marker: str
    argument: str
    text: str
    prose: str

    @property
    def kind(self) -> str:
        """Say what the block is: skip, file, output, pytest, session, script, or unmarked."""
        if self.marker:
            return self.marker
        if self.language == "python":
            return "pytest"
        if self.text.startswith("$ "):
            return "session"
        return "script" if self.language in ("sh", "bash", "shell") else "unmarked"


def examples(path: Path = README) -> list[Example]:
    """Return every fenced block of the Markdown file at `path`, in order."""
    found: list[Example] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    prose: list[str] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            prose.append(lines[index])
            index += 1
            continue
        end = next(number for number in range(index + 1, len(lines)) if lines[number] == "```")
        before = [line for line in prose if line.strip()]
        marker = _MARKER.match(before[-1]) if before else None
        text = "\n".join(lines[index + 1 : end]) + "\n"
        kind, argument = (marker.group(1), marker.group(2)) if marker else ("", "")
        found.append(Example(index + 1, fence.group(1), kind, argument, text, "\n".join(prose)))
        prose = []
        index = end + 1
    return found


def normalise(text: str) -> str:
    """Return `text` with what changes from run to run replaced, the one way shown and real output are compared.

    Line ends become ``\\n`` and trailing blanks go; a 127.0.0.1 port becomes ``<port>``; an HTTP
    date or an ISO 8601 timestamp becomes ``<date>``; a random (version 4) UUID becomes ``<uuid>``.
    The fixtures' ids are not random, so they are compared as they are.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines).strip("\n")
    for pattern, stand_in in _VOLATILE:
        joined = pattern.sub(stand_in, joined)
    return joined


@dataclass(frozen=True, slots=True)
class Step:
    """One command of a session, as shown, and the output shown under it."""

    command: str
    shown: str


def steps(session: str) -> list[Step]:
    """Split a session into its commands (a trailing backslash continues one) and their shown output."""
    found: list[Step] = []
    lines = session.splitlines()
    index = 0
    while index < len(lines):
        command = [lines[index].removeprefix("$ ")]
        while command[-1].endswith("\\"):
            index += 1
            command.append(lines[index])
        index += 1
        shown = []
        while index < len(lines) and not lines[index].startswith("$ "):
            shown.append(lines[index])
            index += 1
        found.append(Step("\n".join(command), "\n".join(shown)))
    return found


class Shell:
    """Runs commands in `folder` with the project's executables first on PATH, against one mock at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.urls: dict[str, str] = {}
        """What each URL the README shows stands for in this run."""
        self.status = 0
        self.background: list[subprocess.Popen[bytes]] = []
        self.env = {name: value for name, value in os.environ.items() if not name.startswith("APIFRAME")}
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env.get('PATH', '')}"

    def run(self, command: str) -> str:
        """Run `command` (in the background if it ends in ``&``); return what it printed."""
        for shown, real in self.urls.items():
            command = command.replace(shown, real)
        if command.rstrip().endswith("&"):
            return self._start(command.rstrip().removesuffix("&"))
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=_TIMEOUT_S,
            check=False,
        )
        self.status = done.returncode
        return done.stdout.decode()

    def _start(self, command: str) -> str:
        words = shlex.split(command)
        if words[:2] in (["apiframe-mock", "serve"], ["apiframe-mock", "proxy"]) and "--port" not in words:
            command += " --port 0"
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Unbuffered, so that reading the first line leaves the rest in the pipe for select to see.
            bufsize=0,
        )
        self.background.append(process)
        assert process.stdout is not None
        first = process.stdout.readline().decode()
        url = _URL.search(first)
        if url is None:
            return first
        self.urls[SHOWN_PROXY_URL if words[1:2] == ["proxy"] else SHOWN_URL] = url.group(0)
        _wait_until_answering(url.group(0))
        # The start-up lines are all printed before the server answers: what is in the pipe is all of them.
        rest = b""
        while select.select([process.stdout], [], [], 0.2)[0]:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            rest += chunk
        return first + rest.decode()

    def stop(self) -> None:
        """Stop what this shell started in the background."""
        for process in self.background:
            process.terminate()
            process.wait(timeout=_TIMEOUT_S)
            assert process.stdout is not None
            process.stdout.close()


@contextmanager
def shell(folder: Path, example: Example) -> Iterator[Shell]:
    """Yield a shell for `example`, with the default mock started first unless the example starts its own."""
    runner = Shell(folder)
    try:
        if not any(step.command.rstrip().endswith("&") for step in steps(example.text)):
            runner.run("apiframe-mock serve &")
        yield runner
    finally:
        runner.stop()


def _wait_until_answering(url: str) -> None:
    deadline = time.monotonic() + _TIMEOUT_S
    while True:
        try:
            httpx.get(f"{url}/openapi.json", timeout=5)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def write_files(folder: Path, found: list[Example]) -> None:
    """Write every file block of `found` under `folder`, at the path its marker gives."""
    for example in found:
        if example.kind == "file":
            target = folder / example.argument
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(example.text, encoding="utf-8")
