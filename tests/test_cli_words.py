"""What the command says: help that matches README's lists, hints that name the fix where it was started, one voice."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mockserver import DEFAULT_API_KEY
from mockserver.cli import build_parser
from mockserver.server import bind_socket

from .processes import started
from .readme import README
from .test_cli import COMMAND, run

ROOT = README.parent
_TABLE = re.compile(r"\[\[?\w+\]\]?")
_OPTION = re.compile(r"^\s+(?:-\w, )?(--[a-z][\w-]*)", flags=re.MULTILINE)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def serve_parser() -> argparse.ArgumentParser:
    (commands,) = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    serve: argparse.ArgumentParser = commands.choices["serve"]
    return serve


def options(help_text: str) -> set[str]:
    return set(_OPTION.findall(help_text)) - {"--help"}


def test_serve_help_lists_exactly_the_options_of_readmes_serve_table() -> None:
    rows = re.findall(r"^\| `(--[\w-]+)` \| (.*)$", section("`apiframe-mock serve`"), flags=re.MULTILINE)
    shown = run("serve", "--help").stdout
    assert options(shown) == {option for option, _ in rows}
    # Each TOML table a row names ([[faults]], [submissions]) is named by the option's help too.
    helps = {action.option_strings[-1]: action.help or "" for action in serve_parser()._actions}
    for option, meaning in rows:
        assert set(_TABLE.findall(meaning)) <= set(_TABLE.findall(helps[option])), option


def test_serve_help_has_a_description_naming_what_readme_says_it_serves() -> None:
    description = run("serve", "--help").stdout.split("\n\n")[1]
    for route in ("POST /fetch-many", "POST /fetch", "GET /account", "POST /imagine", "/__mock__/"):
        assert route in " ".join(description.split())


def test_the_top_level_help_lists_serve_and_readmes_checking_commands() -> None:
    shown = run("--help").stdout
    listed = set(re.search(r"\{([\w,]+)\}", shown).group(1).split(","))  # type: ignore[union-attr]
    checking = set(re.findall(r"^\| `apiframe-mock (\w+) ", section("Keeping the mock honest"), flags=re.MULTILINE))
    assert listed == {"serve"} | checking
    assert "task-status API" not in shown


@pytest.mark.parametrize("command", ["contract", "diff", "snapshot", "proxy"])
def test_every_option_a_checking_command_lists_is_named_in_the_readme(command: str) -> None:
    text = README.read_text(encoding="utf-8")
    missing = {option for option in options(run(command, "--help").stdout) if not re.search(rf"{option}\b", text)}
    assert missing == set()


@pytest.mark.parametrize("command", ["--help", "serve --help", "diff --help", "snapshot --help"])
def test_help_never_splits_a_word_at_its_hyphen(command: str) -> None:
    shown = run(*command.split(), env={**os.environ, "COLUMNS": "80"}).stdout
    assert re.findall(r"\w-\n", shown) == []
    assert "fetch-many:error:probability=0.1" in shown or command != "serve --help"


@pytest.mark.parametrize(
    ("given", "meant"), [("--prot", "--port"), ("--contrl", "--control"), ("--fixtrues", "--fixtures")]
)
def test_a_mistyped_flag_gets_did_you_mean(given: str, meant: str) -> None:
    result = run("serve", given, "x")
    assert result.returncode == 2
    assert result.stderr.startswith(f"apiframe-mock: error: unrecognized arguments: {given} x; did you mean {meant}?")


def test_a_flag_like_no_other_gets_no_guess() -> None:
    assert "did you mean" not in run("serve", "--zzzzzz").stderr


def make(*args: str) -> list[str]:
    """A make command that runs this interpreter's apiframe-mock, installing nothing."""
    return ["make", "--no-print-directory", "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}", *args]


@contextmanager
def made(*args: str) -> Iterator[tuple[str, list[str]]]:
    """Start a make target that serves; yield the mock's URL and the lines it printed up to its pace line."""
    process = subprocess.Popen(
        make(*args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        # make echoes its recipe first; the mock's lines end with its pace.
        lines = [process.stdout.readline()]
        while "move on" not in lines[-1]:
            assert lines[-1], process.stderr.read() if process.stderr else ""
            lines.append(process.stdout.readline())
        lines = [line for line in lines if line.startswith("apiframe-mock:")]
        url = re.findall(r"http://127\.0\.0\.1:\d+", lines[0])[0]
        yield url, lines
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=10)


@pytest.mark.parametrize("target", [["run", "ARGS=--control --fixtures tests/data/plugin-fixtures"], ["dashboard"]])
def test_make_starts_the_dashboard_and_prints_its_url_and_token(target: list[str]) -> None:
    with made(*target, "PORT=0") as (url, lines):
        (control,) = [line for line in lines if "control API" in line]
        token = control.rstrip("'\n").rsplit("Bearer ", 1)[1]
        assert control.startswith(f"apiframe-mock: dashboard at {url}/__mock__/ui; control API at /__mock__/")
        health = httpx.get(f"{url}/__mock__/health", headers={"Authorization": f"Bearer {token}"})
        page = httpx.get(f"{url}/__mock__/ui")
    assert (health.status_code, page.status_code) == (200, 200)


def test_a_busy_port_under_make_run_names_port_as_make_takes_it() -> None:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    try:
        result = subprocess.run(make("run", f"PORT={port}"), cwd=ROOT, capture_output=True, text=True, timeout=30)
    finally:
        sock.close()
    assert result.returncode != 0
    assert (
        f"apiframe-mock: error: port {port} on 127.0.0.1 is already in use; choose another with PORT={port + 1} "
        f"(make run PORT={port + 1})\n"
    ) in result.stderr


def test_every_line_serve_prints_starts_with_its_name() -> None:
    with started([*COMMAND, "serve", "--port", "0", "--access-log"]) as serve:
        httpx.post(f"{serve.url}/fetch", json={"task_id": "x"}, headers={"Authorization": DEFAULT_API_KEY})
        with socket.create_connection(("127.0.0.1", int(serve.url.rsplit(":", 1)[1]))) as sock:
            sock.sendall(b"NOT HTTP\r\n\r\n")
            assert sock.recv(1000).startswith(b"HTTP/1.1 400 ")
    lines = (serve.line + serve.out + serve.err).splitlines()
    assert any('"POST /fetch HTTP/1.1" 400' in line for line in lines)
    assert [line for line in lines if not line.startswith("apiframe-mock: ")] == []


def test_a_usage_error_of_contract_says_it_as_every_command_does() -> None:
    env = {name: value for name, value in os.environ.items() if name != "APIFRAME_API_KEY"}
    result = run("contract", "--base-url", "https://api.example.invalid", env=env)
    assert result.returncode == 4
    assert result.stderr == "apiframe-mock: error: no API key: give --api-key or set $APIFRAME_API_KEY\n\n"


def test_a_store_without_the_redis_client_names_the_install_that_works_without_an_index() -> None:
    # As if the extra were not installed: the client cannot be imported.
    code = "import sys; sys.modules['redis'] = None; from mockserver.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "serve", "--port", "0", "--store", "redis://127.0.0.1:1/0"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (done.returncode, done.stderr) == (
        2,
        "apiframe-mock: error: --store needs the Redis client, which apiframe-mock's [redis] extra installs: "
        "pip install 'redis[hiredis]'\n",
    )
